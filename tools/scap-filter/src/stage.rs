//! `FilterStage`: keeps the events that match, and forwards, marked hidden, the ones that do not
//! match but that downstream state needs.
//!
//! Downstream stages rebuild state from what they receive, so a dropped `open`, `clone` or `close`
//! would lose fd and process names there. The rule, per event that does not match:
//! - an event that changes state (`changes_state`) goes downstream hidden;
//! - an enter event waits, per thread, for the next event of its thread: if that is its exit and
//!   the exit goes downstream (shown or hidden), the enter goes just before it, hidden, so that
//!   the exit's fd, latency and enter parameters are right downstream; otherwise it is dropped;
//! - the first event of the stream goes downstream hidden, so relative times keep their origin;
//! - everything else is dropped.
//!
//! Records (threads, fds, users, ...) and stats pass through unchanged; the End frame's event
//! count becomes the number of events this stage wrote.

use std::sync::OnceLock;

use scap_common::event::{Event, FLAG_HIDDEN};
use scap_common::fields::{Ctx, Opts};
use scap_common::schema::{self, category, flags};
use scap_common::stage::{Emit, Flow, Stage, StageError};
use scap_common::state::{IdMap, State};
use scap_common::wire::Frame;

use crate::{Config, Filter};

/// Event names whose effect on state the state engine (or libsinsp, which it follows) parses.
/// Kept wide on purpose: forwarding an event that changed nothing costs little, dropping one that
/// changed something loses names downstream. `tests/it/filter_state.rs` checks, over the corpus,
/// that a state rebuilt from what this stage forwards equals the full state.
const STATE_EVENTS: &[&str] = &[
    "clone",
    "fork",
    "vfork",
    "clone3",
    "execve",
    "execveat",
    "procexit",
    "open",
    "openat",
    "openat2",
    "creat",
    "open_by_handle_at",
    "socket",
    "bind",
    "connect",
    "accept",
    "accept4",
    "listen",
    "pipe",
    "pipe2",
    "socketpair",
    "eventfd",
    "eventfd2",
    "signalfd",
    "signalfd4",
    "timerfd_create",
    "inotify_init",
    "inotify_init1",
    "epoll_create",
    "epoll_create1",
    "userfaultfd",
    "io_uring_setup",
    "bpf",
    "memfd_create",
    "pidfd_open",
    "dup",
    "dup2",
    "dup3",
    "fcntl",
    "close",
    "chdir",
    "fchdir",
    "getcwd",
    "setuid",
    "setresuid",
    "setreuid",
    "setgid",
    "setresgid",
    "setregid",
    "setsid",
    "setpgid",
    "chroot",
    "getrlimit",
    "setrlimit",
    "prlimit",
    "shutdown",
    "getsockopt",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "brk",
    "mmap",
    "mmap2",
    "munmap",
    "container",
    "cpu_hotplug",
    "k8s",
    "mesos",
    "procinfo",
    "notification",
    "infra",
    "useradded",
    "userdeleted",
    "groupadded",
    "groupdeleted",
    "prctl",
    "capset",
    "unshare",
    "setns",
];

/// What the stage needs to know of an event type, looked up once per type.
#[derive(Clone, Copy)]
struct TypeInfo {
    /// It changes state (see `STATE_EVENTS`).
    changes_state: bool,
    /// It is the enter half of an enter/exit pair.
    paired_enter: bool,
}

/// Per event type: its `TypeInfo`.
fn type_table() -> &'static [TypeInfo] {
    static TABLE: OnceLock<Vec<TypeInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..schema::EVENT_MAX)
            .map(|t| {
                let changes_state = match schema::event_info(t) {
                    None => true,
                    Some(info) => {
                        info.flags & (flags::CREATES_FD | flags::DESTROYS_FD | flags::MODIFIES_STATE) != 0
                            || info.category & (category::INTERNAL | category::METAEVENT) != 0
                            || STATE_EVENTS.contains(&info.name)
                            || info.params.iter().any(|p| p.name == "vm_size")
                    }
                };
                TypeInfo { changes_state, paired_enter: pairs_with_its_exit(t) }
            })
            .collect()
    })
}

