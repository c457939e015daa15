//! The order csysdig's thread table visits threads in.
//!
//! At each sample csysdig adds a made-up event per thread, walking its thread table, a libstdc++
//! `unordered_map` keyed by tid. Threads that had no event of their own enter the view's table in
//! that order, and through it decide some results (see `table/order.rs`). `ThreadOrder` follows
//! our state's thread table as threads come and go and replays the map's order. It notices a
//! change when the number of threads changes, and around process lifecycle events; a thread that
//! leaves and another that arrives within the same event outside those is placed last.

use std::collections::HashMap;

use scap_common::state::State;
use scap_common::wire::Frame;

use crate::table::order::StdOrder;

/// Events after which threads may appear or disappear (removals wait for the next event).
const LIFECYCLE: &[&str] = &["clone", "clone3", "fork", "vfork", "execve", "execveat", "procexit"];

/// The thread table's iteration order.
#[derive(Debug)]
pub struct ThreadOrder {
    order: StdOrder,
    /// Node of each thread in the table.
    nodes: HashMap<i64, usize>,
    /// Tid of each node ever inserted.
    tids: Vec<i64>,
    last_len: usize,
    /// Events still to check after a lifecycle event.
    recheck: u8,
}

impl Default for ThreadOrder {
    fn default() -> ThreadOrder {
        ThreadOrder::new()
    }
}

impl ThreadOrder {
    /// An empty table.
    pub fn new() -> ThreadOrder {
        ThreadOrder { order: StdOrder::new(), nodes: HashMap::new(), tids: Vec::new(), last_len: 0, recheck: 0 }
    }

    fn add(&mut self, tid: i64) {
        let node = self.order.insert(tid as u64);
        self.nodes.insert(tid, node);
        self.tids.push(tid);
    }

    /// Follows the state after `frame` was applied to it.
    pub fn observe(&mut self, state: &State, frame: &Frame) {
        let len = state.threads.len();
        match frame {
            Frame::Thread(rec) => {
                if !self.nodes.contains_key(&rec.tid)
                    && len == self.last_len + 1
                    && state.threads.contains_key(&rec.tid)
                {
                    self.add(rec.tid);
                    self.last_len = len;
                } else if len != self.last_len {
                    self.sync(state);
                }
            }
            Frame::Event(e) => {
                let lifecycle = e.info().is_some_and(|i| LIFECYCLE.contains(&i.name));
                if len != self.last_len || self.recheck > 0 || lifecycle {
                    self.sync(state);
                }
                if lifecycle {
                    self.recheck = 2;
                } else {
                    self.recheck = self.recheck.saturating_sub(1);
                }
            }
            _ => {
                if len != self.last_len {
                    self.sync(state);
                }
            }
        }
    }

    fn sync(&mut self, state: &State) {
        let gone: Vec<i64> = self.nodes.keys().copied().filter(|t| !state.threads.contains_key(t)).collect();
        for tid in gone {
            if let Some(node) = self.nodes.remove(&tid) {
                self.order.erase(node);
            }
        }
        let mut new: Vec<i64> = state.threads.keys().copied().filter(|t| !self.nodes.contains_key(t)).collect();
        new.sort_unstable();
        for tid in new {
            self.add(tid);
        }
        self.last_len = state.threads.len();
    }

    /// The tids of the state's threads in the table's order (any not followed come last, sorted).
    pub fn tids(&self, state: &State) -> Vec<i64> {
        let mut out: Vec<i64> =
            self.order.order().into_iter().map(|n| self.tids[n]).filter(|t| state.threads.contains_key(t)).collect();
        let mut rest: Vec<i64> = state.threads.keys().copied().filter(|t| !self.nodes.contains_key(t)).collect();
        rest.sort_unstable();
        out.extend(rest);
        out
    }
}
