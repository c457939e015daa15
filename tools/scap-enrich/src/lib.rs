//! scap-enrich: adds what the host knows and no event carries to a live stream: container
//! metadata from the runtimes, users and groups of the host and of each container, and `/proc`
//! lookups for threads and fds a capture meets before any event described them.
//!
//! Central type: `Enricher`, a `Stage` built from a `Config`. It keeps the stream's `State`, and:
//!
//! - when a thread is seen in a container it has not met (from its cgroups, see
//!   `scap_common::cgroup`), it queues a metadata lookup on worker threads (`lookup`) and lets
//!   the events pass; the container's record (and the container's own users and groups) follows
//!   in the stream when the runtime answers. A runtime that cannot be reached is reported once.
//! - before an event of a thread the stream never described, it emits the thread (and its
//!   process and fds) as `/proc` shows them (`procfs`), so `proc.name` is known at that event;
//!   before an event on an fd the process's table lacks, it emits that fd.
//! - before the first event, it emits the host's users and groups when the stream has none.
//!
//! Lookups only make sense on the machine the events come from, so by default they happen only
//! for a live stream captured on this host (`--lookups auto`); imported traces pass unchanged.
//!
//! ```no_run
//! use scap_enrich::{Config, Enricher};
//! let mut enricher = Enricher::new(Config::default());
//! // scap_common::stage::run(source, &mut enricher, &mut writer)
//! # let _ = &mut enricher;
//! ```

pub mod lookup;
pub mod procfs;
pub mod runtime;
pub mod users;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args as ClapArgs, ValueEnum};
use crossbeam_channel::{select, Receiver};
use scap_common::cgroup;
use scap_common::cli::{InputArgs, OutputArgs};
use scap_common::event::Event;
use scap_common::input::{InputError, Source};
use scap_common::stage::{Emit, Flow, Stage, StageError};
use scap_common::state::State;
use scap_common::wire::{Frame, Header};

use crate::lookup::{Done, Job, Workers};
use crate::procfs::Procfs;
use crate::runtime::Runtimes;

/// When to look things up on this host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Lookups {
    /// For live streams captured on this host (the header says `live` and names this host).
    #[default]
    Auto,
    /// Always, whatever the header says.
    Always,
    /// Never: only pass the stream through.
    Never,
}

/// Command-line arguments of scap-enrich.
#[derive(ClapArgs, Debug, Clone)]
#[deny(missing_docs)]
pub struct Args {
    /// Input options
    #[command(flatten)]
    pub input: InputArgs,
    /// Output options
    #[command(flatten)]
    pub output: OutputArgs,
    /// When to look up containers, users and /proc on this host
    #[arg(long, value_enum, default_value_t = Lookups::Auto, value_name = "WHEN")]
    pub lookups: Lookups,
    /// Docker's API socket
    #[arg(long, value_name = "PATH", default_value = "/var/run/docker.sock")]
    pub docker_socket: PathBuf,
    /// Podman's API socket (root containers; rootless ones use their user's socket)
    #[arg(long, value_name = "PATH", default_value = "/run/podman/podman.sock")]
    pub podman_socket: PathBuf,
    /// CRI-O's socket
    #[arg(long, value_name = "PATH", default_value = "/var/run/crio/crio.sock")]
    pub crio_socket: PathBuf,
    /// How long a runtime may take to answer, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout: u64,
    /// Say nothing on stderr about unreachable runtimes
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// When to look things up.
    pub lookups: Lookups,
    /// Where the runtimes are.
    pub runtimes: Runtimes,
    /// Where `/proc` is.
    pub procfs: Procfs,
    /// The host's root, for `/etc/passwd` and `/etc/group`.
    pub host_root: PathBuf,
    /// Lookup threads.
    pub n_workers: usize,
    /// Whether to keep quiet about runtime problems.
    pub quiet: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            lookups: Lookups::Auto,
            runtimes: Runtimes::default(),
            procfs: Procfs::default(),
            host_root: PathBuf::from("/"),
            n_workers: 2,
            quiet: false,
        }
    }
}

impl Config {
    /// Settings from the command line.
    pub fn from_args(args: &Args) -> Config {
        let runtimes = Runtimes {
            docker: args.docker_socket.clone(),
            podman: args.podman_socket.clone(),
            crio: args.crio_socket.clone(),
            timeout: Duration::from_millis(args.timeout),
            ..Runtimes::default()
        };
        Config { lookups: args.lookups, runtimes, quiet: args.quiet, ..Config::default() }
    }
}

