//! scap-print: the printing sink. It prints events exactly as sysdig 0.29.3 prints them: the
//! classic line, `-p` formats, JSON lines (`-j`) and data buffers as text, hex or base64.
//!
//! Central type: `Printer`, a `Stage` built from a `Config`. `Config` can be built from the
//! command line's `Args` or directly in code (the `sysdig` wrapper does).
//!
//! ```
//! use scap_print::{Config, Printer};
//! let config = Config { format: Some("%evt.num %proc.name".into()), ..Config::default() };
//! let printer = Printer::new(config, Vec::new()).unwrap();
//! # drop(printer);
//! ```

pub mod format;
pub mod tz;

use std::io::Write;

use anyhow::{bail, Result};
use clap::{Args as ClapArgs, ValueEnum};
use scap_common::cli::InputArgs;
use scap_common::event::Event;
use scap_common::fields::{classes, flag, Ctx, Opts, TimeMode, Tz};
use scap_common::render::{BufFmt, Scratch};
use scap_common::schema::{self, category};
use scap_common::stage::{Emit, Flow, Stage, StageError};
use scap_common::state::State;
use scap_common::wire::Frame;

pub use format::{Format, FormatError};

/// How `evt.outputtime` (the time column of the default line) is shown.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeType {
    /// Human-readable local time of day
    #[default]
    #[value(name = "h")]
    Human,
    /// Seconds since the epoch
    #[value(name = "a")]
    Absolute,
    /// Seconds since the first event
    #[value(name = "r")]
    Relative,
    /// Time between the event and its enter event
    #[value(name = "d")]
    Delta,
    /// Time since the previous event shown
    #[value(name = "D")]
    DeltaPrevious,
}

impl From<TimeType> for TimeMode {
    fn from(t: TimeType) -> TimeMode {
        match t {
            TimeType::Human => TimeMode::Human,
            TimeType::Absolute => TimeMode::Absolute,
            TimeType::Relative => TimeMode::Relative,
            TimeType::Delta => TimeMode::Delta,
            TimeType::DeltaPrevious => TimeMode::DeltaPrevious,
        }
    }
}

/// Command-line arguments of scap-print.
#[derive(ClapArgs, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct Args {
    /// Input options
    #[command(flatten)]
    pub input: InputArgs,
    /// Print events with FORMAT, e.g. '%evt.num %proc.name %fd.name'
    ///
    /// Fields are written %NAME, optionally with a width (%10proc.name pads or cuts to 10
    /// bytes). A line whose fields are not all set is not printed, unless the format starts
    /// with '*' (then missing values print as <NA>). \n, \t and \e are turned into newline, tab
    /// and escape. '-p c' and '-p k' give container and Kubernetes lines; '-p p' prints the
    /// default format. See -l for the fields.
    #[arg(short = 'p', long = "print", value_name = "FORMAT")]
    pub print: Option<String>,
    /// Print events as JSON objects, one per line
    #[arg(short = 'j', long = "json")]
    pub json: bool,
    /// Print only the printable text of data buffers, keeping line breaks
    #[arg(short = 'A', long = "print-ascii", conflicts_with_all = ["print_hex", "print_hex_ascii", "print_base64"])]
    pub print_ascii: bool,
    /// Print data buffers in hex
    #[arg(short = 'x', long = "print-hex", conflicts_with_all = ["print_hex_ascii", "print_base64"])]
    pub print_hex: bool,
    /// Print data buffers in hex and ASCII
    #[arg(short = 'X', long = "print-hex-ascii", conflicts_with = "print_base64")]
    pub print_hex_ascii: bool,
    /// Print data buffers in base64
    #[arg(short = 'b', long = "print-base64")]
    pub print_base64: bool,
    /// Print data buffers in full instead of cutting them at 80 bytes
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// How the time column shows time: h (local time), a (absolute), r (relative to the first
    /// event), d (delta from the enter event), D (delta from the previous event)
    #[arg(short = 't', long = "timetype", value_name = "TYPE", value_enum, default_value = "h")]
    pub timetype: TimeType,
    /// Show at most LEN bytes of each data buffer
    #[arg(short = 's', long = "snaplen", value_name = "LEN")]
    pub snaplen: Option<u32>,
    /// Also print internal events (procinfo, drops, ...), as sysdig -D does
    #[arg(short = 'D', long = "debug")]
    pub debug: bool,
    /// List the fields -p formats can use, and exit
    #[arg(short = 'l', long = "list")]
    pub list: bool,
    /// Show port numbers as service names (from /etc/services) in socket names and tuples
    #[arg(short = 'R', long = "resolve-ports")]
    pub resolve_ports: bool,
}

