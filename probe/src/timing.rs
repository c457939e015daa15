//! Where start-up and shutdown time goes: marks taken along the way, printed by scap-record
//! when `SCAP_RECORD_TIMING` is set. Taking a mark costs a clock read, so they are always taken.

use std::time::Instant;

/// Phases, each with the time since the previous mark.
#[derive(Clone, Debug)]
pub struct Timing {
    last: Instant,
    /// (what ended, milliseconds it took).
    pub phases: Vec<(&'static str, f64)>,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing { last: Instant::now(), phases: Vec::new() }
    }
}

impl Timing {
    /// Starts timing now.
    pub fn new() -> Timing {
        Timing::default()
    }

    /// Ends a phase.
    pub fn mark(&mut self, what: &'static str) {
        let now = Instant::now();
        self.phases.push((what, now.duration_since(self.last).as_secs_f64() * 1e3));
        self.last = now;
    }

    /// One line: `what 1.2 ms, what 3.4 ms, ...`.
    pub fn line(&self) -> String {
        let parts: Vec<String> = self.phases.iter().map(|(w, ms)| format!("{w} {ms:.1} ms")).collect();
        parts.join(", ")
    }
}
