//! Issue 7: chisels against sysdig 0.29.3 on the corpus. Our built-in chisels and sysdig's own
//! chisel files (loaded by path) must print what `sysdig -r T -c NAME ARGS` prints.
//!
//! Tables whose row order sysdig leaves to ties (equal values sorted by Lua's unstable sort over
//! hash order), and listings that walk a Lua hash table (lsof, netstat), are compared as sorted
//! lines; everything else line for line.
//!
//! A chisel that cannot run yet because a field it needs is not in the field registry is
//! reported as pending, with the field, instead of compared; any other failure, and any
//! difference in output, fails the test.

use std::path::Path;
use std::process::Output;

use scap_tests::*;

/// How two outputs are compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Compare {
    /// Line for line.
    Exact,
    /// As sorted lines: the order depends on Lua hash order or ties.
    Sorted,
    /// A table cut to its top N rows (two header lines, then rows whose first 20 columns are the
    /// value): rows are compared as a set, except the rows tied with the last one, which sysdig
    /// picks among the tied keys in hash order, and of which only the number is compared.
    Top,
    /// Line for line, and both programs must fail (the chisel refuses to run, as the terminal
    /// visualizations do without a terminal).
    Refuses,
}

/// The traces each chisel runs on: small ones of every kind, plus the larger ones with network
/// and container activity.
const TRACES: &[&str] = &[
    "falco__cat_write",
    "falco__psp_run_as_user_0_container",
    "bencer-examples__example5_nginx",
    "libs__single_ipv6_conn",
    "instruqt__ticket-generator-http-error-b841f454",
    "sysdig-inspect__502error",
];

fn trace_path(name: &str) -> std::path::PathBuf {
    corpus_dir().join("traces").join(format!("{name}.scap"))
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs scap-chisel on a trace through scap-record's stream (`piped`), or reading it directly.
fn run_ours_via(chisel: &str, args: &[&str], trace: &Path, piped: bool) -> Output {
    let words: Vec<String> = args.iter().map(|a| quote(a)).collect();
    let trace = quote(&trace.display().to_string());
    if piped {
        sh(&format!("scap-record -r {trace} | scap-chisel {} {}", quote(chisel), words.join(" ")))
    } else {
        sh(&format!("scap-chisel {} {} -r {trace}", quote(chisel), words.join(" ")))
    }
}

fn run_ours(chisel: &str, args: &[&str], trace: &Path) -> Output {
    run_ours_via(chisel, args, trace, true)
}

fn run_sysdig(sysdig: &Path, chisel: &str, args: &[&str], trace: &Path) -> Output {
    let words: Vec<String> = args.iter().map(|a| quote(a)).collect();
    sh(&format!(
        "{} -r {} -c {} {}",
        quote(&sysdig.display().to_string()),
        quote(&trace.display().to_string()),
        quote(chisel),
        words.join(" ")
    ))
}

fn lines(out: &[u8], how: Compare) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(out).lines().map(str::to_string).collect();
    if how == Compare::Sorted {
        v.sort();
    }
    v
}

/// For `Compare::Top`: the rows of both outputs with the rows tied with sysdig's last row
/// replaced by their count.
fn top_rows(expected: &[u8], actual: &[u8]) -> (Vec<String>, Vec<String>) {
    let e = lines(expected, Compare::Exact);
    let a = lines(actual, Compare::Exact);
    let value = |l: &String| l.get(..20).unwrap_or(l).to_string();
    let cut = e.last().filter(|_| e.len() > 2).map(value);
    let reduce = |v: Vec<String>| {
        let (head, rows) = v.split_at(v.len().min(2));
        let mut kept: Vec<String> = rows.iter().filter(|l| Some(value(l)) != cut).cloned().collect();
        kept.sort();
        let tied = rows.len() - kept.len();
        let mut out = head.to_vec();
        out.extend(kept);
        out.push(format!("({tied} rows tied at the cut)"));
        out
    };
    (reduce(e), reduce(a))
}

