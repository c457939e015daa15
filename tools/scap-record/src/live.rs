//! Live capture: load the probe scoped as asked, snapshot the scoped processes, then decode,
//! order and write events until the command exits, a limit is reached or a signal arrives.
//!
//! Threads: the drain thread (scap_probe::drain) empties the rings; this thread decodes,
//! orders by timestamp and writes. A command to trace is forked first and waits on a pipe until
//! the probe tracks it, so its first instruction is already captured.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::ffi::CString;
use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use crossbeam_channel::{bounded, RecvTimeoutError};
use scap_common::event::EventRef;
use scap_common::wire::{self, CpuStats, End, Frame, Header, MachineInfo, Stats};
use scap_probe::abi;
use scap_probe::decode::{Decoder, Scratch, SysRecord};
use scap_probe::drain::{self, Batch};
use scap_probe::loader::{Probe, ProbeConfig, Scope};

use crate::snapshot::{self, Who};
use crate::Sink;

/// What to capture and when to stop.
#[derive(Clone, Debug, Default)]
pub struct LiveConfig {
    /// Run this command and capture it and its descendants.
    pub command: Vec<String>,
    /// Capture this process and its descendants.
    pub pid: Option<u32>,
    /// Capture this cgroup v2 (a path below the cgroup2 root, or inside its mount).
    pub cgroup: Option<String>,
    /// Capture this container (its cgroup is found by id).
    pub container: Option<String>,
    /// Capture only these syscall numbers (lifecycle syscalls are always captured).
    pub syscalls: Option<BTreeSet<u32>>,
    /// Bytes of I/O buffers per event.
    pub snaplen: u32,
    /// Stop after this many events.
    pub count: Option<u64>,
    /// Stop after this many seconds.
    pub seconds: Option<u64>,
    /// Bytes per ring buffer.
    pub buffer_size: u32,
    /// CPUs sharing a ring buffer.
    pub cpus_per_buffer: u32,
    /// Capture context switches.
    pub sched_switch: bool,
    /// Capture page faults.
    pub page_faults: bool,
    /// Whether the command's stdout must be kept off our stdout (the stream goes there).
    pub command_stdout_to_stderr: bool,
    /// Milliseconds to sleep per batch: a deliberately slow consumer, for drop tests.
    pub slow_consumer_ms: u64,
    /// Probe programs not to attach.
    pub disabled_programs: Vec<String>,
}

/// How a capture ended.
#[derive(Debug, Default)]
pub struct LiveOutcome {
    /// Events written.
    pub n_events: u64,
    /// Events the kernel dropped.
    pub n_drops: u64,
    /// Why it ended.
    pub reason: String,
    /// Programs that did not load and what is missing because of it.
    pub warnings: Vec<String>,
    /// The traced command's exit status, when there was one.
    pub command_status: Option<i32>,
    /// Seconds from the first event to the end of the capture.
    pub seconds: f64,
    /// CPU seconds this process (drain and decode threads) used, user plus system.
    pub cpu_seconds: f64,
}

static SIGNALLED: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    SIGNALLED.store(sig, Ordering::Relaxed);
}

fn install_signal_handlers() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: on_signal only stores into an atomic, which is async-signal-safe.
        unsafe { libc::signal(sig, on_signal as *const () as libc::sighandler_t) };
    }
}

/// A forked command waiting on its gate.
struct Gated {
    pid: libc::pid_t,
    gate: libc::c_int,
}

fn spawn_gated(argv: &[String], stdout_to_stderr: bool) -> Result<Gated> {
    let cargs: Vec<CString> = argv
        .iter()
        .map(|a| CString::new(a.as_bytes()).with_context(|| format!("argument {a:?} contains a NUL byte")))
        .collect::<Result<_>>()?;
    let mut ptrs: Vec<*const libc::c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 writes two fds into the array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        bail!("cannot create a pipe: {}", std::io::Error::last_os_error());
    }
    // SAFETY: the child only calls async-signal-safe functions (close, read, dup2, execvp,
    // write, _exit) on data prepared before the fork.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        bail!("cannot fork: {}", std::io::Error::last_os_error());
    }
    if pid == 0 {
        // SAFETY: see above; this is the child and it never returns into Rust code.
        unsafe {
            libc::close(fds[1]);
            let mut b = 0u8;
            loop {
                let n = libc::read(fds[0], (&mut b as *mut u8).cast(), 1);
                if n == 1 {
                    break;
                }
                if n == 0 || *libc::__errno_location() != libc::EINTR {
                    libc::_exit(126);
                }
            }
            if stdout_to_stderr {
                libc::dup2(2, 1);
            }
            libc::execvp(ptrs[0], ptrs.as_ptr());
            let msg = b"scap-record: cannot execute the command\n";
            libc::write(2, msg.as_ptr().cast(), msg.len());
            libc::_exit(127);
        }
    }
    // SAFETY: closing our copy of the read end, which we own.
    unsafe { libc::close(fds[0]) };
    Ok(Gated { pid, gate: fds[1] })
}

