//! Issue 5: scoping a live capture to an existing process tree (`-p`) or a cgroup, and ending
//! it with a signal: the stream and a `.scap` file are complete and readable afterwards.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scap_common::wire::Frame;
use scap_tests::*;

use crate::live_capture::{live_ready, n, s, type_name, Capture, TempDir};

/// Starts `bash -c SCRIPT` that first waits for a line on `gate` (a FIFO).
fn gated_bash(dir: &Path, script: &str) -> Child {
    let gate = dir.join("gate");
    let ok = Command::new("mkfifo").arg(&gate).status().expect("mkfifo");
    assert!(ok.success());
    Command::new("bash")
        .arg("-c")
        .arg(format!("read x < '{}'; {script}", gate.display()))
        .current_dir(dir)
        .spawn()
        .expect("spawning the workload")
}

fn open_gate(dir: &Path) {
    let mut f = std::fs::OpenOptions::new().write(true).open(dir.join("gate")).expect("gate opens");
    writeln!(f, "go").expect("gate written");
}

/// Starts scap-record with `args`, writing a stream to `out`, and waits until it captures
/// (its header and snapshot reached the file). Its stderr is piped.
fn start_recorder(args: &[&str], out: &Path) -> Child {
    let child = Command::new(bin("scap-record"))
        .args(args)
        .arg("-w")
        .arg(out)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running scap-record");
    let t0 = Instant::now();
    while std::fs::metadata(out).map_or(0, |m| m.len()) == 0 {
        assert!(t0.elapsed() < Duration::from_secs(30), "scap-record did not start capturing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Waits for scap-record to end on its own (at most 10 s) and returns its stderr.
fn wait_ended(rec: &mut Child) -> String {
    let t0 = Instant::now();
    loop {
        if let Some(status) = rec.try_wait().expect("scap-record waits") {
            assert!(status.success(), "scap-record failed");
            break;
        }
        if t0.elapsed() > Duration::from_secs(10) {
            let _ = rec.kill();
            panic!("scap-record did not end when the traced processes had exited");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut err = String::new();
    std::io::Read::read_to_string(&mut rec.stderr.take().expect("stderr"), &mut err).expect("stderr reads");
    err
}

fn signal(child: &Child, sig: i32) {
    let ok = Command::new("kill").arg(format!("-{sig}")).arg(child.id().to_string()).status().expect("kill");
    assert!(ok.success());
}

/// Every event belongs to `root` or a process it started during the capture.
fn assert_only_tree(c: &Capture, root: i64) {
    let mut tree = std::collections::BTreeSet::from([root]);
    for e in c.events() {
        if matches!(type_name(e).as_str(), "clone" | "clone3" | "fork" | "vfork") && !e.is_enter() && n(e, "res") > 0 {
            tree.insert(n(e, "res"));
        }
        assert!(tree.contains(&e.tid), "event {} of thread {} is outside the tree of {root}", type_name(e), e.tid);
    }
}

#[test]
fn an_existing_process_tree_is_captured_with_dash_p() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("dashp");
    let mut work = gated_bash(&dir.0, "cat /etc/hostname > /dev/null; exit 4");
    let out = dir.0.join("p.scz");
    let pid = work.id().to_string();
    let mut rec = start_recorder(&["-p", &pid], &out);
    open_gate(&dir.0);
    let status = work.wait().expect("workload ends");
    assert_eq!(status.code(), Some(4));
    // The capture ends by itself once the tree has exited, and says so.
    let err = wait_ended(&mut rec);
    assert_eq!(err, format!("scap-record: process {pid} and its descendants have exited; the capture ends\n"));
    let c = Capture::read(&out, String::new(), String::new());
    assert!(matches!(c.frames.last(), Some(Frame::End(e)) if e.reason == "eof"), "ended with the tree");
    // The snapshot describes the process tree, and the events come from it alone.
    assert!(c.frames.iter().any(|f| matches!(f, Frame::Thread(t) if t.pid == i64::from(work.id()))));
    assert!(!c.frames.iter().any(|f| matches!(f, Frame::Thread(t) if t.pid == i64::from(std::process::id()))));
    assert_only_tree(&c, i64::from(work.id()));
    let open = c.of("openat", '<').into_iter().find(|e| s(e, "name") == "/etc/hostname").expect("cat opened the file");
    assert!(n(open, "fd") >= 0);
    let exit =
        c.events().filter(|e| type_name(e) == "procexit" && e.tid == i64::from(work.id())).last().expect("bash exit");
    assert_eq!(n(exit, "ret"), 4);
}

#[test]
fn dash_p_follows_the_tree_past_its_root_and_stops_on_a_signal() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("dashptree");
    // The root exits first; a grandchild it left behind (in a subshell, so reparented) lives on.
    let mut work = gated_bash(&dir.0, "(sleep 0.6; cat /etc/hostname > /dev/null) & exit 0");
    let out = dir.0.join("tree.scz");
    let pid = work.id().to_string();
    let mut rec = start_recorder(&["-p", &pid], &out);
    open_gate(&dir.0);
    work.wait().expect("workload ends");
    std::thread::sleep(Duration::from_millis(300));
    assert!(rec.try_wait().expect("scap-record waits").is_none(), "a descendant still runs: the capture goes on");
    let err = wait_ended(&mut rec);
    assert!(err.contains("have exited; the capture ends"), "{err}");
    let c = Capture::read(&out, String::new(), String::new());
    assert!(matches!(c.frames.last(), Some(Frame::End(e)) if e.reason == "eof"));
    assert!(c.of("openat", '<').into_iter().any(|e| s(e, "name") == "/etc/hostname"), "the descendant's events");

    // A tree that does not end: Ctrl+C still ends the capture.
    let dir = TempDir::new("dashpsig");
    let mut work = gated_bash(&dir.0, "exec sleep 30");
    let out = dir.0.join("sig.scz");
    let pid = work.id().to_string();
    let mut rec = start_recorder(&["-p", &pid], &out);
    open_gate(&dir.0);
    std::thread::sleep(Duration::from_millis(300));
    signal(&rec, 2);
    assert!(rec.wait().expect("scap-record ends").success());
    let _ = work.kill();
    let _ = work.wait();
    let c = Capture::read(&out, String::new(), String::new());
    assert!(matches!(c.frames.last(), Some(Frame::End(e)) if e.reason == "signal"), "ended by the signal");
}

#[test]
fn sysdig_dash_dash_pid_ends_with_the_tree() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("sysdigpid");
    let mut work = gated_bash(&dir.0, "cat /etc/hostname > /dev/null; exit 0");
    let out = dir.0.join("s.scz");
    let pid = work.id().to_string();
    // sysdig's writer buffers the stream: its attached probe programs (bpf links among its fds)
    // say that the capture runs.
    let mut rec = Command::new(bin("sysdig"))
        .args(["--pid", &pid, "-w"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running sysdig");
    let t0 = Instant::now();
    let links = |p: u32| {
        std::fs::read_dir(format!("/proc/{p}/fd")).map_or(0, |d| {
            d.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .filter(|l| l.to_string_lossy().contains("bpf_link"))
                .count()
        })
    };
    while links(rec.id()) < 2 {
        if t0.elapsed() > Duration::from_secs(30) {
            let _ = rec.kill();
            let _ = rec.wait();
            panic!("sysdig did not attach its probe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // The snapshot follows the attach; give it a moment (events before it are captured anyway).
    std::thread::sleep(Duration::from_millis(300));
    open_gate(&dir.0);
    work.wait().expect("workload ends");
    let err = wait_ended(&mut rec);
    assert!(err.contains(&format!("process {pid} and its descendants have exited; the capture ends")), "{err}");
    let c = Capture::read(&out, String::new(), String::new());
    assert!(c.of("openat", '<').into_iter().any(|e| s(e, "name") == "/etc/hostname"));
}

#[test]
fn a_cgroup_is_captured_with_dash_dash_cgroup() {
    if !live_ready() {
        return;
    }
    let root = std::fs::read_to_string("/proc/self/mountinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.contains(" - cgroup2 "))
        .and_then(|l| l.split_whitespace().nth(4).map(str::to_string));
    let Some(root) = root else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "no cgroup2 mount");
        eprintln!("note: cgroup test skipped: no cgroup v2 hierarchy is mounted");
        return;
    };
    let cg = format!("{root}/scap-live-test-{}", std::process::id());
    if std::fs::create_dir(&cg).is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "cannot create cgroup {cg}");
        eprintln!("note: cgroup test skipped: cannot create {cg} (cgroup v2 not writable)");
        return;
    }
    let dir = TempDir::new("cgroup");
    // The spin spans a second of the wall clock: the procinfo iterator must scope by cgroup too.
    let script = format!("cat /etc/hostname > /dev/null; '{}' spin 1200", bin("scap-workload").display());
    let mut work = gated_bash(&dir.0, &script);
    std::fs::write(format!("{cg}/cgroup.procs"), work.id().to_string()).expect("moving the workload into the cgroup");
    let out = dir.0.join("cg.scz");
    let mut rec = start_recorder(&["--cgroup", &cg], &out);
    open_gate(&dir.0);
    work.wait().expect("workload ends");
    std::thread::sleep(Duration::from_millis(200));
    signal(&rec, 15);
    let ok = rec.wait().expect("scap-record ends").success();
    let _ = std::fs::remove_dir(&cg);
    assert!(ok);
    let c = Capture::read(&out, String::new(), String::new());
    assert!(matches!(c.frames.last(), Some(Frame::End(e)) if e.reason == "signal"));
    assert_only_tree(&c, i64::from(work.id()));
    assert!(c.of("openat", '<').into_iter().any(|e| s(e, "name") == "/etc/hostname"));
    assert!(!c.of("procinfo", '>').is_empty(), "procinfo events of the cgroup's processes");
}

#[test]
fn sigterm_finalizes_a_scap_file_sysdig_reads() {
    if !live_ready() {
        return;
    }
    let Some(sysdig) = reference_sysdig() else { return };
    let dir = TempDir::new("sigterm");
    let out = dir.0.join("t.scap");
    let mut rec = Command::new(bin("scap-record"))
        .arg("-w")
        .arg(&out)
        .args(["--", "bash", "-c", "echo $$; cat /etc/hostname > /dev/null; exec sleep 30"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("running scap-record");
    let mut line = String::new();
    BufReader::new(rec.stdout.take().expect("stdout")).read_line(&mut line).expect("the command started");
    let bash_pid = line.trim().to_string();
    std::thread::sleep(Duration::from_millis(300));
    signal(&rec, 15);
    assert!(rec.wait().expect("scap-record ends").success());
    let _ = Command::new("kill").arg("-9").arg(&bash_pid).status();
    let printed = Command::new(sysdig).arg("-r").arg(&out).env("TZ", "UTC").output().expect("sysdig runs");
    assert!(printed.status.success(), "sysdig: {}", String::from_utf8_lossy(&printed.stderr));
    let text = String::from_utf8_lossy(&printed.stdout);
    assert!(text.contains("name=/etc/hostname"), "the events before the signal are in the file");
    assert!(
        text.contains("> nanosleep") || text.contains("> clock_nanosleep") || text.contains("sleep"),
        "sleep started"
    );
}