/// Counters of what the stage did, for tests and `-v` style summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Threads described from `/proc`.
    pub threads_from_proc: u64,
    /// Fds described from `/proc`.
    pub fds_from_proc: u64,
    /// Container lookups started.
    pub container_lookups: u64,
    /// Container records emitted from lookups.
    pub containers_emitted: u64,
}

/// The enrich stage.
pub struct Enricher {
    config: Config,
    state: State,
    /// Whether host lookups apply to this stream (decided by its header).
    active: bool,
    workers: Option<Workers>,
    n_pending: usize,
    asked: HashSet<String>,
    host_users_done: bool,
    proc_misses: HashSet<i64>,
    fd_misses: HashSet<(i64, i64)>,
    reported: HashSet<String>,
    diag: Box<dyn Write + Send>,
    counters: Counters,
}

impl Enricher {
    /// A stage with these settings, reporting problems on stderr.
    pub fn new(config: Config) -> Enricher {
        Enricher::with_diagnostics(config, Box::new(io::stderr()))
    }

    /// A stage that writes its warnings to `diag`.
    pub fn with_diagnostics(config: Config, diag: Box<dyn Write + Send>) -> Enricher {
        let active = config.lookups == Lookups::Always;
        Enricher {
            config,
            state: State::new(),
            active,
            workers: None,
            n_pending: 0,
            asked: HashSet::new(),
            host_users_done: false,
            proc_misses: HashSet::new(),
            fd_misses: HashSet::new(),
            reported: HashSet::new(),
            diag,
            counters: Counters::default(),
        }
    }

    /// What the stage did so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Where lookup answers arrive, for a runner that waits on both input and answers.
    pub fn answers(&mut self) -> Receiver<Done> {
        self.workers().done().clone()
    }

    /// The lookup threads, started on first use.
    fn workers(&mut self) -> &Workers {
        let (n, runtimes, procfs) = (self.config.n_workers, &self.config.runtimes, &self.config.procfs);
        self.workers.get_or_insert_with(|| Workers::start(n, runtimes.clone(), procfs.clone()))
    }

    /// Emits the answers that have arrived, without waiting.
    pub fn poll(&mut self, out: &mut dyn Emit) -> Result<(), StageError> {
        loop {
            let Some(done) = self.workers.as_ref().and_then(|w| w.done().try_recv().ok()) else { return Ok(()) };
            self.emit_answer(done, out)?;
        }
    }