/// The `TypeInfo` of an event's type (types past the schema change state and have no pair).
fn type_info(e: &Event) -> TypeInfo {
    type_table()
        .get(usize::from(e.event_type))
        .copied()
        .unwrap_or(TypeInfo { changes_state: true, paired_enter: false })
}

/// Whether an event may change what the state engine knows (threads, fds, users, containers), so
/// that a filter must forward it (hidden) even when it does not match.
pub fn changes_state(e: &Event) -> bool {
    type_info(e).changes_state
}

/// Whether an event type is the enter half of an enter/exit pair (not a standalone event such
/// as `procexit` or `switch`, which have no exit).
fn pairs_with_its_exit(t: u16) -> bool {
    if !schema::is_enter(t) {
        return false;
    }
    let name = schema::event_info(t).map_or("", |i| i.name);
    schema::event_info(t + 1)
        .is_some_and(|exit| exit.flags & flags::UNUSED == 0 && exit.name == name && !exit.name.is_empty())
}

/// Whether the event is the enter half of an enter/exit pair.
#[cfg(test)]
fn is_paired_enter(e: &Event) -> bool {
    type_info(e).paired_enter
}

/// The filtering stage.
pub struct FilterStage {
    filter: Filter,
    state: State,
    opts: Opts,
    /// Per thread: the last enter event, not forwarded yet, when the flag says one is held.
    /// Entries stay once made, so holding an event copies it into a buffer already there.
    pending: IdMap<(bool, Event)>,
    seen_first: bool,
    n_matched: u64,
    n_written: u64,
}

impl FilterStage {
    /// A stage running the filter of `config`.
    pub fn new(config: Config) -> FilterStage {
        FilterStage {
            filter: config.filter,
            state: State::new(),
            opts: Opts::new(),
            pending: IdMap::default(),
            seen_first: false,
            n_matched: 0,
            n_written: 0,
        }
    }

    /// Events that matched so far.
    pub fn n_matched(&self) -> u64 {
        self.n_matched
    }

    /// Events written so far, hidden ones included.
    pub fn n_written(&self) -> u64 {
        self.n_written
    }

    /// The state as of the last frame.
    pub fn state(&self) -> &State {
        &self.state
    }

    fn on_event(&mut self, e: &Event, out: &mut dyn Emit) -> Result<(), StageError> {
        // evt.deltatime in a filter is the time since the previous event of the stream.
        self.opts.prev_ts = self.state.prev_ts;
        let matched = !e.is_hidden() && self.filter.matches(&Ctx::with_opts(e, &self.state, &self.opts));
        if matched {
            self.n_matched += 1;
        }
        let first = !self.seen_first;
        self.seen_first = true;
        let kind = type_info(e);
        let forward = matched || first || kind.changes_state;
        if kind.paired_enter {
            if forward {
                if let Some((held, _)) = self.pending.get_mut(&e.tid) {
                    *held = false;
                }
                emit_event(e, matched, out, &mut self.n_written)?;
            } else {
                let (held, kept) = self.pending.entry(e.tid).or_default();
                *held = true;
                kept.copy_from(e);
            }
            return Ok(());
        }
        if let Some((held, enter)) = self.pending.get_mut(&e.tid).filter(|(held, _)| *held) {
            *held = false;
            if forward && enter.event_type + 1 == e.event_type {
                emit_event(enter, false, out, &mut self.n_written)?;
            }
        }
        if forward {
            emit_event(e, matched, out, &mut self.n_written)?;
        }
        Ok(())
    }
}

/// Writes an event downstream, marked hidden unless `visible`.
fn emit_event(e: &Event, visible: bool, out: &mut dyn Emit, n_written: &mut u64) -> Result<(), StageError> {
    let mut r = e.as_ref();
    if !visible {
        r.flags |= FLAG_HIDDEN;
    }
    *n_written += 1;
    out.emit_event(&r)
}

impl Stage for FilterStage {
    fn on_frame(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.on_borrowed_frame(&frame, out)
    }

