//! Issue 3: `scap-record -r T | scap-print` prints what `TZ=UTC sysdig -r T` prints, byte for
//! byte, on every readable corpus trace: the default line (against the stored outputs), and the
//! `-A`, `-X`, `-j` and other display options (against the reference sysdig, live).
//!
//! Each trace is imported once per test binary into a scap stream file; the printer runs on those
//! files, many at a time (sysdig spends most of a short run waiting, so we run more processes
//! than there are cores).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use scap_tests::*;

/// Events per trace that the live option and format comparisons read (`-n`): enough for every
/// trace's processes, containers and Kubernetes metadata to show, little enough for CI.
pub const LIVE_LIMIT: u64 = 5000;

/// A corpus trace imported into a scap stream file.
pub struct Recorded {
    /// The trace file.
    pub trace: PathBuf,
    /// Its name without directory and extension.
    pub stem: String,
    /// The stream `scap-record -r` made of it.
    pub stream: PathBuf,
    /// The `-n` limit the stream was made with.
    pub limit: Option<u64>,
}

/// The readable traces as streams, whole (`None`) or cut to their first `LIVE_LIMIT` events.
pub fn recorded(limit: Option<u64>) -> &'static [Recorded] {
    static WHOLE: OnceLock<Vec<Recorded>> = OnceLock::new();
    static CUT: OnceLock<Vec<Recorded>> = OnceLock::new();
    let cell = if limit.is_some() { &CUT } else { &WHOLE };
    cell.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("scap-print-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let traces = readable_traces();
        assert_eq!(traces.len(), 26, "the corpus has 26 traces sysdig reads");
        par_map(&traces, |trace| {
            let stem = stem(trace);
            let stream = dir.join(format!("{stem}.{}.scapstream", limit.map_or("whole".into(), |n| n.to_string())));
            let mut cmd = Command::new(bin("scap-record"));
            cmd.arg("-r").arg(trace).arg("-w").arg(&stream);
            if let Some(n) = limit {
                cmd.arg("-n").arg(n.to_string());
            }
            let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("scap-record: {e}"));
            assert!(out.status.success(), "scap-record -r {stem}: {}", String::from_utf8_lossy(&out.stderr));
            Recorded { trace: trace.clone(), stem, stream, limit }
        })
    })
}

