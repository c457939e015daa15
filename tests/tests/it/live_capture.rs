//! Issue 5: live capture with the eBPF probe. Each test runs a workload under
//! `scap-record -- CMD` (so the capture is scoped in the kernel to the processes the test
//! starts) and asserts the exact events and parameters it produced.
//!
//! These tests need root and a kernel with BTF. Under CI=true they fail when they cannot run;
//! elsewhere they skip, saying why.

use std::path::{Path, PathBuf};
use std::process::Command;

use scap_common::event::{le_i64, Event};
use scap_common::input::Source;
use scap_common::schema;
use scap_common::state::State;
use scap_common::wire::Frame;
use scap_tests::*;

/// Whether live tests can run here; panics under CI=true when they cannot.
pub fn live_ready() -> bool {
    let why = if std::fs::metadata("/sys/kernel/btf/vmlinux").is_err() {
        Some("the kernel has no BTF (/sys/kernel/btf/vmlinux)")
    } else if !is_root() {
        Some("live capture needs root")
    } else {
        None
    };
    match why {
        None => true,
        Some(why) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but live tests cannot run: {why}");
            eprintln!("note: live capture tests skipped: {why}");
            false
        }
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}

/// A finished capture.
pub struct Capture {
    /// Every frame, in order.
    pub frames: Vec<Frame>,
    /// What the traced command printed on stdout (scap-record writes to a file, so the command
    /// keeps our stdout).
    pub stdout: String,
    /// The directory the command ran in (removed since).
    pub cwd: String,
}

/// A scratch directory removed at drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory under the system temp dir.
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("scap-live-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `scap-record OPTS -w FILE -- CMD...` and reads the stream back.
pub fn capture(tag: &str, opts: &[&str], cmd: &[&str]) -> Capture {
    let dir = TempDir::new(tag);
    let out = dir.0.join("capture.scz");
    let res = Command::new(bin("scap-record"))
        .args(opts)
        .arg("-w")
        .arg(&out)
        .arg("--")
        .args(cmd)
        .current_dir(&dir.0)
        .output()
        .expect("running scap-record");
    assert!(res.status.success(), "scap-record failed: {}", String::from_utf8_lossy(&res.stderr));
    Capture::read(&out, String::from_utf8_lossy(&res.stdout).into_owned(), dir.0.to_string_lossy().into_owned())
}

/// Builds `testdata/workloads/NAME.c` with the system's C compiler into `dir`; `None` (skip)
/// without one, except under CI=true, where that fails.
pub fn build_workload(dir: &Path, name: &str) -> Option<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/workloads/{name}.c"));
    let out = dir.join(name);
    match Command::new("cc").args(["-O1", "-o"]).arg(&out).arg(&src).status() {
        Ok(st) if st.success() => Some(out),
        other => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but cc cannot build {name}.c: {other:?}");
            eprintln!("note: live tests of {name}.c skipped: no C compiler (cc)");
            None
        }
    }
}

/// Checks that sysdig 0.29.3 reading `file` prints what `scap-record -r | scap-print` prints,
/// line for line (`what` names the capture in failures); returns sysdig's text.
pub fn sysdig_prints_as_we_do(sysdig: &Path, file: &Path, what: &str) -> String {
    let ours = sh(&format!("scap-record -r '{}' | scap-print", file.display()));
    assert!(ours.status.success(), "{}", String::from_utf8_lossy(&ours.stderr));
    let theirs = sh(&format!("'{}' -r '{}'", sysdig.display(), file.display()));
    assert!(theirs.status.success(), "sysdig: {}", String::from_utf8_lossy(&theirs.stderr));
    assert_same_lines(&format!("sysdig -r vs scap-print on {what}"), &theirs.stdout, &ours.stdout);
    String::from_utf8_lossy(&theirs.stdout).into_owned()
}

impl Capture {
    /// Reads every frame of a capture file; `stdout` is what the traced command printed and
    /// `cwd` the directory it ran in.
    pub fn read(file: &Path, stdout: String, cwd: String) -> Capture {
        let mut src = Source::open_path(&file.to_string_lossy()).expect("capture opens");
        let mut frames = Vec::new();
        while let Some(f) = src.next_frame().expect("capture reads") {
            frames.push(f);
        }
        Capture { frames, stdout, cwd }
    }