impl Gated {
    fn release(&mut self) {
        if self.gate >= 0 {
            // SAFETY: writing one byte from a local and closing the fd we own.
            unsafe {
                libc::write(self.gate, b"g".as_ptr().cast(), 1);
                libc::close(self.gate);
            }
            self.gate = -1;
        }
    }

    /// Waits for the command on a thread of its own, so that its exit ends the capture at once
    /// rather than at the decode loop's next timeout: the thread stores the exit status, then
    /// stops the drain thread, whose last batch wakes the decode loop.
    fn wait_in_thread(&self, stop: drain::Stopper) -> Arc<AtomicI64> {
        let status = Arc::new(AtomicI64::new(NO_STATUS));
        let out = Arc::clone(&status);
        let pid = self.pid;
        let waiter = std::thread::Builder::new().name("scap-wait".into()).spawn(move || loop {
            let mut st = 0;
            // SAFETY: waitpid writes the status of our own child into a local.
            let r = unsafe { libc::waitpid(pid, &mut st, 0) };
            if r == pid {
                out.store(i64::from(st), Ordering::Release);
                stop.stop();
                return;
            }
            if r < 0 && errno() != libc::EINTR {
                return;
            }
        });
        if waiter.is_err() {
            // No thread: the decode loop polls instead (`poll_status`).
            status.store(POLL_STATUS, Ordering::Release);
        }
        status
    }

    /// The exit status if the command has ended, from the waiting thread, or by polling when
    /// there is none.
    fn status(&self, from_thread: &AtomicI64) -> Option<i32> {
        match from_thread.load(Ordering::Acquire) {
            NO_STATUS => None,
            POLL_STATUS => {
                let mut status = 0;
                // SAFETY: waitpid writes the status of our own child into a local.
                let r = unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
                (r == self.pid).then(|| {
                    from_thread.store(i64::from(status), Ordering::Release);
                    status
                })
            }
            st => Some(st as i32),
        }
    }
}

/// No exit status yet.
const NO_STATUS: i64 = i64::MIN;
/// No waiting thread: poll for the status.
const POLL_STATUS: i64 = i64::MIN + 1;

impl Drop for Gated {
    fn drop(&mut self) {
        if self.gate >= 0 {
            // SAFETY: closing the gate we own makes a never-released child exit.
            unsafe { libc::close(self.gate) };
        }
    }
}

/// The process trees `-p` captures, followed through the records so that the capture ends when
/// the last of their processes has exited (as `-- CMD` ends when the command exits). A process
/// joins when a traced process forks it (the parent's clone/fork exit names it) or when it
/// returns from its own fork; it leaves at its thread group's exit. A child can exit before its
/// parent's fork returns, so processes seen exiting are remembered and not added again by the
/// parent; members of the starting tree that were gone before the probe was attached, or are
/// missed otherwise, are found by asking the kernel (signal 0) once a second.
///
/// An exited process is remembered only until its parent's fork return names it, and at most
/// two of those once-a-second checks (records reach this thread within milliseconds of being
/// written): `dead` holds the exits seen since the last check, `dead_before` those of the
/// second before. A parent stopped longer than that between its child's exit and its own fork
/// return adds the child back, and the next check finds it gone.
struct TreeWatch {
    root: u32,
    alive: HashSet<u32>,
    dead: HashSet<u32>,
    dead_before: HashSet<u32>,
    checked: Instant,
}

impl TreeWatch {
    fn new(root: u32, tree: &BTreeSet<u32>) -> TreeWatch {
        TreeWatch {
            root,
            alive: tree.iter().copied().collect(),
            dead: HashSet::new(),
            dead_before: HashSet::new(),
            checked: Instant::now(),
        }
    }