/// Runs `f` on every item with several threads; results in item order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 3;
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let done = std::sync::Mutex::new(&mut slots);
    std::thread::scope(|s| {
        for _ in 0..threads.min(items.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    slots.into_iter().map(|r| r.unwrap_or_else(|| panic!("a worker thread failed"))).collect()
}

/// `TZ=UTC sysdig -r T [-n N] ARGS`.
pub fn run_sysdig(sysdig: &Path, r: &Recorded, args: &[&str]) -> Output {
    let mut cmd = Command::new(sysdig);
    cmd.arg("-r").arg(&r.trace);
    if let Some(n) = r.limit {
        cmd.arg("-n").arg(n.to_string());
    }
    cmd.args(args).env("TZ", "UTC").stdin(Stdio::null());
    cmd.output().unwrap_or_else(|e| panic!("{}: {e}", sysdig.display()))
}

/// `TZ=UTC scap-print ARGS < stream`.
pub fn run_print(r: &Recorded, args: &[&str]) -> Output {
    let input = std::fs::File::open(&r.stream).unwrap_or_else(|e| panic!("{}: {e}", r.stream.display()));
    Command::new(bin("scap-print"))
        .args(args)
        .env("TZ", "UTC")
        .stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("scap-print: {e}"))
}

/// `None` when equal, else where and how two outputs first differ.
pub fn difference(expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let e: Vec<&[u8]> = expected.split(|&c| c == b'\n').collect();
    let a: Vec<&[u8]> = actual.split(|&c| c == b'\n').collect();
    let first = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
    let line = |v: &[&[u8]]| v.get(first).map_or("(none)".into(), |l| String::from_utf8_lossy(l).into_owned());
    Some(format!(
        "line {} of {} expected / {} actual\n    sysdig: {}\n    ours:   {}",
        first + 1,
        e.len(),
        a.len(),
        line(&e),
        line(&a)
    ))
}

/// Compares scap-print with sysdig for one argument list on one trace: same stdout, and both
/// succeed or both fail (sysdig stops on values it cannot render, and so do we).
pub fn compare_live(sysdig: &Path, r: &Recorded, args: &[&str]) -> Option<String> {
    let theirs = run_sysdig(sysdig, r, args);
    let ours = run_print(r, args);
    let what = |d: String| format!("{} {:?}: {d}", r.stem, args);
    if theirs.status.success() != ours.status.success() {
        return Some(what(format!(
            "sysdig {} ({}), scap-print {} ({})",
            theirs.status,
            String::from_utf8_lossy(&theirs.stderr).trim(),
            ours.status,
            String::from_utf8_lossy(&ours.stderr).trim()
        )));
    }
    if String::from_utf8_lossy(&ours.stderr).contains("panicked") {
        return Some(what(format!("panic: {}", String::from_utf8_lossy(&ours.stderr))));
    }
    difference(&theirs.stdout, &ours.stdout).map(what)
}

/// Fails listing every failure (at most 40 shown).
pub fn assert_no_failures(what: &str, failures: &[String]) {
    if failures.is_empty() {
        return;
    }
    let shown: Vec<&str> = failures.iter().take(40).map(String::as_str).collect();
    panic!("{what}: {} failures\n{}", failures.len(), shown.join("\n"));
}

#[test]
fn the_default_line_is_sysdigs_on_every_trace() {
    let failures: Vec<String> = par_map(recorded(None), |r| {
        let out = run_print(r, &[]);
        if !out.status.success() {
            return Some(format!("{}: {}", r.stem, String::from_utf8_lossy(&out.stderr)));
        }
        difference(&reference_default(&r.trace), &out.stdout).map(|d| format!("{}: {d}", r.stem))
    })
    .into_iter()
    .flatten()
    .collect();
    assert_no_failures("default output vs stored sysdig output", &failures);
}

/// The options the issue names, on every trace, whole.
#[test]
fn ascii_hex_and_json_output_are_sysdigs_on_every_trace() {
    let Some(sysdig) = reference_sysdig() else { return };
    let runs: Vec<(&Recorded, &[&str])> =
        recorded(None).iter().flat_map(|r| [&["-A"][..], &["-X"], &["-j"]].into_iter().map(move |a| (r, a))).collect();
    let failures: Vec<String> = par_map(&runs, |(r, a)| compare_live(&sysdig, r, a)).into_iter().flatten().collect();
    assert_no_failures("-A/-X/-j vs sysdig", &failures);
}

/// The other display options, alone and with JSON and formats, on the first events of each trace.
#[test]
fn the_other_display_options_are_sysdigs() {
    let Some(sysdig) = reference_sysdig() else { return };
    let options: &[&[&str]] = &[
        &["-x"],
        &["-b"],
        &["-v"],
        &["-v", "-A"],
        &["-v", "-X"],
        &["-D"],
        &["-t", "a"],
        &["-t", "r"],
        &["-t", "d"],
        &["-t", "D"],
        &["-t", "h"],
        &["-j", "-A"],
        &["-j", "-X"],
        &["-j", "-b"],
        &["-j", "-v"],
        &["-j", "-x"],
        &["-j", "-p", "%evt.num %evt.time %proc.name %fd.name %evt.arg.fd %evt.rawarg.size %proc.aname[2] %thread.tid"],
        &["-j", "-p", "*%evt.num %evt.info %evt.buffer %evt.rawtime %evt.latency %evt.is_io %proc.args %fd.cport"],
        &["-j", "-p", "*%evt.num %evt.args %user.uid %group.name %container.id %k8s.pod.name %fd.sockfamily %fd.lip"],
        &["-j", "-A", "-p", "*%evt.num %evt.buffer %evt.arg.data %evt.rawarg.data %evt.arg[1]"],
        &["-A", "-p", "*%evt.num %evt.buffer %evt.info"],
        &["-X", "-p", "*%evt.num %evt.arg.data %evt.args"],
        &["-b", "-p", "%evt.num %evt.buffer"],
        &["-t", "d", "-p", "*%evt.num %evt.time %evt.outputtime %evt.deltatime"],
    ];
    let runs: Vec<(&Recorded, &[&str])> =
        recorded(Some(LIVE_LIMIT)).iter().flat_map(|r| options.iter().map(move |a| (r, *a))).collect();
    let failures: Vec<String> = par_map(&runs, |(r, a)| compare_live(&sysdig, r, a)).into_iter().flatten().collect();
    assert_no_failures("display options vs sysdig", &failures);
}