    /// The events, in order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.frames.iter().filter_map(|f| if let Frame::Event(e) = f { Some(e) } else { None })
    }

    /// Events of a type name and direction ('>' or '<').
    pub fn of(&self, name: &str, dir: char) -> Vec<&Event> {
        self.events().filter(|e| type_name(e) == name && (e.is_enter() == (dir == '>'))).collect()
    }

    /// Replays the capture through the state engine, calling `f` on each event with the state
    /// as it stands when the event is seen.
    pub fn replay(&self, mut f: impl FnMut(&Event, &State)) {
        let mut state = State::new();
        for frame in &self.frames {
            state.apply(frame);
            if let Frame::Event(e) = frame {
                f(e, &state);
            }
        }
    }
}

/// The event's type name as sysdig shows it (generic events by their syscall).
pub fn type_name(e: &Event) -> String {
    let info = e.info().map(|i| i.name).unwrap_or("?");
    if info == "syscall" {
        let id = e.param(0).and_then(scap_common::event::le_u64).unwrap_or(0) as u16;
        return schema::syscall_info(id).map(|(n, _)| n.to_string()).unwrap_or_default();
    }
    info.to_string()
}

/// A parameter by name.
pub fn p<'a>(e: &'a Event, name: &str) -> &'a [u8] {
    let idx = e.info().and_then(|i| i.params.iter().position(|q| q.name == name));
    idx.and_then(|i| e.param(i)).unwrap_or_else(|| panic!("event {} has no parameter {name}", type_name(e)))
}

/// A numeric parameter by name.
pub fn n(e: &Event, name: &str) -> i64 {
    le_i64(p(e, name)).unwrap_or_else(|| panic!("{name} of {} is not a number", type_name(e)))
}

/// A string parameter by name, without its NUL.
pub fn s(e: &Event, name: &str) -> String {
    let b = p(e, name);
    String::from_utf8_lossy(b.strip_suffix(b"\0").unwrap_or(b)).into_owned()
}

/// The name of the fd an event operates on, as the state engine resolves it.
pub fn fd_name(state: &State, e: &Event, fd: i64) -> String {
    state.fd(e.tid, fd).map(|f| String::from_utf8_lossy(&f.name).into_owned()).unwrap_or_default()
}

/// The process name of an event's thread.
pub fn comm(state: &State, e: &Event) -> String {
    state.thread(e.tid).map(|t| String::from_utf8_lossy(&t.comm).into_owned()).unwrap_or_default()
}

#[test]
fn file_io_in_a_shell_script() {
    if !live_ready() {
        return;
    }
    let c = capture("fileio", &[], &["bash", "-c", "echo hello > f.txt; cat f.txt > /dev/null; exit 3"]);
    let file = format!("{}/f.txt", c.cwd);
    let mut saw_write = false;
    let mut saw_read = false;
    c.replay(|e, st| match (type_name(e).as_str(), e.is_enter()) {
        ("openat", false) if s(e, "name") == "f.txt" && n(e, "fd") >= 0 => {
            let fd = n(e, "fd");
            assert_eq!(fd_name(st, e, fd), file, "fd {fd} of {}", comm(st, e));
        }
        ("write", false) if comm(st, e) == "bash" && n(e, "res") == 6 && p(e, "data") == b"hello\n" => {
            // The enter event names the fd; the state resolves it to the file.
            let fd = st.event_fd(e).expect("write has an fd");
            assert_eq!(fd_name(st, e, fd), file, "write to fd {fd}");
            saw_write = true;
        }
        ("read", false) if comm(st, e) == "cat" && n(e, "res") == 6 => {
            assert_eq!(p(e, "data"), b"hello\n");
            let fd = st.event_fd(e).expect("read has an fd");
            assert_eq!(fd_name(st, e, fd), file, "cat reads the file (its cwd comes from the probe)");
            saw_read = true;
        }
        _ => {}
    });
    assert!(saw_write && saw_read, "write {saw_write} read {saw_read}");
    // bash opens f.txt for writing with O_WRONLY|O_CREAT|O_TRUNC and mode 0666.
    let open = c
        .of("openat", '<')
        .into_iter()
        .find(|e| s(e, "name") == "f.txt" && n(e, "flags") & 2 != 0)
        .expect("open for write");
    assert_eq!(n(open, "flags") & 0xfff, 2 | 4 | 256);
    assert_eq!(n(open, "mode"), 0o666);
    assert_eq!(n(open, "dirfd"), -100);
    // The exit code, from the scheduler's exit tracepoint.
    let bash_exit = c.of("procexit", '>').into_iter().last().expect("procexit");
    assert_eq!(n(bash_exit, "status"), 3 << 8);
    assert_eq!(n(bash_exit, "ret"), 3);
    assert_eq!(n(bash_exit, "sig"), 0);
}