/// Validated settings.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The `-p` format; `None` for the default line.
    pub format: Option<String>,
    /// Print JSON objects.
    pub json: bool,
    /// How data buffers look (`BufFmt::NORMAL`, `EOLS`, `HEX`, `HEX_ASCII`, `BASE64`); `None`
    /// for the default.
    pub buf_fmt: Option<BufFmt>,
    /// Print buffers in full.
    pub verbose: bool,
    /// What the time column shows.
    pub time: TimeMode,
    /// Limit on the bytes of each data buffer shown, 0 for none.
    pub snaplen: u32,
    /// Port names for socket names and tuples (`-R`); `None` prints numbers.
    pub port_names: Option<std::sync::Arc<scap_common::state::ports::PortNames>>,
    /// Print internal events too.
    pub debug: bool,
    /// The time zone times are shown in (`None`: UTC).
    pub tz: Option<Tz>,
    /// Whether output goes to a terminal (colors in the default line, line buffering).
    pub tty: bool,
}

impl Config {
    /// Checks arguments. `tz` is the local time zone (see `tz::local`).
    pub fn from_args(args: &Args, tz: Tz, tty: bool) -> Result<Config> {
        let buf_fmt = if args.print_ascii {
            Some(BufFmt::EOLS)
        } else if args.print_hex {
            Some(BufFmt::HEX)
        } else if args.print_hex_ascii {
            Some(BufFmt::HEX_ASCII)
        } else if args.print_base64 {
            Some(BufFmt::BASE64)
        } else {
            None
        };
        let config = Config {
            format: args.print.clone(),
            json: args.json,
            buf_fmt,
            verbose: args.verbose,
            time: args.timetype.into(),
            snaplen: args.snaplen.unwrap_or(0),
            debug: args.debug,
            tz: Some(tz),
            tty,
            port_names: if args.resolve_ports { port_names() } else { None },
        };
        // Refuse a bad format before reading any input.
        config.format_spec()?;
        Ok(config)
    }

    /// The format text to parse, after shortcuts and escapes.
    fn format_text(&self) -> String {
        match self.format.as_deref() {
            None | Some("p") => {
                if self.tty {
                    format::DEFAULT_TTY_FORMAT.to_string()
                } else {
                    format::DEFAULT_FORMAT.to_string()
                }
            }
            Some("c") | Some("container") => format::CONTAINER_FORMAT.to_string(),
            Some("k") | Some("kubernetes") => format::K8S_FORMAT.to_string(),
            Some(f) => format::unescape(f),
        }
    }

    fn format_spec(&self) -> Result<Format> {
        let text = self.format_text();
        match Format::parse(&text) {
            Ok(f) => Ok(f),
            Err(e) => bail!("{e}"),
        }
    }

    fn opts(&self) -> Opts {
        let base = self.buf_fmt.unwrap_or(BufFmt::NORMAL);
        Opts {
            buf_fmt: if self.json { base.to_json() } else { base },
            max_buf_len: if self.verbose { 0 } else { 80 },
            time_mode: self.time,
            tz: self.tz.clone().unwrap_or_else(Tz::utc),
            prev_ts: 0,
            snaplen: self.snaplen,
        }
    }
}

/// Whether `-p p` was asked: print the default format and exit.
pub fn wants_format_listing(args: &Args) -> bool {
    args.print.as_deref() == Some("p")
}

/// The default format, as `-p p` prints it.
pub fn default_format(tty: bool) -> &'static str {
    if tty {
        format::DEFAULT_TTY_FORMAT
    } else {
        format::DEFAULT_FORMAT
    }
}