/// Runs one chisel on every trace of `TRACES` under both programs; returns the failures and the
/// pending notes.
fn check_chisel(sysdig: &Path, ours: &str, theirs: &str, args: &[&str], how: Compare) -> (Vec<String>, Vec<String>) {
    let mut failures = Vec::new();
    let mut pending = Vec::new();
    for name in TRACES {
        let trace = trace_path(name);
        let got = run_ours_via(ours, args, &trace, false);
        let stderr = String::from_utf8_lossy(&got.stderr);
        if how == Compare::Refuses {
            let want = run_sysdig(sysdig, theirs, args, &trace);
            if got.status.success() || want.status.success() || got.stdout != want.stdout {
                failures.push(format!(
                    "{ours} {args:?} on {name}: expected both to refuse with the same output; sysdig {:?} {:?}, ours {:?} {:?}",
                    want.status.code(),
                    String::from_utf8_lossy(&want.stdout),
                    got.status.code(),
                    String::from_utf8_lossy(&got.stdout)
                ));
            }
            continue;
        }
        if !got.status.success() {
            if stderr.contains("unknown field") {
                pending.push(format!("{ours} {args:?}: {}", stderr.trim()));
                break;
            }
            failures.push(format!("{ours} {args:?} on {name}: exit {:?}: {}", got.status.code(), stderr.trim()));
            continue;
        }
        let want = run_sysdig(sysdig, theirs, args, &trace);
        let (e, a) = match how {
            Compare::Top => top_rows(&want.stdout, &got.stdout),
            _ => (lines(&want.stdout, how), lines(&got.stdout, how)),
        };
        if e != a {
            let first = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
            failures.push(format!(
                "{ours} {args:?} on {name}: line {} of {} (sysdig) / {} (ours):\n  sysdig: {:?}\n  ours:   {:?}",
                first + 1,
                e.len(),
                a.len(),
                e.get(first),
                a.get(first)
            ));
        }
    }
    (failures, pending)
}

fn report(what: &str, failures: Vec<String>, pending: Vec<String>) {
    for p in &pending {
        eprintln!("PENDING {what}: {p}");
    }
    assert!(failures.is_empty(), "{what}:\n{}", failures.join("\n"));
}

/// Every built-in chisel with the arguments it is tested with, and how its output compares.
const BUILTINS: &[(&str, &[&str], Compare)] = &[
    ("topprocs_cpu", &[], Compare::Top),
    ("topprocs_net", &[], Compare::Top),
    ("topprocs_file", &[], Compare::Top),
    ("topprocs_errors", &[], Compare::Top),
    ("topfiles_bytes", &[], Compare::Top),
    ("topfiles_time", &[], Compare::Top),
    ("topfiles_errors", &[], Compare::Top),
    ("topconns", &[], Compare::Top),
    ("topports_server", &[], Compare::Top),
    ("topscalls", &[], Compare::Top),
    ("topscalls_time", &[], Compare::Top),
    ("topcontainers_error", &[], Compare::Top),
    ("topcontainers_file", &[], Compare::Top),
    ("topcontainers_net", &[], Compare::Top),
    ("fdbytes_by", &["proc.name"], Compare::Top),
    ("fdtime_by", &["fd.name"], Compare::Top),
    ("lsof", &[], Compare::Sorted),
    ("lsof", &["proc.name=sshd"], Compare::Sorted),
    ("ps", &[], Compare::Sorted),
    ("netstat", &[], Compare::Sorted),
    ("lscontainers", &[], Compare::Sorted),
    ("fdcount_by", &["proc.name"], Compare::Sorted),
    ("iobytes", &[], Compare::Exact),
    ("iobytes_file", &[], Compare::Exact),
    ("iobytes_net", &[], Compare::Exact),
    ("echo_fds", &[], Compare::Exact),
    ("stdout", &[], Compare::Exact),
    ("stdin", &[], Compare::Exact),
    ("stderr", &[], Compare::Exact),
    ("spy_file", &[], Compare::Exact),
    ("spy_file", &["W /etc/passwd"], Compare::Exact),
    ("spy_ip", &["127.0.0.1"], Compare::Exact),
    ("spy_port", &["80"], Compare::Exact),
    ("bottlenecks", &[], Compare::Exact),
    ("proc_exec_time", &[], Compare::Exact),
    ("fileslower", &["0"], Compare::Exact),
    ("netlower", &["0"], Compare::Exact),
    ("scallslower", &["1"], Compare::Exact),
    ("topcontainers_cpu", &[], Compare::Top),
    ("spy_users", &[], Compare::Exact),
    ("list_login_shells", &[], Compare::Exact),
    ("list_login_shells", &["bash"], Compare::Exact),
    ("httplog", &[], Compare::Exact),
    ("httptop", &[], Compare::Sorted),
    ("httptop", &["bytes"], Compare::Sorted),
    ("httptop", &["time"], Compare::Sorted),
    ("memcachelog", &[], Compare::Exact),
    ("spectrogram", &[], Compare::Refuses),
    ("subsecoffset", &[], Compare::Refuses),
    ("spy_logs", &[], Compare::Exact),
    ("spy_syslog", &[], Compare::Exact),
    ("around", &["/tmp/scap-chisel-around-test.scap", "evt.type=open"], Compare::Exact),
    ("tracers_2_statsd", &[], Compare::Exact),
];