#[test]
fn a_failing_open_reports_its_errno() {
    if !live_ready() {
        return;
    }
    let c = capture("enoent", &[], &["cat", "/nonexistent/file"]);
    let e = c.of("openat", '<').into_iter().find(|e| s(e, "name") == "/nonexistent/file").expect("openat exit");
    assert_eq!(n(e, "fd"), -2);
    assert_eq!(n(e, "flags") & 3, 1); // O_RDONLY in libscap's numbering
    let enter = c.of("openat", '>').into_iter().find(|e| s(e, "name") == "/nonexistent/file").expect("enter");
    assert_eq!(n(enter, "dirfd"), -100);
    let exit = c.of("procexit", '>').pop().expect("procexit");
    assert_eq!(n(exit, "ret"), 1);
}

#[test]
fn renames_unlinks_and_directories() {
    if !live_ready() {
        return;
    }
    let c = capture("rename", &[], &["bash", "-c", "touch a && mv a b && ln -s b c && rm c b && mkdir d && rmdir d"]);
    let ren = c.events().find(|e| type_name(e).starts_with("rename") && !e.is_enter()).expect("rename exit");
    assert_eq!(n(ren, "res"), 0);
    assert_eq!(s(ren, "oldpath"), "a");
    assert_eq!(s(ren, "newpath"), "b");
    let sym = c.events().find(|e| type_name(e).starts_with("symlink") && !e.is_enter()).expect("symlink exit");
    assert_eq!(s(sym, "target"), "b");
    assert_eq!(s(sym, "linkpath"), "c");
    let unlinked: Vec<String> = c.of("unlinkat", '<').iter().map(|e| s(e, "name")).collect();
    assert!(unlinked.contains(&"c".to_string()) && unlinked.contains(&"b".to_string()), "{unlinked:?}");
    let mk = c.events().find(|e| type_name(e).starts_with("mkdir") && !e.is_enter()).expect("mkdir exit");
    assert_eq!(s(mk, "path"), "d");
    let rm = c
        .events()
        .find(|e| !e.is_enter() && (type_name(e) == "rmdir" || (type_name(e) == "unlinkat" && n(e, "flags") == 0x200)));
    assert!(rm.is_some(), "rmdir of d");
}

#[test]
fn a_pipe_between_two_processes() {
    if !live_ready() {
        return;
    }
    let c = capture("pipe", &[], &["bash", "-c", "echo abc | cat > /dev/null"]);
    let pipe = c.of("pipe", '<').into_iter().next().expect("pipe exit");
    assert_eq!(n(pipe, "res"), 0);
    let (r, w) = (n(pipe, "fd1"), n(pipe, "fd2"));
    assert!(r >= 0 && w >= 0 && r != w);
    assert!(n(pipe, "ino") > 0);
    let mut read_ok = false;
    c.replay(|e, st| {
        if type_name(e) == "read" && !e.is_enter() && comm(st, e) == "cat" && n(e, "res") == 4 {
            assert_eq!(p(e, "data"), b"abc\n");
            read_ok = true;
        }
    });
    assert!(read_ok, "cat read abc from the pipe");
}

