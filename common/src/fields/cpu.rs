//! `thread.cpu`, `thread.cpu.user` and `thread.cpu.system` as sysdig's chisels and views read them.
//!
//! These fields are not a function of the event alone: each use of one (each handle a chisel
//! requested, each view column) keeps, per thread, the CPU total of the last procinfo event it
//! was read on, and gives the ticks since then (0 the first time, at most 100). Reading is what
//! moves it on, so callers read it only when asked.
//!
//! sysdig keeps that memory in the thread object, so it goes with the thread: a thread that
//! reuses an exited one's id starts from nothing. Here the memory is keyed by tid and remembers
//! the thread's clone time, which tells a new thread from the old; entries of threads no longer
//! in the state are dropped whenever the map outgrows the thread table, so a long live session
//! keeps only about what the table holds.

use std::collections::HashMap;

use super::Ctx;
use crate::schema::ev;

/// One use of a thread CPU field, with its memory of the previous totals.
#[derive(Clone, Debug)]
pub struct CpuDelta {
    user: bool,
    system: bool,
    /// Per tid: the thread's clone time and its CPU total at the last read.
    last: HashMap<i64, (u64, u64)>,
}

impl CpuDelta {
    /// A use of the field named `name`, if it is one of the thread CPU fields.
    pub fn for_field(name: &str) -> Option<CpuDelta> {
        let (user, system) = match name {
            "thread.cpu" => (true, true),
            "thread.cpu.user" => (true, false),
            "thread.cpu.system" => (false, true),
            _ => return None,
        };
        Some(CpuDelta { user, system, last: HashMap::new() })
    }

    /// The ticks the event's thread used since this use last read it: only procinfo events of
    /// known threads have a value.
    pub fn read(&mut self, ctx: &Ctx<'_>) -> Option<f64> {
        let e = ctx.event;
        if e.event_type != ev::PROCINFO_E {
            return None;
        }
        let clone_ts = ctx.state.thread(e.tid)?.clone_ts;
        let part = |on: bool, idx: usize| if on { e.param_u64(idx).unwrap_or(0) } else { 0 };
        let total = part(self.user, 0).wrapping_add(part(self.system, 1));
        let prev = match self.last.insert(e.tid, (clone_ts, total)) {
            Some((c, p)) if c == clone_ts => p,
            _ => 0,
        };
        if self.last.len() > 2 * ctx.state.threads.len() + 1024 {
            self.last.retain(|tid, _| ctx.state.threads.contains_key(tid));
        }
        Some(if prev != 0 { (total.wrapping_sub(prev) as f64).min(100.0) } else { 0.0 })
    }

    /// Forgets the thread (it exited; its id may come back as another thread).
    pub fn forget(&mut self, tid: i64) {
        self.last.remove(&tid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::state::{State, Thread};

    fn procinfo(tid: i64, user: u64, system: u64) -> Event {
        Event::from_params(1, 1, tid, 0, ev::PROCINFO_E, &[&user.to_le_bytes(), &system.to_le_bytes()])
    }

    fn thread(tid: i64, clone_ts: u64) -> Thread {
        Thread { tid, pid: tid, clone_ts, ..Thread::default() }
    }

    #[test]
    fn gives_the_ticks_since_the_last_read_and_starts_anew_with_a_new_thread() {
        let mut st = State::new();
        st.threads.insert(7, thread(7, 100));
        let mut d = CpuDelta::for_field("thread.cpu").expect("a cpu field");
        let mut read = |st: &State, user, system| d.read(&Ctx::new(&procinfo(7, user, system), st));
        assert_eq!(read(&st, 10, 5), Some(0.0), "the first read has nothing to compare with");
        assert_eq!(read(&st, 30, 15), Some(30.0));
        assert_eq!(read(&st, 500, 15), Some(100.0), "capped at 100");
        // The thread exits and another gets its id: it starts from nothing, as in sysdig.
        st.threads.insert(7, thread(7, 900));
        assert_eq!(read(&st, 40, 2), Some(0.0));
        assert_eq!(read(&st, 45, 2), Some(5.0));
    }

    #[test]
    fn forgets_threads_gone_from_the_state_once_it_holds_many() {
        let mut st = State::new();
        let mut d = CpuDelta::for_field("thread.cpu.user").expect("a cpu field");
        for tid in 1..=3000 {
            st.threads.insert(tid, thread(tid, 1));
            assert_eq!(d.read(&Ctx::new(&procinfo(tid, 1, 0), &st)), Some(0.0));
            st.threads.remove(&(tid - 1));
        }
        assert!(d.last.len() <= 2 + 1024 + 1, "{} entries kept for 1 live thread", d.last.len());
    }
}
