//! `ChiselFilter`: the filters chisels set (`chisel.set_filter`, `sysdig.set_filter`, the
//! command line's filter, `get_thread_table`'s argument), compiled by scap-filter.

use scap_common::fields::Ctx;
use scap_filter::Filter;

/// A compiled filter.
#[derive(Debug)]
pub struct ChiselFilter(Filter);

impl ChiselFilter {
    /// Compiles a filter; the error is scap-filter's one-line message.
    pub fn compile(text: &str) -> Result<ChiselFilter, String> {
        Filter::compile(text).map(ChiselFilter).map_err(|e| e.to_string())
    }

    /// The filter as written.
    pub fn text(&self) -> &str {
        self.0.text()
    }

    /// Whether an event matches.
    pub fn matches(&self, ctx: &Ctx<'_>) -> bool {
        self.0.matches(ctx)
    }
}