#[test]
fn fork_and_exec_chains() {
    if !live_ready() {
        return;
    }
    let c = capture("exec", &[], &["bash", "-c", "sh -c 'true; /bin/echo one two' > /dev/null"]);
    let execs: Vec<&Event> = c.of("execve", '<').into_iter().filter(|e| n(e, "res") == 0).collect();
    let exes: Vec<String> = execs.iter().map(|e| s(e, "exe")).collect();
    assert!(exes.iter().any(|x| x == "sh"), "{exes:?}");
    let echo = execs.iter().find(|e| s(e, "comm") == "echo").expect("echo exec");
    assert_eq!(s(echo, "exe"), "/bin/echo");
    assert_eq!(p(echo, "args"), b"one\0two\0");
    // Every clone is seen from both sides: the parent gets the child's tid, the child 0.
    let clones: Vec<&Event> = c
        .events()
        .filter(|e| matches!(type_name(e).as_str(), "clone" | "clone3" | "fork" | "vfork") && !e.is_enter())
        .collect();
    let children: Vec<i64> = clones.iter().filter(|e| n(e, "res") > 0).map(|e| n(e, "res")).collect();
    assert!(!children.is_empty());
    for child in &children {
        assert!(clones.iter().any(|e| n(e, "res") == 0 && e.tid == *child), "child {child} seen returning 0");
    }
    // The child's exec event carries its parent.
    let sh_exec = execs.iter().find(|e| s(e, "exe") == "sh").expect("sh exec");
    assert!(children.contains(&n(sh_exec, "tid")));
}

#[test]
fn threads_are_captured_with_their_tids() {
    if !live_ready() {
        return;
    }
    let workload = bin("scap-workload");
    let c = capture("threads", &[], &[&workload.to_string_lossy(), "threads", "3"]);
    let clones: Vec<&Event> =
        c.events().filter(|e| matches!(type_name(e).as_str(), "clone" | "clone3") && !e.is_enter()).collect();
    let threads: Vec<i64> = clones.iter().filter(|e| n(e, "res") > 0).map(|e| n(e, "res")).collect();
    assert_eq!(threads.len(), 3, "three threads started");
    let mut written = Vec::new();
    c.replay(|e, st| {
        if type_name(e) == "write" && !e.is_enter() && threads.contains(&e.tid) {
            let t = st.thread(e.tid).expect("thread known");
            assert_ne!(t.tid, t.pid, "a thread of the workload process");
            written.push(String::from_utf8_lossy(p(e, "data")).into_owned());
        }
    });
    written.sort();
    assert_eq!(written, ["thread 0", "thread 1", "thread 2"]);
}

#[test]
fn tcp_over_loopback() {
    if !live_ready() {
        return;
    }
    let workload = bin("scap-workload");
    let c = capture("tcp", &[], &[&workload.to_string_lossy(), "tcp"]);
    let ports: Vec<u16> = c.stdout.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let (client_port, server_port) = (ports[0], ports[1]);
    let lo = [127, 0, 0, 1];
    let mut tuple = vec![2u8];
    tuple.extend_from_slice(&lo);
    tuple.extend_from_slice(&client_port.to_le_bytes());
    tuple.extend_from_slice(&lo);
    tuple.extend_from_slice(&server_port.to_le_bytes());
    let connect = c.of("connect", '<').into_iter().next().expect("connect exit");
    assert_eq!(n(connect, "res"), 0);
    assert_eq!(p(connect, "tuple"), &tuple[..], "client 127.0.0.1:{client_port} -> 127.0.0.1:{server_port}");
    let connect_e = c.of("connect", '>').into_iter().next().expect("connect enter");
    let mut addr = vec![2u8];
    addr.extend_from_slice(&lo);
    addr.extend_from_slice(&server_port.to_le_bytes());
    assert_eq!(p(connect_e, "addr"), &addr[..]);
    let accept = c.events().find(|e| type_name(e) == "accept" && !e.is_enter()).expect("accept exit");
    assert!(n(accept, "fd") >= 0);
    assert_eq!(p(accept, "tuple"), &tuple[..], "accept sees the same connection");
    assert_eq!(n(accept, "queuemax"), 128, "the listen backlog");
    let sent: Vec<&[u8]> = c
        .events()
        .filter(|e| matches!(type_name(e).as_str(), "sendto" | "write") && !e.is_enter())
        .map(|e| p(e, "data"))
        .collect();
    assert!(sent.contains(&&b"ping"[..]) && sent.contains(&&b"pong"[..]), "{sent:?}");
    let bind = c.of("bind", '<').into_iter().next().expect("bind exit");
    assert_eq!(n(bind, "res"), 0);
    let listen = c.of("listen", '>').into_iter().next().expect("listen enter");
    assert_eq!(n(listen, "backlog"), 128);
}

