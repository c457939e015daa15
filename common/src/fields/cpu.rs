//! `thread.cpu`, `thread.cpu.user` and `thread.cpu.system` as sysdig's chisels and views read them.
//!
//! These fields are not a function of the event alone: each use of one (each handle a chisel
//! requested, each view column) keeps, per thread, the CPU total of the last procinfo event it
//! was read on, and gives the ticks since then (0 the first time, at most 100). Reading is what
//! moves it on, so callers read it only when asked.

use std::collections::HashMap;

use super::Ctx;
use crate::schema::ev;

/// One use of a thread CPU field, with its memory of the previous totals.
#[derive(Clone, Debug)]
pub struct CpuDelta {
    user: bool,
    system: bool,
    last: HashMap<i64, u64>,
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
        ctx.state.thread(e.tid)?;
        let part = |on: bool, idx: usize| if on { e.param_u64(idx).unwrap_or(0) } else { 0 };
        let total = part(self.user, 0).wrapping_add(part(self.system, 1));
        let prev = self.last.insert(e.tid, total).unwrap_or(0);
        Some(if prev != 0 { (total.wrapping_sub(prev) as f64).min(100.0) } else { 0.0 })
    }

    /// Forgets the thread (it exited; its id may come back as another thread).
    pub fn forget(&mut self, tid: i64) {
        self.last.remove(&tid);
    }
}
