//! scap-top: csysdig's interactive views of a scap stream, in a terminal UI.
//!
//! ```text
//! scap-top -r trace.scap                  # browse a trace file
//! scap-record | scap-top                  # live, refreshed every 2 s
//! scap-top -r trace.scap -v syscalls -j   # one view as csysdig's JSON
//! ```
//!
//! The pieces, from data to screen:
//! - `catalogue`: view definitions (csysdig's Lua `view_info` format) and the built-in views;
//! - `table`: the aggregation engine that turns events into rows, and how cells are shown;
//! - `ingest`: the thread that reads events, keeps state and runs the current view;
//! - `feed`: the owned messages between the ingest thread and the UI;
//! - `state` (pure UI state and actions), `view` (drawing), `input` (keys to actions) and `app`
//!   (the loop), in the Elm architecture;
//! - `output`: csysdig's `-j` and `--raw` output;
//! - `drill`: the drill-down stack and the filter it adds up to.
//!
//! Not for: scripting on events (use scap-chisel) or printing them (scap-print).

pub mod app;
pub mod catalogue;
pub mod drill;
pub mod feed;
pub mod ingest;
pub mod input;
pub mod output;
pub mod state;
pub mod table;
pub mod view;

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args as ClapArgs;
use crossbeam_channel::unbounded;

use catalogue::{Catalogue, ViewDef};
use feed::{Command, SpyKind, Update, Work};
use ingest::Settings;
use state::{Screen, SpyScreen, UiState};

/// How results are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputMode {
    /// The interactive UI.
    Tui,
    /// csysdig's JSON (`-j`).
    Json,
    /// Plain text rows (`--raw`).
    Raw,
}

/// Command-line arguments of scap-top.
#[derive(ClapArgs, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct Args {
    /// Read events from FILE (a .scap trace or a scap stream; `-` is stdin)
    ///
    /// A regular file is summarized as a whole; a pipe or stdin is shown live, refreshed every
    /// interval.
    #[arg(short = 'r', long = "read", value_name = "FILE", default_value = "-")]
    pub read: String,
    /// Start with view VIEW (an id such as procs or syscalls, `dig`, `echo`, or a view file)
    #[arg(short = 'v', long = "view", value_name = "VIEW")]
    pub view: Option<String>,
    /// Print the view's data as JSON instead of showing the UI
    #[arg(short = 'j', long = "json", conflicts_with = "raw")]
    pub json: bool,
    /// Print the view's data as text instead of showing the UI
    #[arg(long = "raw")]
    pub raw: bool,
    /// Refresh interval of live input, in milliseconds (at least 100)
    #[arg(short = 'd', long = "delay", value_name = "MS", default_value_t = 2000)]
    pub delay: u64,
    /// Stop after N events
    #[arg(short = 'n', long = "numevents", value_name = "N")]
    pub numevents: Option<u64>,
    /// `-pc` (or `-p container`): add container columns to the views
    #[arg(short = 'p', long = "print", value_name = "c|container")]
    pub print: Option<String>,
    /// Show data buffers (echo, dig) as ASCII with their line breaks kept
    #[arg(short = 'A', long = "print-ascii", conflicts_with = "hex_ascii")]
    pub ascii: bool,
    /// Show data buffers (echo, dig) in hex and ASCII
    #[arg(short = 'X', long = "print-hex-ascii")]
    pub hex_ascii: bool,
    /// Show port numbers as service names (from /etc/services)
    #[arg(short = 'R', long = "resolve-ports")]
    pub resolve_ports: bool,
    /// Sort by this column at start (1 is the first column after the key)
    #[arg(long = "sortingcol", value_name = "N")]
    pub sortingcol: Option<usize>,
    /// Also load the views (v_*.lua or any Lua file defining view_info) of DIR
    ///
    /// May be repeated. SYSDIG_CHISEL_DIR, a semicolon-separated list of directories, is read
    /// too. A view with the id of a built-in one replaces it.
    #[arg(long = "views", value_name = "DIR")]
    pub views: Vec<PathBuf>,
    /// List the views and exit
    #[arg(long = "list-views")]
    pub list_views: bool,
    /// List the fields views can use and exit
    #[arg(short = 'l', long = "list")]
    pub list: bool,
    /// A filter on the events, in sysdig's filter language
    #[arg(value_name = "FILTER")]
    pub filter: Vec<String>,
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// The input path, `-` for stdin.
    pub input: String,
    /// The view asked for.
    pub view: Option<String>,
    /// UI, JSON or text.
    pub output: OutputMode,
    /// Refresh interval in ns.
    pub refresh_ns: u64,
    /// Stop after this many events.
    pub max_events: Option<u64>,
    /// Container columns (`-pc`).
    pub containers: bool,
    /// How echo and dig show data buffers (`-A`, `-X`).
    pub buf_fmt: scap_common::render::BufFmt,
    /// Port numbers as service names (`-R`).
    pub resolve_ports: bool,
    /// Initial sorting column.
    pub sortingcol: Option<usize>,
    /// Extra view directories.
    pub view_dirs: Vec<PathBuf>,
    /// The command-line filter.
    pub filter: String,
    /// List views and exit.
    pub list_views: bool,
    /// List fields and exit.
    pub list_fields: bool,
}