    /// Forgets an exited process; whether it was remembered.
    fn forget(&mut self, pid: u32) -> bool {
        // Both sets, not `||`: a pid reused within two seconds can be in each.
        self.dead.remove(&pid) | self.dead_before.remove(&pid)
    }

    /// Takes note of one record (only process lifecycle records matter; the rest cost a compare).
    fn see(&mut self, rec: &[u8]) {
        let Some(h) = scap_probe::decode::header(rec) else { return };
        if h.kind == abi::rec::PROC_EXIT {
            if abi::read::<abi::ProcExit>(rec).is_some_and(|x| x.group_dead != 0) {
                self.alive.remove(&h.pid);
                self.dead.insert(h.pid);
            }
            return;
        }
        if h.kind != abi::rec::SYS_EXIT {
            return;
        }
        let Some(head) = abi::read::<abi::SysHead>(rec) else { return };
        const CLONE_THREAD: u64 = 0x10000;
        let new_process = match i64::from(head.nr) {
            libc::SYS_fork | libc::SYS_vfork => true,
            libc::SYS_clone | libc::SYS_clone3 if head.ret > 0 => {
                let Ok(r) = SysRecord::parse(rec) else { return };
                let flags = if i64::from(head.nr) == libc::SYS_clone {
                    r.sys.args[0]
                } else {
                    r.item(abi::arg::MEM8, 0)
                        .and_then(|b| Some(u64::from_le_bytes(b.get(..8)?.try_into().ok()?)))
                        .unwrap_or(0)
                };
                flags & CLONE_THREAD == 0
            }
            libc::SYS_clone | libc::SYS_clone3 => true,
            _ => return,
        };
        if head.ret == 0 {
            // The child returning from its fork: it is alive, whatever was seen of its pid before.
            self.forget(h.pid);
            self.alive.insert(h.pid);
        } else if head.ret > 0 && new_process {
            // The parent's fork return is the last record that needs the child's exit.
            let child = head.ret as u32;
            if !self.forget(child) {
                self.alive.insert(child);
            }
        }
    }

    /// Whether every traced process has exited.
    fn ended(&mut self) -> bool {
        if self.checked.elapsed() >= Duration::from_secs(1) {
            self.checked = Instant::now();
            self.dead_before = std::mem::take(&mut self.dead);
            // SAFETY: kill with signal 0 only checks that the process exists; nothing is sent.
            self.alive.retain(|&p| unsafe { libc::kill(p as libc::pid_t, 0) } == 0 || errno() != libc::ESRCH);
        }
        self.alive.is_empty()
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Where the cgroup v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on
/// hybrid hosts), from /proc/self/mountinfo.
pub fn cgroup2_root() -> Option<String> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    info.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        (right.split_whitespace().next() == Some("cgroup2"))
            .then(|| left.split_whitespace().nth(4).map(str::to_string))?
    })
}

/// Finds a cgroup v2 directory, given as a path below the v2 root or an absolute path inside the
/// v2 mount: (id, depth below the root, absolute path, path relative to the root).
fn cgroup_of(path: &str) -> Result<(u64, u32, String, String)> {
    use std::os::unix::fs::MetadataExt;
    let Some(root) = cgroup2_root() else { bail!("--cgroup needs cgroup v2, and no cgroup2 filesystem is mounted") };
    let rel = path.strip_prefix(root.as_str()).unwrap_or(path).trim_matches('/').to_string();
    let full = if rel.is_empty() { root.clone() } else { format!("{root}/{rel}") };
    let meta = std::fs::metadata(&full).with_context(|| format!("cgroup {full}"))?;
    if !meta.is_dir() || std::fs::metadata(format!("{full}/cgroup.procs")).is_err() {
        bail!("{full} is not a cgroup v2 directory");
    }
    let level = if rel.is_empty() { 0 } else { rel.split('/').count() as u32 };
    Ok((meta.ino(), level, full, format!("/{rel}")))
}

/// Processes whose cgroup (any hierarchy, v1 included) names the container.
fn container_pids_v1(id: &str) -> Vec<u32> {
    if id.len() < 4 {
        return Vec::new();
    }
    snapshot::all_pids()
        .into_iter()
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/cgroup")).is_ok_and(|c| c.lines().any(|l| l.contains(id)))
        })
        .collect()
}

