//! scap-chisel: runs sysdig-compatible Lua chisels on a scap stream.
//!
//! Central types: `Config` (which chisel, its arguments, the capture-wide filter), `Chisel` (a
//! loaded chisel and its Lua state) and `ChiselStage` (the sink `Stage` that feeds it events).
//! The Lua API is sysdig 0.29.3's (`host.rs`); our own chisels are Lua files under `chisels/`,
//! embedded in the binary (`builtin.rs`); `catalogue.rs` finds chisels and lists them; `data.rs`
//! reads Lua files as data for other tools (scap-top's view definitions).
//!
//! ```no_run
//! use scap_chisel::{Config, ChiselStage};
//! let config = Config::new("topprocs_cpu", &[]).unwrap();
//! let chisel = config.load(Box::new(std::io::stdout())).unwrap();
//! let mut stage = ChiselStage::new(chisel);
//! let source = scap_common::input::Source::open_path("trace.scap").unwrap();
//! scap_common::stage::run(source, &mut stage, &mut scap_common::stage::Discard).unwrap();
//! ```
//!
//! Lua is LuaJIT (Lua 5.1 semantics), the flavour sysdig's chisels are written for.

pub mod builtin;
pub mod catalogue;
pub mod chisel;
pub mod data;
pub mod export;
mod filter;
pub mod host;
mod stage;

use std::io::Write;

use clap::Args as ClapArgs;
use scap_common::cli::InputArgs;

pub use catalogue::{ChiselDirs, ChiselInfo};
pub use chisel::Chisel;
pub use filter::ChiselFilter;
pub use host::Env;
pub use stage::ChiselStage;

/// Why a chisel could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChiselError {
    /// No chisel has this name.
    #[error("chisel {0} not found - use -cl to list them")]
    NotFound(String),
    /// The chisel failed: loading, arguments, a callback, a filter it set.
    #[error("chisel {chisel}: {what}")]
    Chisel {
        /// Which chisel.
        chisel: String,
        /// What went wrong, with the Lua file and line when Lua reported them.
        what: String,
    },
    /// The command line's filter does not compile.
    #[error("filter '{filter}': {what}")]
    Filter {
        /// The filter as written.
        filter: String,
        /// Why it does not compile.
        what: String,
    },
    /// Neither a chisel nor `-cl`/`-i` was given.
    #[error("no chisel named: give NAME, -cl or -i NAME")]
    NoChisel,
}

/// Command-line arguments of scap-chisel.
#[derive(ClapArgs, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct Args {
    /// The chisel to run: a name (looked up in ./chisels, ~/.chisels, the built-ins, then the
    /// system directories) or the path of a .lua file
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// The chisel's arguments, then a filter
    ///
    /// As with sysdig, a chisel with required arguments takes the next word as its argument
    /// string (quote it to pass several, 'single' or `backtick` quotes group words); a chisel
    /// with only optional arguments takes it unless the rest is a valid filter. Whatever is left
    /// is the filter events must match to reach the chisel.
    #[arg(value_name = "ARGS_AND_FILTER")]
    pub rest: Vec<String>,
    /// List the available chisels by category (also spelled -cl)
    #[arg(short = 'l', long = "list")]
    pub list: bool,
    /// Describe a chisel and its arguments
    #[arg(short = 'i', long = "info", value_name = "NAME")]
    pub info: Option<String>,
    /// Tell chisels to show container columns, as sysdig -pc does
    #[arg(long = "print-container")]
    pub print_container: bool,
    /// JSON output, as sysdig -j gives chisels: `sysdig.get_output_format()` says "json", the
    /// chisel's event formatter writes JSON objects, buffers are rendered for JSON
    #[arg(short = 'j', long = "json")]
    pub json: bool,
    /// Input options
    #[command(flatten)]
    pub input: InputArgs,
}

/// What to do.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Run a chisel.
    Run {
        /// Where its code is.
        source: catalogue::ChiselSource,
        /// Its argument values, in declaration order.
        args: Vec<String>,
        /// The capture-wide filter.
        filter: Option<String>,
    },
    /// Print the catalogue.
    List,
    /// Describe one chisel.
    Info(String),
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// What to do.
    pub mode: Mode,
    /// Where chisels are looked up.
    pub dirs: ChiselDirs,
    /// What chisels are told about the run.
    pub env: Env,
}