impl Config {
    /// Checks the arguments.
    pub fn from_args(args: &Args) -> Result<Config> {
        if args.delay < 100 {
            bail!("-d {}: the refresh interval must be at least 100 ms", args.delay);
        }
        let containers = match args.print.as_deref() {
            None => false,
            Some("c" | "container") => true,
            Some(other) => bail!("-p {other}: only -pc (container columns) is supported"),
        };
        if args.numevents == Some(0) {
            bail!("-n 0: the event count must be at least 1");
        }
        let mut view_dirs: Vec<PathBuf> = std::env::var("SYSDIG_CHISEL_DIR")
            .map(|v| v.split(';').filter(|s| !s.is_empty()).map(PathBuf::from).collect())
            .unwrap_or_default();
        view_dirs.extend(args.views.iter().cloned());
        let output = if args.json {
            OutputMode::Json
        } else if args.raw {
            OutputMode::Raw
        } else {
            OutputMode::Tui
        };
        Ok(Config {
            input: args.read.clone(),
            view: args.view.clone(),
            output,
            refresh_ns: args.delay * 1_000_000,
            max_events: args.numevents,
            containers,
            buf_fmt: if args.ascii {
                scap_common::render::BufFmt::EOLS_COMPACT
            } else if args.hex_ascii {
                scap_common::render::BufFmt::HEX_ASCII
            } else {
                scap_common::render::BufFmt::NORMAL
            },
            resolve_ports: args.resolve_ports,
            sortingcol: args.sortingcol,
            view_dirs,
            filter: args.filter.join(" "),
            list_views: args.list_views,
            list_fields: args.list,
        })
    }

    fn settings(&self) -> Settings {
        Settings {
            input: self.input.clone(),
            refresh_ns: self.refresh_ns,
            max_events: self.max_events,
            containers: self.containers,
            buf_fmt: self.buf_fmt,
            json: self.output == OutputMode::Json,
            resolve_ports: self.resolve_ports,
        }
    }
}

/// Loads the built-in views and those of `dirs`, with the column tag `-pc` selects.
pub fn load_catalogue(dirs: &[PathBuf], containers: bool) -> Result<Catalogue> {
    let tag = if containers { "containers" } else { "default" };
    Ok(Catalogue::load(dirs, tag, |source, chunk| scap_chisel::data::eval_global(source, chunk, "view_info"))?)
}

/// What `-v` asked for.
enum Start {
    View(usize),
    Spy(SpyKind),
}

