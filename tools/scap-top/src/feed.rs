//! The messages between the ingest thread and the UI: what to compute, and what came out.
//!
//! The UI sends `Command`s; the ingest thread answers with owned `Update`s. Every piece of work
//! carries a generation number, so the UI ignores answers to work it has since replaced.

use crate::catalogue::ViewDef;
use crate::table::{Row, TableSpec};

/// What the ingest thread should compute.
#[derive(Clone, Debug)]
pub enum Work {
    /// A view's table, with the complete filter (command line, drill-down and view filters).
    Table {
        /// The view.
        view: Box<ViewDef>,
        /// The drill-down depth, for `%depth` in span views.
        depth: u32,
        /// The filter events must match.
        filter: String,
        /// The screen width latency spectrograms spread their buckets over (0 outside the
        /// TUI, where csysdig puts every latency in bucket 1).
        spectro_width: u32,
    },
    /// The events matching a filter, as text lines (F5 echo, F6 dig).
    Spy {
        /// Echo (I/O data) or dig (event lines).
        kind: SpyKind,
        /// The filter events must match.
        filter: String,
    },
}

/// The two text views of a selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpyKind {
    /// The data read and written (csysdig's F5 "echo").
    Echo,
    /// Every event, printed as sysdig prints it (F6 "dig").
    Dig,
}

/// A request from the UI.
#[derive(Clone, Debug)]
pub enum Command {
    /// Start computing `work`, replacing whatever was being computed.
    Start {
        /// Identifies the answers.
        generation: u64,
        /// What to compute.
        work: Work,
    },
}

/// One refresh of a table.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The work it answers.
    pub generation: u64,
    /// The table's shape.
    pub spec: TableSpec,
    /// The rows, in no particular order.
    pub rows: Vec<Row>,
    /// The length of the sample in ns (for per-second rates).
    pub time_delta_ns: u64,
    /// The input is exhausted: this is the last sample.
    pub eof: bool,
    /// Why the view shows nothing, when it needs fields this build lacks.
    pub notice: Option<String>,
}

/// An event shown in echo or dig mode.
#[derive(Clone, Debug, PartialEq)]
pub struct SpyLine {
    /// Its text (several lines for echo data).
    pub text: String,
    /// Every field of the event and its value, for the "all fields" view; empty for echo.
    pub fields: Vec<(String, String)>,
}

/// An answer from the ingest thread.
#[derive(Clone, Debug)]
pub enum Update {
    /// A table refresh.
    Sample(Sample),
    /// New lines for echo or dig.
    Lines {
        /// The work it answers.
        generation: u64,
        /// The lines, oldest first.
        lines: Vec<SpyLine>,
    },
    /// Reading a file: how far along, as events read and a fraction of the file when known.
    Progress {
        /// The work it answers.
        generation: u64,
        /// Events read so far.
        n_events: u64,
    },
    /// `-j`: for echo and dig, the lines sent since the last slice make a slice of csysdig's
    /// JSON; for a table view of a file, a slice with only the progress.
    Slice {
        /// The work it answers.
        generation: u64,
        /// How much of the file has been read, in percent.
        progress: f64,
    },
    /// The input ended (echo and dig only; tables send an `eof` sample).
    End {
        /// The work it answers.
        generation: u64,
    },
    /// The work could not be done (a bad field or filter) or the input failed.
    Error {
        /// The work it answers.
        generation: u64,
        /// One line saying what is wrong.
        message: String,
    },
}