fn find_container_cgroup(id: &str) -> Result<String> {
    fn walk(dir: &std::path::Path, id: &str, depth: u32, found: &mut Vec<String>) {
        if depth > 6 {
            return;
        }
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.filter_map(|e| e.ok()) {
            if !e.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains(id) && !name.ends_with(".mount") {
                found.push(e.path().to_string_lossy().into_owned());
            } else {
                walk(&e.path(), id, depth + 1, found);
            }
        }
    }
    if id.len() < 4 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        bail!("container id {id:?} is not a container id");
    }
    let mut found = Vec::new();
    let Some(root) = cgroup2_root() else { bail!("--container needs cgroup v2, and no cgroup2 filesystem is mounted") };
    walk(std::path::Path::new(&root), id, 0, &mut found);
    match found.len() {
        0 => bail!("no cgroup under {root} belongs to container {id}"),
        1 => Ok(found.remove(0)),
        _ => bail!("container id {id} is ambiguous: {}", found.join(", ")),
    }
}

fn machine() -> MachineInfo {
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string();
    let memory_bytes = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kb| kb * 1024);
    let max_pid =
        std::fs::read_to_string("/proc/sys/kernel/pid_max").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    let uptime =
        std::fs::read_to_string("/proc/uptime").ok().and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok());
    let boot_ts = uptime.map_or(0, |up| drain::realtime_ns().saturating_sub((up * 1e9) as u64));
    // SAFETY: sysconf has no memory effects.
    let num_cpus = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1) as u32;
    MachineInfo { hostname, num_cpus, memory_bytes, max_pid, boot_ts, kernel }
}

