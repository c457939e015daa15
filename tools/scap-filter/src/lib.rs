//! scap-filter: sysdig's filter language, compiled once and evaluated per event, and the stage that
//! keeps the events of a stream that match.
//!
//! Central types: `Filter` (the compiled expression, used by this stage, chisels, the TUI and the
//! `sysdig` wrapper) and `FilterStage` (the `Stage`).
//!
//! ```
//! use scap_filter::Filter;
//! let f = Filter::compile("evt.type in (open, openat) and not proc.name startswith sys").unwrap();
//! assert!(Filter::compile("evt.typ=open").unwrap_err().to_string().contains("did you mean evt.type"));
//! # let _ = f;
//! ```
//!
//! The pieces: `grammar.pest` and `parse` turn text into an `ast::Expr`; `compile` resolves every
//! field once and parses every constant to the field's type; `eval` runs the result against an
//! event and the state; `stage` is the filtering stage, which forwards events that changed state
//! marked hidden so that downstream stages never lose fd or process names.

pub mod ast;
mod compile;
mod eval;
mod glob;
pub mod parse;
mod stage;

use clap::Args as ClapArgs;
use scap_common::fields::Ctx;

pub use stage::{changes_state, FilterStage};

/// Why a filter did not compile. Every message is one line and names the column it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// The text does not follow the grammar.
    #[error("syntax error at column {column}: expected {expected}, found {found}")]
    Syntax {
        /// 1-based column (in characters).
        column: usize,
        /// What the grammar allows there, in words.
        expected: String,
        /// What is there instead.
        found: String,
    },
    /// `and` and `or` side by side without brackets, which sysdig refuses as ambiguous.
    #[error("column {column}: the expression mixes 'and' and 'or' without brackets; group them with ( )")]
    MixedAndOr {
        /// 1-based column of the operator that mixes.
        column: usize,
    },
    /// No field has this name.
    #[error("unknown field '{name}' at column {column}{}", did_you_mean(.suggestions))]
    UnknownField {
        /// The name as written.
        name: String,
        /// 1-based column.
        column: usize,
        /// The nearest known names.
        suggestions: Vec<String>,
    },
    /// The field exists but this use of it does not work (a missing or bad argument, an operator
    /// its type does not support, a value that does not parse as its type).
    #[error("column {column}: {field}: {what}")]
    Invalid {
        /// The field as written.
        field: String,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        what: String,
    },
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}

/// A compiled filter. Build it once with `Filter::compile`, then call `matches` per event.
#[derive(Debug)]
pub struct Filter {
    text: String,
    expr: ast::Expr,
    root: compile::Node,
}

impl Filter {
    /// Parses and compiles a filter: fields are resolved and constants parsed to their types now,
    /// so evaluation does no lookups by name and, for the common fields, no allocation.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        let expr = parse::parse(text)?;
        let root = compile::compile(&expr, text)?;
        Ok(Filter { text: text.to_string(), expr, root })
    }

    /// Whether the event matches. `ctx.state` must already include the event (it was applied).
    #[inline]
    pub fn matches(&self, ctx: &Ctx<'_>) -> bool {
        self.root.eval(ctx)
    }

    /// The filter as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed expression.
    pub fn expr(&self) -> &ast::Expr {
        &self.expr
    }
}

/// Command-line arguments of scap-filter.
#[derive(ClapArgs, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct Args {
    /// The filter expression, in sysdig's filter language
    ///
    /// Examples: 'proc.name=nginx', 'evt.type in (open, openat) and fd.name startswith /etc',
    /// 'fd.net=10.0.0.0/8 and not fd.port=22'. Several words are joined with spaces.
    #[arg(value_name = "FILTER", required = true, num_args = 1..)]
    pub filter: Vec<String>,
    /// Input options
    #[command(flatten)]
    pub input: scap_common::cli::InputArgs,
    /// Output options
    #[command(flatten)]
    pub output: scap_common::cli::OutputArgs,
}

/// Validated settings of the filter stage.
#[derive(Debug)]
pub struct Config {
    /// The compiled filter.
    pub filter: Filter,
}

impl Config {
    /// Compiles the filter the arguments name.
    pub fn from_args(args: &Args) -> Result<Config, FilterError> {
        Config::new(&args.filter.join(" "))
    }

    /// Settings for a filter given as text, for building the stage in code.
    pub fn new(filter: &str) -> Result<Config, FilterError> {
        Ok(Config { filter: Filter::compile(filter)? })
    }
}
