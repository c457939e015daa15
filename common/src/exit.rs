//! Exit codes shared by every scap binary, and the top-level error printer.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also when a downstream pipe closed early) |
//! | 1 | scap-filter only: no event matched, like grep |
//! | 2 | error: bad input, bad arguments, a cut stream, missing privileges |
//! | 130 | interrupted by Ctrl+C |

use std::error::Error;
use std::io::{self, Write};

/// Success.
pub const OK: i32 = 0;
/// scap-filter: nothing matched.
pub const NO_MATCH: i32 = 1;
/// Any error.
pub const ERROR: i32 = 2;
/// Interrupted by SIGINT.
pub const INTERRUPTED: i32 = 130;

/// The text listing exit codes, for `--help` footers.
pub const HELP_FOOTER: &str =
    "Exit status: 0 success, 2 error (bad input, bad arguments, cut stream), 130 interrupted.";

/// Whether an error chain contains a broken pipe, which ends a program quietly with 0.
pub fn is_broken_pipe(err: &(dyn Error + 'static)) -> bool {
    let mut cur: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return true;
            }
        }
        cur = e.source();
    }
    false
}

/// Formats an error and its causes on one line: `outer: inner: root`.
pub fn one_line(err: &(dyn Error + 'static)) -> String {
    let mut s = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        let text = e.to_string();
        if !s.ends_with(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        cur = e.source();
    }
    s
}

/// Prints `prog: error chain` on stderr and returns the exit code for it
/// (0 for a broken pipe, which is printed nowhere).
pub fn report(prog: &str, err: &(dyn Error + 'static)) -> i32 {
    if is_broken_pipe(err) {
        return OK;
    }
    let _ = writeln!(io::stderr(), "{prog}: {}", one_line(err));
    ERROR
}
