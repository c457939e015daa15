//! `-P`: the progress of reading a trace file, on stderr, as sysdig shows it: the percentage
//! read, rewritten in place (`\r`), and `100.00` with a newline at the end. Also shown while
//! `-w` copies a file, as sysdig does.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Batches between two updates (a batch is up to 512 frames).
const BATCHES_PER_UPDATE: u32 = 20;

/// Shows the progress.
pub struct Meter {
    on: bool,
    total: u64,
    read: Arc<AtomicU64>,
    batches: u32,
    last_len: usize,
}

impl Meter {
    /// A meter over a file of `total` bytes, `read` counting what was read; shows nothing
    /// unless `on`.
    pub fn new(on: bool, total: u64, read: Arc<AtomicU64>) -> Meter {
        Meter { on, total, read, batches: 0, last_len: 0 }
    }

    fn show(&mut self, text: &str, newline: bool) {
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r{}\r{text}", " ".repeat(self.last_len));
        if newline {
            let _ = writeln!(err);
        }
        let _ = err.flush();
        self.last_len = text.len();
    }

    /// Called once per batch of frames.
    pub fn tick(&mut self) {
        if !self.on {
            return;
        }
        self.batches += 1;
        if self.batches < BATCHES_PER_UPDATE {
            return;
        }
        self.batches = 0;
        let pct = (self.read.load(Ordering::Relaxed) as f64 * 100.0 / self.total.max(1) as f64).min(100.0);
        self.show(&format!("{pct:.2}"), false);
    }

    /// The final `100.00`.
    pub fn finish(&mut self) {
        if self.on {
            self.show("100.00", true);
            self.on = false;
        }
    }
}