    fn on_borrowed_frame(&mut self, frame: &Frame, out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.state.apply(frame);
        match frame {
            Frame::Event(e) => self.on_event(e, out)?,
            Frame::End(end) => {
                let mut end = end.clone();
                end.n_events = self.n_written;
                out.emit(Frame::End(end))?;
            }
            other => out.emit_ref(other)?,
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use scap_common::schema::ev;
    use scap_common::stage::Collect;

    fn ev(num: u64, tid: i64, t: u16, params: &[&[u8]]) -> Frame {
        Frame::Event(Event::from_params(num, num * 10, tid, 0, t, params))
    }

    fn run(filter: &str, frames: Vec<Frame>) -> (Vec<(u64, bool)>, u64) {
        let mut stage = FilterStage::new(Config::new(filter).unwrap());
        let mut out = Collect::default();
        for f in frames {
            stage.on_frame(f, &mut out).unwrap();
        }
        let events = out
            .0
            .into_iter()
            .filter_map(|f| match f {
                Frame::Event(e) => Some((e.num, !e.is_hidden())),
                _ => None,
            })
            .collect();
        (events, stage.n_matched())
    }

    #[test]
    fn state_changing_events_go_downstream_hidden() {
        let frames = vec![
            ev(1, 7, ev::SYSCALL_NANOSLEEP_E, &[]),
            ev(2, 7, ev::SYSCALL_OPEN_E, &[b"/etc/passwd\0", &0u32.to_le_bytes(), &0u32.to_le_bytes()]),
            ev(
                3,
                7,
                ev::SYSCALL_OPEN_X,
                &[&3i64.to_le_bytes(), b"/etc/passwd\0", &0u32.to_le_bytes(), &0u32.to_le_bytes()],
            ),
            ev(4, 7, ev::SYSCALL_READ_E, &[&3i64.to_le_bytes(), &10u32.to_le_bytes()]),
            ev(5, 7, ev::SYSCALL_READ_X, &[&10i64.to_le_bytes(), b"0123456789"]),
            ev(6, 7, ev::SYSCALL_NANOSLEEP_E, &[]),
        ];
        let (events, n) = run("evt.type=read and evt.dir=<", frames);
        // 1: first event; 2, 3: open changes state; 4: the enter read 5 needs; 5: the match.
        assert_eq!(events, vec![(1, false), (2, false), (3, false), (4, false), (5, true)]);
        assert_eq!(n, 1);
    }

    #[test]
    fn unneeded_enters_are_dropped() {
        let frames = vec![
            ev(1, 7, ev::SYSCALL_NANOSLEEP_E, &[]),
            ev(2, 7, ev::SYSCALL_READ_E, &[&3i64.to_le_bytes(), &10u32.to_le_bytes()]),
            ev(3, 7, ev::SYSCALL_READ_X, &[&10i64.to_le_bytes(), b"0123456789"]),
            ev(4, 8, ev::SYSCALL_READ_E, &[&3i64.to_le_bytes(), &10u32.to_le_bytes()]),
        ];
        let (events, n) = run("evt.num=4", frames);
        assert_eq!(events, vec![(1, false), (4, true)]);
        assert_eq!(n, 1);
    }

    #[test]
    fn the_end_frame_counts_what_was_written() {
        let frames = vec![
            ev(1, 7, ev::SYSCALL_NANOSLEEP_E, &[]),
            ev(2, 7, ev::SYSCALL_NANOSLEEP_X, &[&7i64.to_le_bytes()]),
            Frame::End(scap_common::wire::End { n_events: 2, n_drops: 0, reason: "eof".into() }),
        ];
        let mut stage = FilterStage::new(Config::new("evt.num=2").unwrap());
        let mut out = Collect::default();
        for f in frames {
            stage.on_frame(f, &mut out).unwrap();
        }
        match out.0.last() {
            Some(Frame::End(end)) => assert_eq!(end.n_events, 2),
            other => panic!("no end frame: {other:?}"),
        }
    }

    #[test]
    fn standalone_enters_are_not_held_back() {
        assert!(!is_paired_enter(&Event { event_type: ev::PROCEXIT_1_E, ..Event::default() }));
        assert!(is_paired_enter(&Event { event_type: ev::SYSCALL_READ_E, ..Event::default() }));
        assert!(changes_state(&Event { event_type: ev::PROCEXIT_1_E, ..Event::default() }));
        assert!(!changes_state(&Event { event_type: ev::SYSCALL_READ_X, ..Event::default() }));
    }
}