/// Writes the field list (`-l`).
pub fn list_fields(out: &mut dyn Write) -> std::io::Result<()> {
    for (class, fields) in classes() {
        writeln!(out, "-------------------------------")?;
        writeln!(out, "Field Class: {class}")?;
        writeln!(out)?;
        for f in fields {
            if f.flags & (flag::TABLE_ONLY | flag::PRINT_ONLY) != 0 {
                continue;
            }
            writeln!(out, "{:<30}{}", f.name, f.desc)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Prints events to a writer, reading fields from a state it is handed: the printing half of
/// `Printer`, for callers that keep the state themselves (the `sysdig` wrapper, which filters and
/// prints with one state engine).
pub struct LinePrinter<W: Write + Send> {
    out: W,
    config: Config,
    format: Format,
    opts: Opts,
    line: Vec<u8>,
    scratch: Scratch,
}

impl<W: Write + Send> LinePrinter<W> {
    /// A printer writing to `out`; fails on a bad format.
    pub fn new(config: Config, out: W) -> Result<LinePrinter<W>> {
        let format = config.format_spec()?;
        let opts = config.opts();
        Ok(LinePrinter { out, config, format, opts, line: Vec::with_capacity(1024), scratch: Scratch::default() })
    }

    /// Whether `e` is shown at all: not hidden, not filtered out by the state engine, and not an
    /// internal event unless `-D`. `state` must include `e`.
    pub fn should_print(&self, e: &Event, state: &State) -> bool {
        if e.is_hidden() || state.cur.filtered_out {
            return false;
        }
        if self.config.debug {
            return true;
        }
        !is_internal(e)
    }

    /// Prints `e` (which `state` includes) if its line has every field set. Does not check
    /// `should_print`.
    pub fn print_event(&mut self, e: &Event, state: &State) -> Result<(), StageError> {
        self.line.clear();
        let ctx = Ctx::with_opts(e, state, &self.opts);
        let res = if self.config.json {
            self.format.write_json(&ctx, &mut self.line, &mut self.scratch)
        } else {
            self.format.write_line(&ctx, &mut self.line, &mut self.scratch)
        };
        self.opts.prev_ts = e.ts;
        // A value sysdig cannot render stops its output too (`evt.rawarg` of some types).
        let printed =
            res.map_err(|err| StageError::Failed { stage: "format", what: format!("event {}: {}", e.num, err.0) })?;
        if printed {
            self.line.push(b'\n');
            self.out.write_all(&self.line)?;
            if self.config.tty {
                self.out.flush()?;
            }
        }
        Ok(())
    }

    /// Flushes the output.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Prints events to a writer.
pub struct Printer<W: Write + Send> {
    printer: LinePrinter<W>,
    state: State,
}

impl<W: Write + Send> Printer<W> {
    /// A printer writing to `out`; fails on a bad format.
    pub fn new(config: Config, out: W) -> Result<Printer<W>> {
        let mut state = State::new();
        state.port_names = config.port_names.clone();
        Ok(Printer { printer: LinePrinter::new(config, out)?, state })
    }

    /// The state the printer has built so far.
    pub fn state(&self) -> &State {
        &self.state
    }
}

/// The host's service names (/etc/services) for `-R`; `None` when it cannot be read, so ports
/// stay numbers as with sysdig on a host without the file.
pub fn port_names() -> Option<std::sync::Arc<scap_common::state::ports::PortNames>> {
    let text = std::fs::read_to_string("/etc/services").ok()?;
    Some(std::sync::Arc::new(scap_common::state::ports::PortNames::parse(&text)))
}

/// Whether an event is one sysdig hides unless asked (`-D`): its category is internal.
pub fn is_internal(e: &Event) -> bool {
    if e.event_type == schema::ev::GENERIC_E || e.event_type == schema::ev::GENERIC_X {
        let cat = e.param_u64(0).and_then(|id| schema::syscall_info(id as u16)).map_or(0, |(_, c)| c);
        return cat & category::INTERNAL != 0;
    }
    e.info().is_some_and(|i| i.category & category::INTERNAL != 0)
}

impl<W: Write + Send> Stage for Printer<W> {
    fn on_frame(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.on_borrowed_frame(&frame, out)
    }

    fn on_borrowed_frame(&mut self, frame: &Frame, _out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.state.apply(frame);
        if let Frame::Event(e) = frame {
            if self.printer.should_print(e, &self.state) {
                self.printer.print_event(e, &self.state)?;
            }
        }
        Ok(Flow::Continue)
    }

    fn finish(&mut self, _out: &mut dyn Emit) -> Result<(), StageError> {
        self.printer.flush()?;
        Ok(())
    }
}

/// What each field class is about, in `sysdig -l`'s header layout: (check, title, description).
const CLASS_HEADERS: &[(scap_common::fields::Check, &str, &str)] = {
    use scap_common::fields::Check;
    &[
        (Check::Gen, "evt (All event types)", "Fields every event has, whatever its type."),
        (
            Check::Evt,
            "evt (Syscall events only)",
            "Fields of system call events. Each parameter of an event can also be read by name with evt.arg.NAME (evt.arg.fd, evt.arg.name) or as its raw value with evt.rawarg.NAME.",
        ),
        (Check::Thread, "process", "The process and thread that made the event."),
        (Check::User, "user", "The user the event's process runs as."),
        (Check::Group, "group", "The group the event's process runs as."),
        (
            Check::Container,
            "container",
            "The container the event's process runs in. Outside containers, container.id and container.name are 'host'.",
        ),
        (
            Check::Fd,
            "fd",
            "The file descriptor the event works on (for events that take, create or close one): files, sockets, pipes and the rest.",
        ),
        (Check::Syslog, "syslog", "Messages written to the syslog socket (/dev/log)."),
        (Check::Fdlist, "fdlist", "The file descriptors of poll and select events."),
        (Check::K8s, "k8s", "Kubernetes pod, namespace and labels of the event's container."),
    ]
};

fn listed(f: &scap_common::fields::FieldInfo) -> bool {
    f.flags & (flag::TABLE_ONLY | flag::PRINT_ONLY) == 0
}

/// Words of `text` wrapped into lines of at most `width` bytes, each ending with a space, as
/// sysdig's listing wraps descriptions.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + w.len() + 1 > width {
            lines.push(std::mem::take(&mut cur));
        }
        cur.push_str(w);
        cur.push(' ');
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn write_wrapped(out: &mut dyn Write, head: &str, text: &str) -> std::io::Result<()> {
    // A name that fills the column goes on a line of its own.
    let own_line = head.len() >= 30;
    if own_line {
        writeln!(out, "{head}")?;
    }
    for (i, l) in wrap_words(text, 90).iter().enumerate() {
        let h = if i == 0 && !own_line { head } else { "" };
        writeln!(out, "{h:<30}{l}")?;
    }
    Ok(())
}

/// Field classes sysdig 0.29.3 lists for features scap tools do not have (Mesos, and the
/// tracers written to /dev/null): listed so the names are known, refused by filters and formats.
/// A listed field: name, type name, description.
type ListedField = (String, &'static str, String);

fn unsupported_classes() -> Vec<(&'static str, &'static str, Vec<ListedField>)> {
    let mesos: Vec<ListedField> = [
        ("mesos.task.name", "the Mesos task's name"),
        ("mesos.task.id", "the Mesos task's id"),
        ("mesos.task.label", "one label of the Mesos task, e.g. mesos.task.label.foo"),
        ("mesos.task.labels", "all labels of the Mesos task, as key:value, comma-separated"),
        ("mesos.framework.name", "the Mesos framework's name"),
        ("mesos.framework.id", "the Mesos framework's id"),
        ("marathon.app.name", "the Marathon application's name"),
        ("marathon.app.id", "the Marathon application's id"),
        ("marathon.app.label", "one label of the Marathon application, e.g. marathon.app.label.foo"),
        ("marathon.app.labels", "all labels of the Marathon application, as key:value, comma-separated"),
        ("marathon.group.name", "the Marathon group's name"),
        ("marathon.group.id", "the Marathon group's id"),
    ]
    .iter()
    .map(|(n, d)| (n.to_string(), "CHARBUF", format!("{d} (not available in scap tools)")))
    .collect();
    let span: Vec<ListedField> = [
        ("span.id", "INT64", "the id of the tracer span"),
        ("span.time", "CHARBUF", "when the span began, as a time of day"),
        ("span.ntags", "UINT32", "how many tags the span has"),
        ("span.nargs", "UINT32", "how many arguments the span has"),
        ("span.tags", "CHARBUF", "the span's tags, dot-separated"),
        ("span.tag", "CHARBUF", "one tag of the span, by index (span.tag[1])"),
        ("span.args", "CHARBUF", "the span's arguments, comma-separated"),
        ("span.arg", "CHARBUF", "one argument of the span, by index or name"),
        ("span.enterargs", "CHARBUF", "the arguments of the span's enter tracer"),
        ("span.enterarg", "CHARBUF", "one argument of the span's enter tracer"),
        ("span.duration", "RELTIME", "the span's length, in nanoseconds"),
        ("span.duration.human", "CHARBUF", "the span's length, readable (10.3ms)"),
    ]
    .iter()
    .map(|(n, t, d)| (n.to_string(), *t, format!("{d} (not available in scap tools)")))
    .collect();
    let mut evtin = Vec::new();
    for (prefix, scope) in [
        ("", "of the same thread"),
        ("p.", "of the same process"),
        ("s.", "of the same script"),
        ("m.", "of any thread on the machine"),
    ] {
        for (field, ty, what) in [
            ("id", "INT64", "the span with this id"),
            ("ntags", "UINT32", "spans with this many tags"),
            ("nargs", "UINT32", "spans with this many arguments"),
            ("tags", "CHARBUF", "spans with these tags"),
            ("tag", "CHARBUF", "spans with this tag"),
            ("args", "CHARBUF", "spans with these arguments"),
            ("arg", "CHARBUF", "spans with this argument"),
        ] {
            evtin.push((
                format!("evtin.span.{prefix}{field}"),
                ty,
                format!("matches the events {scope} that happen inside {what} (not available in scap tools)"),
            ));
        }
    }
    let tracers = "Tracer spans: the begin/end markers programs write to /dev/null (not read by scap tools).";
    vec![
        ("mesos", "Mesos tasks and Marathon applications (not read by scap tools).", mesos),
        ("span", tracers, span),
        ("evtin", "Events inside tracer spans (not read by scap tools).", evtin),
    ]
}

/// Writes the field list in `sysdig -l`'s layout (`-lv`: with each field's type).
pub fn list_fields_sysdig(out: &mut dyn Write, verbose: bool) -> std::io::Result<()> {
    use scap_common::fields::FIELDS;
    for (check, title, desc) in CLASS_HEADERS {
        writeln!(out, "-------------------------------")?;
        writeln!(out, "{:<30}{title}", "Field Class:")?;
        write_wrapped(out, "Description:", desc)?;
        writeln!(out)?;
        for f in FIELDS.iter().filter(|f| f.check == *check && listed(f)) {
            let text =
                if verbose { format!("(Type: {}) {}", f.ptype.name(), sentence(f.desc)) } else { sentence(f.desc) };
            write_wrapped(out, f.name, &text)?;
        }
        writeln!(out)?;
    }
    for (title, desc, fields) in unsupported_classes() {
        writeln!(out, "-------------------------------")?;
        writeln!(out, "{:<30}{title}", "Field Class:")?;
        write_wrapped(out, "Description:", desc)?;
        writeln!(out)?;
        for (name, ty, d) in fields {
            let text = if verbose { format!("(Type: {ty}) {d}.") } else { format!("{d}.") };
            write_wrapped(out, &name, &text)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the field list as markdown (`sysdig --list-markdown`).
pub fn list_fields_markdown(out: &mut dyn Write) -> std::io::Result<()> {
    use scap_common::fields::FIELDS;
    for (check, title, desc) in CLASS_HEADERS {
        let name = title.split(' ').next().unwrap_or(title);
        writeln!(out)?;
        writeln!(out, "## Field Class: {name}")?;
        writeln!(out)?;
        writeln!(out, "{desc}")?;
        writeln!(out)?;
        writeln!(out, "Name | Type | Description")?;
        writeln!(out, ":----|:-----|:-----------")?;
        for f in FIELDS.iter().filter(|f| f.check == *check && listed(f)) {
            writeln!(out, "`{}` | {} | {}", f.name, f.ptype.name(), sentence(f.desc))?;
        }
    }
    for (name, desc, fields) in unsupported_classes() {
        writeln!(out)?;
        writeln!(out, "## Field Class: {name}")?;
        writeln!(out)?;
        writeln!(out, "{desc}")?;
        writeln!(out)?;
        writeln!(out, "Name | Type | Description")?;
        writeln!(out, ":----|:-----|:-----------")?;
        for (n, ty, d) in fields {
            writeln!(out, "`{n}` | {ty} | {d}.")?;
        }
    }
    Ok(())
}

/// A description as a sentence: capital letter kept as written, a full stop at the end.
fn sentence(desc: &str) -> String {
    if desc.ends_with('.') {
        desc.to_string()
    } else {
        format!("{desc}.")
    }
}