#[test]
fn udp_over_loopback() {
    if !live_ready() {
        return;
    }
    let workload = bin("scap-workload");
    let c = capture("udp", &[], &[&workload.to_string_lossy(), "udp"]);
    let ports: Vec<u16> = c.stdout.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let (a, b) = (ports[0], ports[1]);
    let lo = [127, 0, 0, 1];
    let mut tuple = vec![2u8];
    tuple.extend_from_slice(&lo);
    tuple.extend_from_slice(&a.to_le_bytes());
    tuple.extend_from_slice(&lo);
    tuple.extend_from_slice(&b.to_le_bytes());
    let send = c.of("sendto", '>').into_iter().next().expect("sendto enter");
    assert_eq!(n(send, "size"), 5);
    assert_eq!(p(send, "tuple"), &tuple[..], "an unconnected socket's peer comes from the address given");
    let sendx = c.of("sendto", '<').into_iter().next().expect("sendto exit");
    assert_eq!(n(sendx, "res"), 5);
    assert_eq!(p(sendx, "data"), b"hello");
    let recv = c.of("recvfrom", '<').into_iter().next().expect("recvfrom exit");
    assert_eq!(n(recv, "res"), 5);
    assert_eq!(p(recv, "data"), b"hello");
    // Inbound: the sender first, then the receiving socket.
    assert_eq!(p(recv, "tuple"), &tuple[..]);
}

#[test]
fn a_process_killed_by_a_signal() {
    if !live_ready() {
        return;
    }
    let c = capture("kill", &[], &["bash", "-c", "sleep 30 & p=$!; kill -9 $p; wait $p; exit 0"]);
    let kill = c.of("kill", '>').into_iter().next().expect("kill enter");
    assert_eq!(n(kill, "sig"), 9);
    let victim = n(kill, "pid");
    let exit =
        c.events().find(|e| type_name(e) == "procexit" && e.tid == victim).expect("procexit of the killed process");
    assert_eq!(n(exit, "sig"), 9);
    assert_eq!(n(exit, "status"), 9);
    assert_eq!(n(exit, "ret"), 0);
    let killx = c.of("kill", '<').into_iter().next().expect("kill exit");
    assert_eq!(n(killx, "res"), 0);
}

#[test]
fn buffers_are_cut_at_snaplen() {
    if !live_ready() {
        return;
    }
    let long = "x".repeat(300);
    let script = format!("printf '%s' {long} > /dev/null");
    let c = capture("snaplen", &["-s", "100"], &["bash", "-c", &script]);
    let w = c.of("write", '<').into_iter().find(|e| n(e, "res") == 300).expect("write of 300 bytes");
    assert_eq!(p(w, "data"), "x".repeat(100).as_bytes());
    let d = capture("snapdefault", &[], &["bash", "-c", &script]);
    let w = d.of("write", '<').into_iter().find(|e| n(e, "res") == 300).expect("write of 300 bytes");
    assert_eq!(p(w, "data").len(), 80, "the default snaplen is 80 bytes");
}

#[test]
fn the_stream_is_complete_and_ordered() {
    if !live_ready() {
        return;
    }
    let c = capture("stream", &[], &["bash", "-c", "for i in 1 2 3; do /bin/true; done"]);
    assert!(matches!(c.frames.first(), Some(Frame::Header(h)) if h.source == "live" && h.snaplen == 80));
    assert!(matches!(c.frames.last(), Some(Frame::End(end)) if end.reason == "eof" && end.n_drops == 0));
    assert!(c.frames.iter().any(|f| matches!(f, Frame::Stats(_))));
    assert!(c.frames.iter().any(|f| matches!(f, Frame::Thread(_))));
    let nums: Vec<u64> = c.events().map(|e| e.num).collect();
    assert_eq!(nums, (1..=nums.len() as u64).collect::<Vec<_>>(), "numbered from 1");
    let ts: Vec<u64> = c.events().map(|e| e.ts).collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "ordered by timestamp");
    // Only the traced tree: every event's thread is bash or one of its descendants.
    let mut allowed = std::collections::BTreeSet::new();
    c.replay(|e, _| {
        if let Some(Frame::Thread(t)) = c.frames.get(1) {
            allowed.insert(t.tid);
        }
        if matches!(type_name(e).as_str(), "clone" | "clone3" | "fork" | "vfork") && !e.is_enter() && n(e, "res") > 0 {
            allowed.insert(n(e, "res"));
        }
        assert!(allowed.contains(&e.tid), "event of thread {} outside the traced tree", e.tid);
    });
}