/// Runs a live capture into `sink`.
pub fn capture(cfg: &LiveConfig, sink: &mut dyn Sink) -> Result<LiveOutcome> {
    let mut timing = scap_probe::timing::Timing::new();
    let missing = scap_probe::privileges::missing();
    if !missing.is_empty() {
        bail!("cannot capture: {}", missing.join("; "));
    }
    // Fork the command first, while this process has a single thread.
    let mut child =
        if cfg.command.is_empty() { None } else { Some(spawn_gated(&cfg.command, cfg.command_stdout_to_stderr)?) };
    let mut scope = Scope::default();
    let mut who = Who::All;
    let mut tree_watch = None;
    if let Some(c) = &child {
        scope.pid_filter = true;
        scope.pids = vec![c.pid as u32];
        who = Who::Pids(BTreeSet::from([c.pid as u32]));
    } else if let Some(pid) = cfg.pid {
        if std::fs::metadata(format!("/proc/{pid}")).is_err() {
            bail!("no process {pid}");
        }
        let tree = snapshot::process_tree(pid);
        tree_watch = Some(TreeWatch::new(pid, &tree));
        scope.pid_filter = true;
        scope.pids = tree.iter().copied().collect();
        who = Who::Pids(tree);
    }
    let cgroup_path = match (&cfg.cgroup, &cfg.container) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(id)) => match find_container_cgroup(id) {
            Ok(p) => Some(p),
            Err(e) => {
                // Hosts whose runtime uses cgroup v1 have no v2 cgroup per container: follow the
                // container's processes as process trees instead.
                let pids = container_pids_v1(id);
                if pids.is_empty() {
                    return Err(e);
                }
                eprintln!(
                    "scap-record: warning: container {id} has no cgroup v2 directory; capturing its {} processes and their descendants (processes entering it later, as with docker exec, are missed)",
                    pids.len()
                );
                let mut tree = BTreeSet::new();
                for p in &pids {
                    tree.extend(snapshot::process_tree(*p));
                }
                scope.pid_filter = true;
                scope.pids = tree.iter().copied().collect();
                who = Who::Pids(tree);
                None
            }
        },
        _ => None,
    };
    if let Some(p) = &cgroup_path {
        let (id, level, _full, rel) = cgroup_of(p)?;
        scope.cgroup = Some((id, level));
        if !scope.pid_filter {
            who = Who::Pids(snapshot::cgroup_members(&rel));
        }
    }
    let probe_cfg = ProbeConfig {
        scope,
        self_tgid: std::process::id(),
        snaplen: cfg.snaplen,
        buffer_size: cfg.buffer_size,
        cpus_per_buffer: cfg.cpus_per_buffer,
        syscalls: cfg.syscalls.clone(),
        sched_switch: cfg.sched_switch,
        page_faults: cfg.page_faults,
        disabled: cfg.disabled_programs.clone(),
        ..ProbeConfig::default()
    };
    timing.mark("command forked, scope found");
    let mut probe = Probe::load(&probe_cfg).context("loading the eBPF probe")?;
    timing.mark("probe loaded");
    let timing_on = std::env::var_os("SCAP_RECORD_TIMING").map(|_| probe.timing.line());
    for w in &probe.warnings {
        eprintln!("scap-record: warning: {w}");
    }
    // The rings hold only tens of milliseconds at full rate: keep this process ahead of ordinary
    // work for the CPU (threads started from here inherit it; the command was forked before).
    // SAFETY: setpriority changes this thread's nice value and touches no memory.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, -10) };
    let ts_offset = drain::realtime_ns().wrapping_sub(drain::monotonic_ns());
    let decoder = Decoder::new(ts_offset);
    let (tx, rx) = bounded::<Batch>(16);
    let (recycle_tx, recycle_rx) = bounded::<Batch>(16);
    let (drain_thread, stop) =
        drain::spawn(probe.take_rings(), probe.take_procinfo(), tx, recycle_rx).context("starting the drain thread")?;
    install_signal_handlers();
    timing.mark("drain thread started");

    // The snapshot, after the probe is attached and draining.
    let header = Header {
        version: wire::VERSION,
        writer: format!("scap-record {}", env!("CARGO_PKG_VERSION")),
        source: "live".into(),
        machine: machine(),
        snaplen: cfg.snaplen,
        features: Vec::new(),
    };
    sink.write(&Frame::Header(header))?;
    let (threads, fds) = snapshot::threads(&who);
    for t in threads {
        sink.write(&Frame::Thread(t))?;
    }
    for f in fds {
        sink.write(&Frame::Fd(f))?;
    }
    for u in snapshot::users() {
        sink.write(&Frame::User(u))?;
    }
    for g in snapshot::groups() {
        sink.write(&Frame::Group(g))?;
    }
    for i in snapshot::interfaces() {
        sink.write(&Frame::Interface(i))?;
    }
    // The header and snapshot are out as soon as capture runs: a reader sees it has started.
    sink.flush()?;
    let child_status = match child.as_mut() {
        Some(c) => {
            c.release();
            Some(c.wait_in_thread(stop.clone()))
        }
        None => None,
    };
    timing.mark("snapshot written, command released");
    if let Some(p) = &timing_on {
        eprintln!("scap-record: timing: start: {}; probe: {}", timing.line(), p);
    }

    let started = Instant::now();
    let deadline = cfg.seconds.map(|s| started + Duration::from_secs(s));
    let mut out = LiveOutcome { warnings: probe.warnings.clone(), ..LiveOutcome::default() };
    let mut pending = Pending::default();
    let mut scratch = Scratch::default();
    let mut last_stats = Instant::now();
    let mut reason: Option<&'static str> = None;
    let mut n_bad = 0u64;
    // Records received per CPU: the "events" counter of the stats frames.
    let mut received = vec![0u64; probe.n_cpus() as usize];
    const MARGIN_NS: u64 = 5_000_000;
    loop {
        if reason.is_none() {
            let sig = SIGNALLED.load(Ordering::Relaxed);
            if sig != 0 {
                reason = Some("signal");
            } else if deadline.is_some_and(|d| Instant::now() >= d) {
                reason = Some("duration");
            } else if let Some(status) = child.as_ref().zip(child_status.as_ref()).and_then(|(c, s)| c.status(s)) {
                out.command_status = Some(status);
                reason = Some("eof");
            } else if tree_watch.as_mut().is_some_and(TreeWatch::ended) {
                let root = tree_watch.as_ref().map_or(0, |t| t.root);
                eprintln!("scap-record: process {root} and its descendants have exited; the capture ends");
                reason = Some("eof");
            }
            if reason.is_some() {
                stop.stop();
            }
        }
        let batch = match rx.recv_timeout(Duration::from_millis(10)) {
            Ok(b) => b,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if cfg.slow_consumer_ms > 0 {
            std::thread::sleep(Duration::from_millis(cfg.slow_consumer_ms));
        }
        // Order by timestamp across CPUs: raw records are sorted (each CPU's ring is in order
        // already), and those older than the batch's watermark minus a margin go out, decoded
        // straight into the output.
        let mark = if batch.last { u64::MAX } else { batch.watermark.saturating_sub(MARGIN_NS) };
        let last = batch.last;
        pending.add(batch);
        let cut = pending.sort_and_cut(mark);
        for i in 0..cut {
            let rec = pending.record(i);
            if let Some(t) = tree_watch.as_mut() {
                t.see(rec);
            }
            if cfg.count.is_some_and(|n| out.n_events >= n) {
                // The limit cut the stream, whatever else was about to end it.
                reason = Some("count");
                stop.stop();
                break;
            }
            if let Some(g) = decoder.decode_generic(rec) {
                out.n_events += 1;
                sink.write_event(&g.as_event(out.n_events))?;
                if let Some(n) = received.get_mut(usize::from(g.cpu)) {
                    *n += 1;
                }
                continue;
            }
            match decoder.decode_ref(rec, &mut scratch) {
                Ok(e) => {
                    if let Some(n) = received.get_mut(usize::from(e.cpu)) {
                        *n += 1;
                    }
                    out.n_events += 1;
                    sink.write_event(&EventRef { num: out.n_events, ..e })?;
                }
                Err(_) => n_bad += 1,
            }
        }
        // Batches whose records are all out go back to the drain thread for reuse (dropped
        // when it already has enough).
        pending.consume(cut, |b| {
            let _ = recycle_tx.try_send(b);
        });
        if last_stats.elapsed() >= Duration::from_secs(1) || last {
            last_stats = Instant::now();
            let stats = stats_frame(&probe, &received);
            out.n_drops = stats.cpus.iter().map(|c| c.drops_buffer).sum();
            sink.write(&Frame::Stats(stats))?;
        }
        if last {
            break;
        }
    }
    let _ = drain_thread.join();
    if out.command_status.is_none() {
        // The command ended and stopped the drain thread before the loop looked.
        out.command_status = child.as_ref().zip(child_status.as_ref()).and_then(|(c, s)| c.status(s));
    }
    let mut end_timing = scap_probe::timing::Timing::new();
    out.seconds = started.elapsed().as_secs_f64();
    out.cpu_seconds = self_cpu_seconds();
    if n_bad > 0 {
        eprintln!("scap-record: warning: {n_bad} records could not be decoded and were skipped");
    }
    out.reason = reason.unwrap_or("eof").to_string();
    sink.write(&Frame::End(End { n_events: out.n_events, n_drops: out.n_drops, reason: out.reason.clone() }))?;
    end_timing.mark("end written");
    drop(probe);
    end_timing.mark("probe detached");
    if timing_on.is_some() {
        eprintln!("scap-record: timing: stop: {}", end_timing.line());
    }
    Ok(out)
}

