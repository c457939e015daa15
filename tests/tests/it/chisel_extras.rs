//! Issue 7: what chisels do besides printing to a pipe, against sysdig 0.29.3: `-j`, a terminal
//! as stdout, the event exports of around and spy_logs (sysdig's second run), and the files
//! udp_extract writes.

use std::path::{Path, PathBuf};
use std::process::Output;

use scap_tests::*;

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn corpus_trace(name: &str) -> PathBuf {
    corpus_dir().join("traces").join(format!("{name}.scap"))
}

fn words(args: &[&str]) -> String {
    args.iter().map(|a| q(a)).collect::<Vec<_>>().join(" ")
}

fn sysdig_cmd(sysdig: &Path, flags: &str, chisel: &str, args: &[&str], trace: &Path) -> String {
    format!(
        "{} -r {} {flags} -c {} {}",
        q(&sysdig.display().to_string()),
        q(&trace.display().to_string()),
        q(chisel),
        words(args)
    )
}

fn ours_cmd(flags: &str, chisel: &str, args: &[&str], trace: &Path) -> String {
    format!(
        "{} {} {} {flags} -r {}",
        q(&bin("scap-chisel").display().to_string()),
        q(chisel),
        words(args),
        q(&trace.display().to_string())
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A `-j` output reduced to what sysdig keeps from run to run: its lines without trailing commas,
/// sorted when it is an indented JSON document (sysdig's Lua orders object members by a hash
/// that changes per run), with each top
/// table's `"data"` row list replaced by its rows sorted, and the rows tied with the last one
/// (which sysdig picks in hash order) replaced by their number.
fn json_shape(out: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = text(out)
        .lines()
        .map(|l| {
            let l = l.strip_suffix(',').unwrap_or(l);
            let Some(rows) = l.strip_prefix("  \"data\":") else { return l.to_string() };
            let Ok(serde_json::Value::Array(rows)) = serde_json::from_str::<serde_json::Value>(rows) else {
                return l.to_string();
            };
            let value = |r: &serde_json::Value| r.as_array().and_then(|a| a.last()).map(|v| v.to_string());
            let cut = rows.last().and_then(value);
            let mut kept: Vec<String> = rows.iter().filter(|r| value(r) != cut).map(|r| r.to_string()).collect();
            kept.sort();
            format!("data {kept:?} and {} rows tied at the cut", rows.len() - kept.len())
        })
        .collect();
    if out.starts_with(b"{\n") {
        lines.sort();
    }
    lines
}

/// `-j` with chisels: tables print sysdig's JSON, the event formatter writes JSON objects,
/// buffers are rendered for JSON.
#[test]
fn json_output_matches_sysdig() {
    let Some(sysdig) = reference_sysdig() else { return };
    let mut failures = Vec::new();
    for trace in [
        "falco__cat_write",
        "sysdig-inspect__502error",
        "bencer-examples__example5_nginx",
        "bencer-examples__example4-2",
    ] {
        let trace = corpus_trace(trace);
        for (chisel, args) in [
            ("topprocs_cpu", &[][..]),
            ("topprocs_file", &[]),
            ("topscalls", &[]),
            ("topscalls_time", &[]),
            ("echo_fds", &[]),
            ("spy_file", &[]),
            ("stdout", &[]),
            ("spy_users", &[]),
            ("fdbytes_by", &["proc.name"]),
            ("topconns", &[]),
            ("topcontainers_cpu", &[]),
            ("iobytes", &[]),
            ("spy_logs", &[]),
            ("bottlenecks", &[]),
        ] {
            let want = sh(&sysdig_cmd(&sysdig, "-j", chisel, args, &trace));
            let got = sh(&ours_cmd("-j", chisel, args, &trace));
            if !got.status.success() || json_shape(&got.stdout) != json_shape(&want.stdout) {
                let (e, a) = (text(&want.stdout), text(&got.stdout));
                let first = e.lines().zip(a.lines()).position(|(x, y)| x != y);
                failures.push(format!(
                    "{chisel} -j on {}: {} | first difference at line {first:?}: sysdig {:?} ours {:?}",
                    stem(&trace),
                    text(&got.stderr).trim(),
                    first.and_then(|i| e.lines().nth(i)),
                    first.and_then(|i| a.lines().nth(i)),
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs a command with a pseudo-terminal as its stdout (util-linux `script`).
fn on_terminal(cmd: &str) -> Output {
    sh(&format!("script -qec {} /dev/null", q(cmd)))
}

/// On a terminal the visual chisels (spectrogram, subsecoffset) run, colours appear, and sysdig
/// resets the colour at the end of the capture, before `on_capture_end` prints.
#[test]
fn on_a_terminal_output_matches_sysdig() {
    let Some(sysdig) = reference_sysdig() else { return };
    let mut failures = Vec::new();
    for trace in ["falco__cat_write", "sysdig-inspect__502error", "bencer-examples__example5_nginx"] {
        let trace = corpus_trace(trace);
        for (chisel, args) in [
            ("spectrogram", &[][..]),
            ("spectrogram", &["50"]),
            ("subsecoffset", &[]),
            ("subsecoffset", &["100"]),
            ("echo_fds", &[]),
            ("topprocs_net", &[]),
            ("spy_users", &[]),
            ("stdout", &[]),
        ] {
            let want = on_terminal(&sysdig_cmd(&sysdig, "", chisel, args, &trace));
            let got = on_terminal(&ours_cmd("", chisel, args, &trace));
            if want.stdout.is_empty() || got.stdout != want.stdout {
                failures.push(format!(
                    "{chisel} {args:?} on a terminal, {}: sysdig {} bytes, ours {} bytes; ours ends {:?}, sysdig's {:?}",
                    stem(&trace),
                    want.stdout.len(),
                    got.stdout.len(),
                    text(&got.stdout[got.stdout.len().saturating_sub(40)..]),
                    text(&want.stdout[want.stdout.len().saturating_sub(40)..]),
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The words sysdig's own chisel file passes to `sysdig.run_app` on this trace: the file is run
/// under sysdig from a copy that prints them instead.
fn sysdig_export_words(sysdig: &Path, chisel: &str, args: &[&str], trace: &Path, dir: &Path) -> String {
    let code = std::fs::read_to_string(format!("/usr/share/sysdig/chisels/{chisel}.lua")).expect("sysdig's chisel");
    assert!(code.contains("sysdig.run_app(args)"), "{chisel}.lua no longer calls sysdig.run_app(args)");
    let spy = code.replace("sysdig.run_app(args)", "print(\"RUN_APP \" .. args)");
    let path = dir.join(format!("{chisel}.lua"));
    std::fs::write(&path, spy).expect("write");
    let out = sh(&sysdig_cmd(sysdig, "", &path.display().to_string(), args, trace));
    let stdout = text(&out.stdout);
    let line =
        stdout.lines().find_map(|l| l.strip_prefix("RUN_APP ")).unwrap_or_else(|| panic!("{chisel}: no run_app"));
    line.to_string()
}

/// around and spy_logs with a dump file: sysdig runs itself again to write the events around
/// each match to the file (0.29.3 writes a file it cannot read back, see DIFFERENCES.md).
/// Ours must write a `.scap` that sysdig reads, holding the events that second run's filter
/// selects, for our built-in and for sysdig's chisel file alike.
#[test]
fn export_chisels_write_the_events_around_each_match() {
    let Some(sysdig) = reference_sysdig() else { return };
    let dir = std::env::temp_dir().join(format!("scap-chisel-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dump = dir.join("dump.scap").display().to_string();
    let fmt = "%evt.rawtime %evt.cpu %proc.name %thread.tid %evt.dir %evt.type %evt.info";
    let mut failures = Vec::new();
    for (chisel, args, trace) in [
        ("around", vec![dump.as_str(), "evt.type=open"], "falco__cat_write"),
        ("around", vec![dump.as_str(), "evt.type=connect and fd.sport=80"], "sysdig-inspect__502error"),
        // Nothing matches: the export has no filter and copies every event.
        ("around", vec![dump.as_str(), "evt.type=open"], "libs__single_ipv6_conn"),
        ("spy_logs", vec![dump.as_str()], "bencer-examples__example4-2"),
        ("spy_logs", vec![&format!("{dump} 100")], "falco__psp_run_as_user_0_container"),
    ] {
        let trace = corpus_trace(trace);
        let words = sysdig_export_words(&sysdig, chisel, &args, &trace, &dir);
        let filter = words.split(' ').skip_while(|w| w.starts_with('-')).collect::<Vec<_>>().join(" ");
        let want = sh(&format!(
            "{} -r {} -p {} {}",
            q(&sysdig.display().to_string()),
            q(&trace.display().to_string()),
            q(fmt),
            q(&filter)
        ));
        assert!(want.status.success() && !want.stdout.is_empty(), "{chisel}: sysdig prints nothing for {filter}");
        let printed = sh(&sysdig_cmd(&sysdig, "", chisel, &args, &trace)).stdout;
        for ours in [chisel.to_string(), format!("/usr/share/sysdig/chisels/{chisel}.lua")] {
            let _ = std::fs::remove_file(&dump);
            let got = sh(&ours_cmd("", &ours, &args, &trace));
            if !got.status.success() || got.stdout != printed {
                failures.push(format!(
                    "{ours} on {}: exit {:?}, {}: stdout differs",
                    stem(&trace),
                    got.status.code(),
                    text(&got.stderr)
                ));
                continue;
            }
            let read = sh(&format!("{} -r {} -p {}", q(&sysdig.display().to_string()), q(&dump), q(fmt)));
            if !read.status.success() || read.stdout != want.stdout {
                failures.push(format!(
                    "{ours} on {}: sysdig reading the dump: exit {:?} {}; {} lines, expected {}",
                    stem(&trace),
                    read.status.code(),
                    text(&read.stderr).trim(),
                    read.stdout.split(|&c| c == b'\n').count(),
                    want.stdout.split(|&c| c == b'\n').count()
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// udp_extract writes one file per UDP connection. The corpus has no UDP payloads, so the trace
/// is ours: `tests/testdata/traces/udp_loopback.scap.gz`, captured with
/// `scap-record -w udp_loopback.scap -- python3 -S udp_loopback.py` (three datagrams from an
/// unconnected socket, one each way on a connected one).
#[test]
fn udp_extract_writes_the_files_sysdig_writes() {
    let Some(sysdig) = reference_sysdig() else { return };
    let trace = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/traces/udp_loopback.scap.gz");
    let base = std::env::temp_dir().join(format!("scap-chisel-udp-{}", std::process::id()));
    let listing = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d.join("udp_dump_files"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let run = |name: &str, cmd: String| -> Vec<(String, Vec<u8>)> {
        let d = base.join(name);
        std::fs::create_dir_all(&d).expect("temp dir");
        let out = sh(&format!("cd {} && {cmd}", q(&d.display().to_string())));
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        listing(&d)
    };
    let want = run("sysdig", sysdig_cmd(&sysdig, "", "udp_extract", &[], &trace));
    assert_eq!(want.len(), 3, "sysdig extracts three connections: {:?}", want.iter().map(|w| &w.0).collect::<Vec<_>>());
    let ours = run("ours", ours_cmd("", "udp_extract", &[], &trace));
    let theirs = run("file", ours_cmd("", "/usr/share/sysdig/chisels/udp_extract.lua", &[], &trace));
    let _ = std::fs::remove_dir_all(&base);
    assert_eq!(ours, want, "our udp_extract");
    assert_eq!(theirs, want, "sysdig's udp_extract.lua under scap-chisel");
}