fn reference_or_skip() -> Option<std::path::PathBuf> {
    let r = reference_sysdig();
    if r.is_none() {
        eprintln!("note: chisel comparisons need SCAP_REFERENCE_SYSDIG");
    }
    r
}

/// Runs `BUILTINS[range]`: our built-ins by name, or sysdig's installed files by path.
fn run_builtins(range: std::ops::Range<usize>, sysdig_files: bool) {
    let Some(sysdig) = reference_or_skip() else { return };
    let dir = Path::new("/usr/share/sysdig/chisels");
    if sysdig_files {
        assert!(dir.is_dir(), "{} is missing: install Debian's sysdig", dir.display());
    }
    let mut failures = Vec::new();
    let mut pending = Vec::new();
    for (name, args, how) in &BUILTINS[range.start..range.end.min(BUILTINS.len())] {
        let ours = if sysdig_files { dir.join(format!("{name}.lua")).display().to_string() } else { name.to_string() };
        let (f, p) = check_chisel(&sysdig, &ours, name, args, *how);
        failures.extend(f);
        pending.extend(p);
    }
    report(if sysdig_files { "sysdig's chisel files" } else { "built-in chisels" }, failures, pending);
}

// Split in parts so the test harness runs them in parallel.
#[test]
fn builtin_chisels_print_what_sysdig_prints_1() {
    run_builtins(0..17, false);
}

#[test]
fn builtin_chisels_print_what_sysdig_prints_2() {
    run_builtins(17..34, false);
}

#[test]
fn builtin_chisels_print_what_sysdig_prints_3() {
    run_builtins(34..usize::MAX, false);
}

#[test]
fn sysdigs_chisel_files_run_unmodified_1() {
    run_builtins(0..17, true);
}

#[test]
fn sysdigs_chisel_files_run_unmodified_2() {
    run_builtins(17..34, true);
}

#[test]
fn sysdigs_chisel_files_run_unmodified_3() {
    run_builtins(34..usize::MAX, true);
}

