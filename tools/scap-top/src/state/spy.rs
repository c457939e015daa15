//! The echo and dig screens: the events of a selection as scrolling text, and the "all fields"
//! screen of one event.

use std::collections::VecDeque;

use crate::feed::{SpyKind, SpyLine};

/// The most lines kept; older ones are dropped.
pub const MAX_LINES: usize = 50_000;

/// Echo or dig on screen.
#[derive(Clone, Debug)]
pub struct SpyScreen {
    /// Echo or dig.
    pub kind: SpyKind,
    /// The events, oldest first.
    pub lines: VecDeque<SpyLine>,
    /// The selected line (an event).
    pub selected: usize,
    /// The first event on screen.
    pub top: usize,
    /// Keep the newest line selected as lines arrive (live input).
    pub follow: bool,
    /// The input has ended.
    pub ended: bool,
    /// Why it could not run.
    pub error: Option<String>,
    /// Lines dropped because of `MAX_LINES`.
    pub n_dropped: u64,
}

impl SpyScreen {
    /// An empty screen.
    pub fn new(kind: SpyKind, follow: bool) -> SpyScreen {
        SpyScreen { kind, lines: VecDeque::new(), selected: 0, top: 0, follow, ended: false, error: None, n_dropped: 0 }
    }

    /// Appends lines.
    pub fn push(&mut self, lines: Vec<SpyLine>) {
        for l in lines {
            self.lines.push_back(l);
        }
        while self.lines.len() > MAX_LINES {
            self.lines.pop_front();
            self.n_dropped += 1;
            self.selected = self.selected.saturating_sub(1);
            self.top = self.top.saturating_sub(1);
        }
        if self.follow {
            self.selected = self.lines.len().saturating_sub(1);
        }
    }

    /// Moves the selection by `delta` events; moving up stops following.
    pub fn move_by(&mut self, delta: i64) {
        let n = self.lines.len() as i64;
        if n == 0 {
            return;
        }
        self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize;
        self.follow = self.selected + 1 == self.lines.len() && delta > 0;
    }

    /// The first event at or after `from` (wrapping) whose text contains `text`.
    pub fn find(&self, text: &str, from: usize) -> Option<usize> {
        let n = self.lines.len();
        (0..n).map(|i| (from + i) % n).find(|&i| self.lines[i].text.contains(text))
    }
}

/// Every field of one event.
#[derive(Clone, Debug)]
pub struct FieldsScreen {
    /// The event's line.
    pub title: String,
    /// (field, value) pairs.
    pub fields: Vec<(String, String)>,
    /// The selected field.
    pub selected: usize,
    /// The first field on screen.
    pub top: usize,
}