fn pick_view(config: &Config, catalogue: &mut Catalogue) -> Result<Start> {
    let Some(id) = &config.view else {
        let root = catalogue.default_view().map(|v| v.id.clone()).context("no view is marked as a starting view")?;
        return Ok(Start::View(catalogue.position(&root).unwrap_or(0)));
    };
    match id.as_str() {
        "dig" => return Ok(Start::Spy(SpyKind::Dig)),
        "echo" => return Ok(Start::Spy(SpyKind::Echo)),
        _ => {}
    }
    if id.ends_with(".lua") {
        let source = std::fs::read_to_string(id).with_context(|| format!("cannot read view file {id}"))?;
        let data = scap_chisel::data::eval_global(&source, id, "view_info")
            .map_err(|e| anyhow::anyhow!("view file {id}: {e}"))?
            .with_context(|| format!("view file {id} defines no view_info"))?;
        let view = ViewDef::from_data(&data, id)?;
        let vid = view.id.clone();
        catalogue.add(view, if config.containers { "containers" } else { "default" })?;
        return catalogue.position(&vid).map(Start::View).with_context(|| format!("view {vid} not found"));
    }
    catalogue.position(id).map(Start::View).with_context(|| format!("view {id} not found (--list-views lists them)"))
}

/// Runs scap-top with validated settings; returns the exit code.
pub fn run(config: &Config) -> Result<i32> {
    if config.list_fields {
        list_fields(&mut io::stdout().lock())?;
        return Ok(0);
    }
    let mut catalogue = load_catalogue(&config.view_dirs, config.containers)?;
    if config.output != OutputMode::Json {
        catalogue = catalogue.without_nocsysdig();
    }
    if config.list_views {
        let mut out = io::stdout().lock();
        for v in catalogue.views() {
            writeln!(out, "{:<22} {:<20} {}", v.id, v.name, v.description)?;
        }
        return Ok(0);
    }
    let start = pick_view(config, &mut catalogue)?;
    ingest::check_filter(&config.filter).map_err(|e| anyhow::anyhow!("filter: {e}"))?;
    if config.input != "-" {
        // Say so before any output when the input cannot even be opened.
        std::fs::File::open(&config.input).with_context(|| format!("cannot open {}", config.input))?;
    }
    if config.output == OutputMode::Tui {
        let source_name = if config.input == "-" {
            "stdin".to_string()
        } else if config.input.starts_with("/proc/self/fd/") {
            // csysdig's live mode reads scap-record's pipe.
            "scap-record".to_string()
        } else {
            config.input.clone()
        };
        let live =
            config.input == "-" || std::fs::metadata(&config.input).map(|m| !m.file_type().is_file()).unwrap_or(false);
        let (view, spy) = match start {
            Start::View(i) => (i, None),
            Start::Spy(k) => (catalogue.default_view().and_then(|v| catalogue.position(&v.id)).unwrap_or(0), Some(k)),
        };
        let mut state = UiState::new(catalogue, view, source_name, live, config.filter.clone());
        if let Screen::Table(t) = &mut state.screen {
            if let Some(c) = config.sortingcol {
                t.sort_col = c.saturating_sub(1);
            }
        }
        if let Some(kind) = spy {
            state.screen = Screen::Spy(SpyScreen::new(kind, live));
        }
        return app::run(config.settings(), state);
    }
    match start {
        Start::View(i) => run_output(config, &catalogue, &catalogue.views()[i]),
        Start::Spy(kind) => run_spy_output(config, kind),
    }
}