/// Raw records waiting to be ordered and written: an index of the records not yet written,
/// over the batches that hold them. A batch is kept (records are never copied again) until
/// its last record is written; with a poll every few milliseconds and a margin of
/// `MARGIN_NS`, about half of a batch waits for the next one.
#[derive(Default)]
struct Pending {
    /// Batches with records left to write, and how many; `batches[0]` is batch number `first`.
    batches: VecDeque<(Batch, usize)>,
    first: u32,
    index: Vec<Waiting>,
}

/// One record waiting: its monotonic timestamp, where it is, and in which batch (by number).
#[derive(Clone, Copy)]
struct Waiting {
    ts: u64,
    start: u32,
    len: u32,
    batch: u32,
}

impl Pending {
    fn add(&mut self, batch: Batch) {
        let number = self.first.wrapping_add(self.batches.len() as u32);
        self.index.extend(batch.records.iter().map(|&(ts, start, len)| Waiting { ts, start, len, batch: number }));
        let n = batch.records.len();
        self.batches.push_back((batch, n));
    }

    /// Sorts by timestamp (stable: records of one CPU with equal stamps keep their order) and
    /// returns how many are older than `mark`.
    fn sort_and_cut(&mut self, mark: u64) -> usize {
        self.index.sort_by_key(|r| r.ts);
        self.index.partition_point(|r| r.ts < mark)
    }