/// Splits a chisel argument string as sysdig does: on spaces, with '...' or `...` grouping.
pub fn split_args(s: &str) -> Result<Vec<String>, String> {
    let s = s.trim();
    let mut out = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (None, ' ') => out.push(std::mem::take(&mut cur)),
            (None, '\'' | '`') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (_, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return Err("unbalanced quotes in the chisel arguments".into());
    }
    out.push(cur);
    Ok(out)
}

impl Config {
    /// Resolves the command line: finds the chisel and splits its arguments from the filter.
    pub fn from_args(args: &Args) -> Result<Config, ChiselError> {
        let dirs = ChiselDirs::default();
        let env = Env {
            is_live: false,
            print_container: args.print_container,
            json: args.json,
            source_name: if args.input.read == "-" { String::new() } else { args.input.read.clone() },
        };
        if args.list {
            return Ok(Config { mode: Mode::List, dirs, env });
        }
        if let Some(name) = &args.info {
            return Ok(Config { mode: Mode::Info(name.clone()), dirs, env });
        }
        let name = args.name.as_deref().ok_or(ChiselError::NoChisel)?;
        let mut config = Config::with_dirs(name, &args.rest, dirs)?;
        config.env = env;
        Ok(config)
    }

    /// Settings for running chisel `name` with the words that follow it on a sysdig command line.
    pub fn new(name: &str, rest: &[String]) -> Result<Config, ChiselError> {
        Config::with_dirs(name, rest, ChiselDirs::default())
    }

    /// Like `new`, with explicit lookup directories.
    pub fn with_dirs(name: &str, rest: &[String], dirs: ChiselDirs) -> Result<Config, ChiselError> {
        let source = dirs.find(name)?;
        let probe = Chisel::load(source.clone(), &dirs, Env::default(), Box::new(std::io::sink()))?;
        let declared = &probe.args;
        let n_required = declared.iter().filter(|a| !a.optional).count();
        let bad = |what: String| ChiselError::Chisel { chisel: source.name.clone(), what };
        let (argstr, filter_words): (Option<&String>, &[String]) = if declared.is_empty() {
            (None, rest)
        } else if let Some(first) = rest.first() {
            if n_required > 0 {
                (Some(first), &rest[1..])
            } else if first.starts_with('-') {
                (None, rest)
            } else if declared.len() == 1 && declared[0].argtype == "filter" {
                (Some(first), &rest[1..])
            } else if ChiselFilter::compile(&rest.join(" ")).is_ok() {
                (None, rest)
            } else {
                (Some(first), &rest[1..])
            }
        } else if n_required > 0 {
            return Err(bad("missing arguments".into()));
        } else {
            (None, rest)
        };
        let args = match argstr {
            Some(s) => split_args(s).map_err(bad)?,
            None => Vec::new(),
        };
        let filter = (!filter_words.is_empty()).then(|| filter_words.join(" "));
        if let Some(f) = &filter {
            ChiselFilter::compile(f).map_err(|what| ChiselError::Filter { filter: f.clone(), what })?;
        }
        Ok(Config { mode: Mode::Run { source, args, filter }, dirs, env: Env::default() })
    }

    /// Loads the chisel, hands it its arguments and the filter, and runs `on_init`.
    pub fn load(&self, out: Box<dyn Write + Send>) -> Result<Chisel, ChiselError> {
        let Mode::Run { source, args, filter } = &self.mode else {
            return Err(ChiselError::NoChisel);
        };
        let chisel = Chisel::load(source.clone(), &self.dirs, self.env.clone(), out)?;
        if let Some(f) = filter {
            let compiled = ChiselFilter::compile(f).map_err(|what| ChiselError::Filter { filter: f.clone(), what })?;
            chisel.host(|h| h.global_filter = Some(compiled))?;
        }
        chisel.set_args(args)?;
        chisel.init(&self.dirs)
    }
}