#[test]
fn chisel_api_matches_sysdig_on_every_trace() {
    let Some(sysdig) = reference_or_skip() else { return };
    let chisel = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/chisels/apitest.lua");
    let chisel = chisel.display().to_string();
    let mut failures = Vec::new();
    for trace in readable_traces() {
        for (args, filter) in
            [("3", None), ("2", Some("(evt.type=open or evt.type in (read, write)) and not proc.name=cat"))]
        {
            let mut words = vec![args];
            words.extend(filter);
            let got = run_ours(&chisel, &words, &trace);
            let want = run_sysdig(&sysdig, &chisel, &words, &trace);
            if got.stdout != want.stdout || !got.status.success() {
                failures.push(format!("{} {words:?}: {}", stem(&trace), String::from_utf8_lossy(&got.stderr).trim()));
                assert_same_lines(&stem(&trace), &want.stdout, &got.stdout);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus keeps sysdig's topprocs_cpu output for every trace; ours must match it on each
/// (rows tied at the 10-row cut compared by number), without needing sysdig installed.
#[test]
fn topprocs_cpu_matches_the_stored_outputs() {
    let mut failures = Vec::new();
    for trace in readable_traces() {
        let stored = corpus_dir().join("sysdig-0.29.3-output").join(format!("{}.topprocs_cpu.txt", stem(&trace)));
        let Ok(want) = std::fs::read(&stored) else { continue };
        let got = run_ours_via("topprocs_cpu", &[], &trace, false);
        assert!(got.status.success(), "{}: {}", stem(&trace), String::from_utf8_lossy(&got.stderr));
        let (e, a) = top_rows(&want, &got.stdout);
        if e != a {
            failures.push(format!("{}:\n  sysdig: {e:?}\n  ours:   {a:?}", stem(&trace)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// sysdig 0.29.3 refuses its own shellshock_detect's filter (it mixes `and` and `or` without
/// brackets; see DIFFERENCES.md): compare ours with sysdig running that file with the brackets
/// added, and check that sysdig's unmodified file fails under scap-chisel as under sysdig.
#[test]
fn shellshock_detect_matches_sysdig_with_its_filter_bracketed() {
    let Some(sysdig) = reference_or_skip() else { return };
    let original = Path::new("/usr/share/sysdig/chisels/shellshock_detect.lua");
    let code = std::fs::read_to_string(original).expect("sysdig's shellshock_detect.lua");
    let ambiguous = "\"proc.name=bash or proc.name=sh and evt.type=execve\"";
    assert!(code.contains(ambiguous), "sysdig's shellshock_detect.lua no longer has the filter this test fixes");
    let fixed = code.replace(ambiguous, "\"(proc.name=bash or proc.name=sh) and evt.type=execve\"");
    let dir = std::env::temp_dir().join(format!("scap-chisel-shellshock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fixed_path = dir.join("shellshock_detect.lua");
    std::fs::write(&fixed_path, fixed).expect("write");
    let fixed_path = fixed_path.display().to_string();
    let mut failures = Vec::new();
    for name in TRACES {
        let trace = trace_path(name);
        let want = run_sysdig(&sysdig, &fixed_path, &[], &trace);
        let got = run_ours_via("shellshock_detect", &[], &trace, false);
        if !got.status.success() || got.stdout != want.stdout {
            failures.push(format!("shellshock_detect on {name}: {}", String::from_utf8_lossy(&got.stderr)));
        }
        let theirs = run_ours_via(&original.display().to_string(), &[], &trace, false);
        let stderr = String::from_utf8_lossy(&theirs.stderr);
        if theirs.status.success() || !stderr.contains("mixes 'and' and 'or'") {
            failures.push(format!("sysdig's shellshock_detect.lua on {name} should fail on its filter: {stderr}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rows with equal values come out in key order, the same in every run (sysdig's order for them
/// is its Lua hash order, which ours, with LuaJIT's seeded string hash, would change run to run).
#[test]
fn tied_rows_of_top_tables_are_in_key_order_every_run() {
    let trace = trace_path("libs__curl_google_comments");
    for chisel in ["topprocs_cpu", "topprocs_file", "topfiles_bytes"] {
        let first = run_ours_via(chisel, &[], &trace, false);
        assert!(first.status.success(), "{chisel}: {}", String::from_utf8_lossy(&first.stderr));
        for _ in 0..3 {
            let again = run_ours_via(chisel, &[], &trace, false);
            assert_eq!(String::from_utf8_lossy(&again.stdout), String::from_utf8_lossy(&first.stdout), "{chisel}");
        }
        let text = String::from_utf8_lossy(&first.stdout).into_owned();
        let rows: Vec<(&str, &str)> = text.lines().skip(2).map(|l| l.split_at(20.min(l.len()))).collect();
        for pair in rows.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert!(pair[0].1 <= pair[1].1, "{chisel}: tied rows out of key order: {pair:?}");
            }
        }
    }
}