    fn record(&self, i: usize) -> &[u8] {
        let w = self.index[i];
        let batch = &self.batches[w.batch.wrapping_sub(self.first) as usize].0;
        &batch.data[w.start as usize..(w.start + w.len) as usize]
    }

    /// Drops the first `n` records of the index, and hands the batches left with no records to
    /// `done`, oldest first.
    fn consume(&mut self, n: usize, mut done: impl FnMut(Batch)) {
        let n = n.min(self.index.len());
        for w in self.index.drain(..n) {
            if let Some(b) = self.batches.get_mut(w.batch.wrapping_sub(self.first) as usize) {
                b.1 -= 1;
            }
        }
        while self.batches.front().is_some_and(|b| b.1 == 0) {
            if let Some((b, _)) = self.batches.pop_front() {
                done(b);
            }
            self.first = self.first.wrapping_add(1);
        }
    }
}

/// User plus system CPU time of this process (all its threads), not of the traced command.
fn self_cpu_seconds() -> f64 {
    // SAFETY: rusage is plain data; getrusage fills the zeroed struct we own.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer to our struct.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return 0.0;
    }
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

fn stats_frame(probe: &Probe, received: &[u64]) -> Stats {
    let cpus = probe
        .counters()
        .iter()
        .enumerate()
        .map(|(cpu, c)| CpuStats {
            cpu: cpu as u32,
            events: received.get(cpu).copied().unwrap_or(0),
            drops_buffer: c.drops_buffer + c.lifecycle_drops,
            drops_other: c.drops_other,
        })
        .collect();
    Stats { ts: drain::realtime_ns(), cpus }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes<T: Copy>(v: &T) -> Vec<u8> {
        // SAFETY: the ABI structs are #[repr(C)] integers without padding; reading their bytes
        // is reading initialized memory.
        unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), std::mem::size_of::<T>()) }.to_vec()
    }

    fn hdr(kind: u16, pid: u32) -> abi::Hdr {
        abi::Hdr { kind, pid, tid: pid, ..abi::Hdr::default() }
    }

    fn fork_return(pid: u32, ret: i64) -> Vec<u8> {
        bytes(&abi::SysHead { h: hdr(abi::rec::SYS_EXIT, pid), nr: libc::SYS_fork as u32, n_items: 0, ret })
    }

    fn exit(pid: u32) -> Vec<u8> {
        bytes(&abi::ProcExit { h: hdr(abi::rec::PROC_EXIT, pid), group_dead: 1, ..abi::ProcExit::default() })
    }

    fn one_check_later(t: &mut TreeWatch) -> bool {
        t.checked = Instant::now() - Duration::from_secs(2);
        t.ended()
    }

    #[test]
    fn tree_watch_forgets_exits_once_they_are_no_longer_needed() {
        let me = std::process::id();
        let mut t = TreeWatch::new(me, &BTreeSet::from([me]));
        // A child that exits before its parent's fork returns is not added by that return, and
        // is forgotten then.
        t.see(&exit(1_000_001));
        t.see(&fork_return(me, 1_000_001));
        assert!(!t.alive.contains(&1_000_001));
        assert!(t.dead.is_empty() && t.dead_before.is_empty());
        // A child seen forking and exiting is gone from every set.
        t.see(&fork_return(me, 1_000_002));
        t.see(&fork_return(1_000_002, 0));
        t.see(&exit(1_000_002));
        t.see(&fork_return(me, 1_000_003));
        assert_eq!(t.alive, HashSet::from([me, 1_000_003]));
        assert_eq!(t.dead, HashSet::from([1_000_002]));
        // An exit no fork return names is kept for one check more, then dropped.
        assert!(!one_check_later(&mut t));
        assert_eq!(t.dead_before, HashSet::from([1_000_002]));
        t.see(&fork_return(me, 1_000_002));
        assert!(!t.alive.contains(&1_000_002), "still remembered after one check");
        t.see(&exit(1_000_004));
        one_check_later(&mut t);
        one_check_later(&mut t);
        assert!(t.dead.is_empty() && t.dead_before.is_empty());
        // The root alone is left (1_000_003 does not exist, which the check finds).
        assert_eq!(t.alive, HashSet::from([me]));
    }
}