/// Prints the fields views and filters can use.
pub fn list_fields(out: &mut dyn Write) -> io::Result<()> {
    for (class, fields) in scap_common::fields::classes() {
        writeln!(out, "----------------------\nField Class: {class}\n")?;
        for f in fields {
            writeln!(out, "{:<24} {}", f.name, f.desc)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `-j` and `--raw` for a view: prints each sample until the input ends.
fn run_output(config: &Config, catalogue: &Catalogue, view: &ViewDef) -> Result<i32> {
    let (cmd_tx, cmd_rx) = unbounded::<Command>();
    let (upd_tx, upd_rx) = unbounded::<Update>();
    let settings = config.settings();
    let ingest = std::thread::spawn(move || ingest::run(settings, cmd_rx, upd_tx));
    let filter = drill::combine(&config.filter, &view.filter_at(0));
    let work = Work::Table { view: Box::new(view.clone()), depth: 0, filter, spectro_width: 0 };
    cmd_tx.send(Command::Start { generation: 1, work }).context("the ingest thread is gone")?;
    // No other command will come: the ingest thread ends when the work is done.
    drop(cmd_tx);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut json = match config.output {
        OutputMode::Json => Some(output::JsonWriter::begin(&mut out, true)?),
        _ => None,
    };
    let mut raw = Vec::new();
    if json.is_none() {
        raw.extend_from_slice(output::RAW_SEPARATOR.as_bytes());
    }
    let mut code = 0;
    let mut noticed = false;
    let templates =
        output::has_templates(view).then(|| output::filter_templates(catalogue, view, &[], &config.filter, 0));
    for u in upd_rx.iter() {
        match u {
            Update::Sample(s) => {
                if let Some(n) = s.notice.as_ref().filter(|_| !noticed) {
                    eprintln!("scap-top: view {}: {n}", view.id);
                    noticed = true;
                }
                let sorting = output::Sorting::initial(view, &s.spec, config.sortingcol);
                let rows = output::sorted_rows(&s, sorting);
                match json.as_mut() {
                    Some(j) => {
                        let info = output::info_json(view, &s.spec, templates.clone());
                        j.sample(&s, &rows, &info)?;
                    }
                    None => {
                        let mut w: &mut dyn Write = &mut raw;
                        output::raw_sample(&mut w, &s, &rows)?;
                    }
                }
                if json.is_none() {
                    flush_raw(&mut raw)?;
                }
                if s.eof {
                    break;
                }
            }
            Update::Error { message, .. } => {
                eprintln!("scap-top: {message}");
                code = scap_common::exit::ERROR;
            }
            Update::Slice { progress, .. } => {
                if let Some(j) = json.as_mut() {
                    j.progress(progress)?;
                }
            }
            Update::Progress { .. } | Update::Lines { .. } | Update::End { .. } => {}
        }
    }
    match json {
        Some(j) => {
            j.end()?;
        }
        None => flush_raw(&mut raw)?,
    }
    out.flush()?;
    drop(ingest);
    Ok(code)
}

fn flush_raw(raw: &mut Vec<u8>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(raw)?;
    out.flush()?;
    raw.clear();
    Ok(())
}

/// `-v dig` or `-v echo` with `-j` or `--raw`: prints the lines; with `-j` as csysdig's JSON
/// document, in slices (`Update::Slice`), the last one with the count of lines.
fn run_spy_output(config: &Config, kind: SpyKind) -> Result<i32> {
    let (cmd_tx, cmd_rx) = unbounded::<Command>();
    let (upd_tx, upd_rx) = unbounded::<Update>();
    let settings = config.settings();
    let ingest = std::thread::spawn(move || ingest::run(settings, cmd_rx, upd_tx));
    cmd_tx
        .send(Command::Start { generation: 1, work: Work::Spy { kind, filter: config.filter.clone() } })
        .context("the ingest thread is gone")?;
    drop(cmd_tx);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let json = config.output == OutputMode::Json;
    let mut code = 0;
    // -j: the values of the slice being made, and the count of every line so far.
    let mut values: Vec<String> = Vec::new();
    let mut count = 0u64;
    if json {
        out.write_all(b"{\"slices\": [\n")?;
    }
    for u in upd_rx.iter() {
        match u {
            Update::Lines { lines, .. } if json => {
                count += lines.len() as u64;
                values.extend(lines.into_iter().map(|l| l.text));
            }
            Update::Lines { lines, .. } => {
                for l in lines {
                    writeln!(out, "{}", l.text)?;
                }
            }
            Update::Slice { progress, .. } if json => {
                output::spy_slice(&mut out, progress, None, &values)?;
                out.write_all(b",")?;
                values.clear();
            }
            Update::End { .. } => break,
            Update::Error { message, .. } => {
                eprintln!("scap-top: {message}");
                code = scap_common::exit::ERROR;
            }
            _ => {}
        }
    }
    if json {
        output::spy_slice(&mut out, 100.0, Some(count), &values)?;
        out.write_all(b"]}\n")?;
    }
    out.flush()?;
    drop(ingest);
    Ok(code)
}
