//! `--filter-proclist`: the capture filter applied to the process table a `-w` file starts
//! with, so the file holds no other process's details.
//!
//! The records before the first event (the snapshot) are held; at the first event, or at the end
//! of the input, each thread is tested as libsinsp tests a thread table against a filter: with a
//! synthetic read event of that thread, once without an fd and once per fd. A thread is kept
//! when either matches, an fd when it matches itself. Everything else passes unchanged.

use std::collections::HashSet;

use scap_common::event::Event;
use scap_common::fields::Ctx;
use scap_common::schema::ev;
use scap_common::state::{Current, State};
use scap_common::wire::Frame;
use scap_filter::Filter;

/// Holds the snapshot until it can be filtered.
pub struct Proclist {
    filter: Filter,
    pending: Vec<Frame>,
    released: bool,
}

impl Proclist {
    /// Filters the snapshot with `filter`.
    pub fn new(filter: Filter) -> Proclist {
        Proclist { filter, pending: Vec::new(), released: false }
    }

    /// Whether the snapshot went out: later frames need not pass through `take`.
    pub fn released(&self) -> bool {
        self.released
    }

    /// Takes the next frame; returns the frames to pass on now, in order.
    pub fn take(&mut self, frame: Frame) -> Vec<Frame> {
        if self.released {
            return vec![frame];
        }
        if matches!(frame, Frame::Event(_)) {
            let mut out = self.release();
            out.push(frame);
            out
        } else {
            self.pending.push(frame);
            Vec::new()
        }
    }

    /// The held records, filtered (call at the end of the input; empty once released).
    pub fn release(&mut self) -> Vec<Frame> {
        self.released = true;
        let frames = std::mem::take(&mut self.pending);
        let mut state = State::new();
        for f in &frames {
            state.apply(f);
        }
        let (threads, fds) = self.select(&mut state, &frames);
        frames
            .into_iter()
            .filter(|f| match f {
                Frame::Thread(t) => threads.contains(&t.tid),
                Frame::Fd(d) => fds.contains(&(d.tid, d.fd)),
                _ => true,
            })
            .collect()
    }

    /// The threads to keep, and the fds to keep as (owner of the fd table, fd).
    fn select(&self, state: &mut State, frames: &[Frame]) -> (HashSet<i64>, HashSet<(i64, i64)>) {
        let mut threads = HashSet::new();
        let mut fds = HashSet::new();
        for tid in frames.iter().filter_map(|f| if let Frame::Thread(t) = f { Some(t.tid) } else { None }) {
            let probe = Event::from_params(0, state.last_ts, tid, 0, ev::SYSCALL_READ_X, &[]);
            let mut cur = Current::default();
            cur.tid = Some(tid);
            state.cur = cur.clone();
            let mut keep = self.filter.matches(&Ctx::new(&probe, state));
            let owner = state.table_owner(tid);
            let nums: Vec<i64> = state.fd_table(tid).map(|t| t.iter().map(|(n, _)| n).collect()).unwrap_or_default();
            if let Some(owner) = owner {
                for n in nums {
                    cur.fd = Some((owner, n));
                    state.cur = cur.clone();
                    if self.filter.matches(&Ctx::new(&probe, state)) {
                        fds.insert((owner, n));
                        keep = true;
                    }
                }
            }
            if keep {
                threads.insert(tid);
            }
        }
        state.cur = Current::default();
        (threads, fds)
    }
}