#[test]
fn count_and_syscall_set_limit_the_capture() {
    if !live_ready() {
        return;
    }
    let c = capture("count", &["-n", "5"], &["bash", "-c", "cat /etc/hostname > /dev/null"]);
    assert_eq!(c.events().count(), 5);
    assert!(matches!(c.frames.last(), Some(Frame::End(end)) if end.reason == "count" && end.n_events == 5));
    let only = capture("syscalls", &["--syscalls", "openat,close"], &["bash", "-c", "cat /etc/hostname > /dev/null"]);
    let kinds: std::collections::BTreeSet<String> = only.events().map(type_name).collect();
    for k in &kinds {
        assert!(
            matches!(
                k.as_str(),
                "openat"
                    | "close"
                    | "execve"
                    | "clone"
                    | "clone3"
                    | "fork"
                    | "vfork"
                    | "procexit"
                    | "signaldeliver"
                    | "procinfo"
            ),
            "unexpected {k}"
        );
    }
    assert!(kinds.contains("openat") && kinds.contains("close"));
}

#[test]
fn context_switches_and_page_faults_behind_flags() {
    if !live_ready() {
        return;
    }
    let plain = capture("noflags", &[], &["bash", "-c", "sleep 0.05"]);
    assert!(plain.of("switch", '>').is_empty() && plain.of("page_fault", '>').is_empty(), "off by default");
    let c = capture("flags", &["--sched-switch", "--page-faults"], &["bash", "-c", "sleep 0.05"]);
    let switches = c.of("switch", '>');
    assert!(!switches.is_empty(), "sleeping switches the CPU away");
    for e in &switches {
        assert!(n(e, "next") >= 0);
        assert!(n(e, "vm_size") > 0, "switch carries the memory counters");
    }
    let faults = c.of("page_fault", '>');
    assert!(!faults.is_empty(), "a new process faults its pages in");
    // Every user fault is flagged as one (PPM_PF_USER_FAULT).
    assert!(faults.iter().all(|e| n(e, "error") & (1 << 4) != 0));
}

#[test]
fn duration_compression_and_shared_buffers() {
    if !live_ready() {
        return;
    }
    let c = capture("duration", &["-M", "1", "-z", "--cpus-per-buffer", "2", "--buffer-size", "256K"], &["sleep", "5"]);
    assert!(matches!(c.frames.last(), Some(Frame::End(end)) if end.reason == "duration"), "-M ends the capture");
    assert!(c.of("execve", '<').iter().any(|e| s(e, "comm") == "sleep"));
}

#[test]
fn missing_privileges_are_named_up_front() {
    if !live_ready() {
        return;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"])
        .arg(bin("scap-record"))
        .args(["-w", "/dev/null", "--", "true"])
        .output()
        .expect("setpriv runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("scap-record: cannot capture: CAP_BPF is missing"), "{err}");
    assert!(err.contains("CAP_PERFMON") && err.lines().count() == 1, "{err}");
}

#[test]
fn a_program_that_does_not_load_is_reported_and_the_rest_run() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("disabled");
    let out = dir.0.join("d.scz");
    let res = Command::new(bin("scap-record"))
        .args(["--disable-program", "scap_proc_exit", "-w"])
        .arg(&out)
        .args(["--", "bash", "-c", "cat /etc/hostname > /dev/null"])
        .output()
        .expect("running scap-record");
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("program scap_proc_exit did not load") && err.contains("missing: procexit events"), "{err}");
    let mut src = Source::open_path(&out.to_string_lossy()).expect("opens");
    let mut frames = Vec::new();
    while let Some(f) = src.next_frame().expect("reads") {
        frames.push(f);
    }
    let c = Capture { frames, stdout: String::new(), cwd: String::new() };
    assert!(c.of("procexit", '>').is_empty(), "no procexit without its program");
    assert!(c.of("openat", '<').iter().any(|e| s(e, "name") == "/etc/hostname"), "the syscall programs still run");
}