    /// Waits for lookups still under way, emitting their answers: as long as a lookup can take,
    /// which is two runtime calls (Docker's layout is asked of Docker, then of containerd's CRI,
    /// as Kubernetes on containerd looks the same), each bounded by the runtimes' timeout.
    fn wait_pending(&mut self, out: &mut dyn Emit) -> Result<(), StageError> {
        let deadline = Instant::now() + 2 * self.config.runtimes.timeout + Duration::from_millis(200);
        while self.n_pending > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(done) = self.workers.as_ref().and_then(|w| w.done().recv_timeout(left).ok()) else { break };
            self.emit_answer(done, out)?;
        }
        Ok(())
    }

    fn emit_answer(&mut self, done: Done, out: &mut dyn Emit) -> Result<(), StageError> {
        self.n_pending = self.n_pending.saturating_sub(1);
        for p in &done.answer.problems {
            if self.reported.insert(p.key.clone()) && !self.config.quiet {
                let _ = writeln!(self.diag, "scap-enrich: {} (container metadata from it will be missing)", p.message);
            }
        }
        for u in done.users {
            self.forward(Frame::User(u), out)?;
        }
        for g in done.groups {
            self.forward(Frame::Group(g), out)?;
        }
        for related in done.answer.related {
            self.asked.insert(related.id.clone());
            self.forward(Frame::Container(related), out)?;
        }
        self.counters.containers_emitted += 1;
        self.forward(Frame::Container(done.answer.record), out)
    }

    /// Applies a frame to the stage's own state and sends it on.
    fn forward(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<(), StageError> {
        self.state.apply(&frame);
        out.emit(frame)
    }

    fn on_header(&mut self, h: &Header) {
        self.active = match self.config.lookups {
            Lookups::Always => true,
            Lookups::Never => false,
            Lookups::Auto => h.source == "live" && h.machine.hostname == local_hostname(),
        };
    }

    /// The records an event needs before it: host users, its thread, its fd.
    fn before_event(&mut self, e: &Event, out: &mut dyn Emit) -> Result<(), StageError> {
        if !self.host_users_done {
            self.host_users_done = true;
            if !self.state.users.keys().any(|(container, _)| container.is_empty()) {
                let (users, groups) = users::read(&self.config.host_root, "");
                for u in users {
                    self.forward(Frame::User(u), out)?;
                }
                for g in groups {
                    self.forward(Frame::Group(g), out)?;
                }
            }
        }
        let known = self.state.thread(e.tid).is_some_and(|t| !t.synthetic);
        if !known && e.tid > 0 && !self.proc_misses.contains(&e.tid) && !creates_own_thread(e) {
            self.describe_thread(e.tid, out)?;
        }
        if e.is_enter() {
            if let Some(fd) = self.state.event_fd(e).filter(|&fd| fd >= 0) {
                let pid = self.state.thread(e.tid).map_or(e.tid, |t| t.pid);
                if self.state.fd(e.tid, fd).is_none() && self.fd_misses.insert((pid, fd)) {
                    if let Some(rec) = self.config.procfs.fd(pid, fd) {
                        self.counters.fds_from_proc += 1;
                        self.fd_misses.remove(&(pid, fd));
                        self.forward(Frame::Fd(rec), out)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Emits a thread from `/proc`, with its process's main thread and fds when those are unknown.
    fn describe_thread(&mut self, tid: i64, out: &mut dyn Emit) -> Result<(), StageError> {
        let Some(rec) = self.config.procfs.thread(tid) else {
            self.proc_misses.insert(tid);
            return Ok(());
        };
        let pid = rec.pid;
        let process_known = self.state.thread(pid).is_some_and(|t| !t.synthetic);
        if pid != tid && !process_known {
            if let Some(main) = self.config.procfs.thread(pid) {
                self.counters.threads_from_proc += 1;
                self.forward(Frame::Thread(main), out)?;
            }
        }
        self.counters.threads_from_proc += 1;
        self.forward(Frame::Thread(rec), out)?;
        if !process_known {
            for fd in self.config.procfs.fds(pid) {
                if self.state.fd(pid, fd.fd).is_none() {
                    self.counters.fds_from_proc += 1;
                    self.forward(Frame::Fd(fd), out)?;
                }
            }
        }
        Ok(())
    }

    /// Starts a metadata lookup for the container of a thread, if it is new.
    fn check_container(&mut self, tid: i64) {
        let Some(t) = self.state.thread(tid) else { return };
        if t.container_id.is_empty() || self.asked.contains(&t.container_id) {
            return;
        }
        let id = t.container_id.clone();
        let described = self.state.containers.get(&id).is_some_and(|c| c.complete && !c.lookup_failed);
        let found = cgroup::detect(t.cgroups.iter().map(|(_, p)| p.as_slice()));
        let pid = t.pid;
        self.asked.insert(id);
        let Some(found) = found.filter(|_| !described) else { return };
        self.workers().submit(Job { found, pid: Some(pid) });
        self.n_pending += 1;
        self.counters.container_lookups += 1;
    }
}

/// Whether the event itself creates its thread (the child's side of a clone), so there is
/// nothing to look up before it.
fn creates_own_thread(e: &Event) -> bool {
    let Some(info) = e.info() else { return false };
    !e.is_enter()
        && matches!(info.name, "clone" | "clone3" | "fork" | "vfork")
        && scap_common::state::arg(e, "res").and_then(scap_common::event::le_i64) == Some(0)
}

/// This machine's host name.
pub fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_default()
}

impl Stage for Enricher {
    fn on_frame(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.poll(out)?;
        match &frame {
            Frame::Header(h) => self.on_header(h),
            Frame::Container(c) if c.complete && !c.lookup_failed => {
                self.asked.insert(c.id.clone());
            }
            Frame::End(_) => {
                self.wait_pending(out)?;
                self.forward(frame, out)?;
                return Ok(Flow::Continue);
            }
            _ => {}
        }
        if let (Frame::Thread(t), true) = (&frame, self.active) {
            // Snapshot threads start their container's lookup before any event needs it.
            let tid = t.tid;
            self.forward(frame, out)?;
            self.check_container(tid);
            return Ok(Flow::Continue);
        }
        if let Frame::Event(e) = &frame {
            if self.active {
                self.before_event(e, out)?;
                self.state.apply(&frame);
                self.check_container(e.tid);
                out.emit(frame)?;
                return Ok(Flow::Continue);
            }
        }
        self.forward(frame, out)?;
        Ok(Flow::Continue)
    }

    fn finish(&mut self, out: &mut dyn Emit) -> Result<(), StageError> {
        self.wait_pending(out)
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    /// The input problem that ended it early, if any; everything before it went through.
    pub input_error: Option<InputError>,
    /// What the stage did.
    pub counters: Counters,
}

/// Runs the stage on `source`, writing to `out`, and emits lookup answers as soon as they
/// arrive even while the input is idle (a quiet live capture). `flush` is called whenever the
/// input has nothing more for the moment, so a live pipeline sees events without delay.
pub fn run<E: Emit>(
    mut enricher: Enricher,
    source: Source,
    out: &mut E,
    mut flush: impl FnMut(&mut E) -> io::Result<()>,
) -> Result<Outcome, StageError> {
    let rx = scap_common::stage::spawn_reader(source);
    let mut input_error = None;
    let answers = enricher.answers();
    loop {
        select! {
            recv(rx) -> batch => match batch {
                Ok(Ok(frames)) => {
                    for frame in frames {
                        enricher.on_frame(frame, out)?;
                    }
                    if rx.is_empty() {
                        flush(out)?;
                    }
                }
                Ok(Err(e)) => {
                    input_error = Some(e);
                    break;
                }
                Err(_) => break,
            },
            recv(answers) -> done => {
                if let Ok(done) = done {
                    enricher.emit_answer(done, out)?;
                    flush(out)?;
                }
            }
        }
    }
    enricher.finish(out)?;
    flush(out)?;
    Ok(Outcome { input_error, counters: enricher.counters() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use scap_common::stage::Collect;
    use scap_common::wire::{End, ThreadRecord};

    fn header() -> Frame {
        Frame::Header(Header { source: "live".into(), ..Header::default() })
    }

    #[test]
    fn imported_traces_pass_unchanged() {
        let mut e = Enricher::new(Config::default());
        let frames = vec![
            Frame::Header(Header { source: "trace.scap".into(), ..Header::default() }),
            Frame::Event(Event::from_params(1, 10, i64::from(std::process::id()), 0, 2, &[])),
            Frame::End(End::default()),
        ];
        let mut out = Collect::default();
        for f in frames.clone() {
            e.on_frame(f, &mut out).unwrap();
        }
        assert_eq!(out.0, frames);
    }

    #[test]
    fn an_unknown_live_thread_is_described_before_its_event() {
        let me = i64::from(std::process::id());
        let config = Config { lookups: Lookups::Always, ..Config::default() };
        let mut e = Enricher::new(config);
        let mut out = Collect::default();
        e.on_frame(header(), &mut out).unwrap();
        e.on_frame(Frame::Event(Event::from_params(1, 10, me, 0, 2, &[])), &mut out).unwrap();
        let pos_thread = out.0.iter().position(|f| matches!(f, Frame::Thread(t) if t.tid == me)).unwrap();
        let pos_event = out.0.iter().position(|f| matches!(f, Frame::Event(_))).unwrap();
        assert!(pos_thread < pos_event);
        assert!(out.0.iter().any(|f| matches!(f, Frame::User(u) if u.uid == 0 && u.container_id.is_empty())));
        assert!(e.counters().fds_from_proc > 0);
    }

    #[test]
    fn known_threads_are_not_looked_up() {
        let config = Config { lookups: Lookups::Always, ..Config::default() };
        let mut e = Enricher::new(config);
        let mut out = Collect::default();
        e.on_frame(header(), &mut out).unwrap();
        let t = ThreadRecord { tid: 1, pid: 1, comm: b"init".to_vec().into(), ..ThreadRecord::default() };
        e.on_frame(Frame::Thread(t), &mut out).unwrap();
        e.on_frame(Frame::Event(Event::from_params(1, 10, 1, 0, 2, &[])), &mut out).unwrap();
        assert_eq!(e.counters().threads_from_proc, 0);
    }
}
