//! scap-record: the source stage. It captures live with the eBPF probe (the whole host, a
//! command and its descendants, a process tree, a cgroup or a container), or imports a `.scap`
//! trace or a stream, and writes the scap stream, or a `.scap` file when the output ends in
//! `.scap`.
//!
//! Central type: `Config`, built from `Args`; `record` runs it.

// Live capture forks the traced command, installs signal handlers and reads interfaces through
// libc; every unsafe block carries a SAFETY comment.
#![allow(unsafe_code)]

pub mod live;
pub mod snapshot;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{bail, Context, Result};
use clap::Args as ClapArgs;
use scap_common::cli::OutputArgs;
use scap_common::event::EventRef;
use scap_common::input::{InputError, Source};
use scap_common::scap::ScapWriter;
use scap_common::wire::{Frame, FrameWriter};

/// Command-line arguments of scap-record.
#[derive(ClapArgs, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct Args {
    /// Import a trace file (.scap, gzip'd .scap, or a scap stream) instead of capturing; `-` reads stdin
    #[arg(short = 'r', long = "read", value_name = "FILE")]
    pub read: Option<String>,
    /// Stop after N events
    #[arg(short = 'n', long = "count", value_name = "N")]
    pub count: Option<u64>,
    /// Stop after N seconds
    #[arg(short = 'M', long = "seconds", value_name = "N")]
    pub seconds: Option<u64>,
    /// Capture process PID and its descendants
    #[arg(short = 'p', long = "pid", value_name = "PID")]
    pub pid: Option<u32>,
    /// Capture the processes of a cgroup v2 (a path below the cgroup2 root, or inside its mount)
    #[arg(long = "cgroup", value_name = "PATH")]
    pub cgroup: Option<String>,
    /// Capture the processes of a container, by id (or a unique prefix)
    #[arg(long = "container", value_name = "ID")]
    pub container: Option<String>,
    /// Capture only these syscalls (comma-separated names); process lifecycle syscalls are always captured
    #[arg(long = "syscalls", value_name = "NAMES", value_delimiter = ',')]
    pub syscalls: Option<Vec<String>>,
    /// Bytes of I/O buffers captured per event
    #[arg(short = 's', long = "snaplen", value_name = "BYTES", default_value_t = 80)]
    pub snaplen: u32,
    /// Size of each ring buffer (power of two; K and M suffixes)
    #[arg(long = "buffer-size", value_name = "SIZE", default_value = "8M")]
    pub buffer_size: String,
    /// CPUs that share one ring buffer
    #[arg(long = "cpus-per-buffer", value_name = "N", default_value_t = 1)]
    pub cpus_per_buffer: u32,
    /// Also capture context switches (switch events)
    #[arg(long = "sched-switch")]
    pub sched_switch: bool,
    /// Also capture user page faults (page_fault events)
    #[arg(long = "page-faults")]
    pub page_faults: bool,
    /// Print a summary on stderr at the end: events, rate, drops
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Testing aid: sleep this many milliseconds per drained batch, to show that drops are counted
    #[arg(long = "slow-consumer-ms", value_name = "MS", default_value_t = 0, hide = true)]
    pub slow_consumer_ms: u64,
    /// Troubleshooting aid: do not attach this probe program (repeatable); the capture goes on
    /// without it and names what is missing
    #[arg(long = "disable-program", value_name = "NAME", hide = true)]
    pub disable_program: Vec<String>,
    /// Output options
    #[command(flatten)]
    pub output: OutputArgs,
    /// A command to run and capture, with its descendants (after `--`)
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// Where events come from.
#[derive(Debug, Clone)]
pub enum Input {
    /// Import this trace.
    Import(String),
    /// Capture live.
    Live(live::LiveConfig),
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The source.
    pub input: Input,
    /// Stop after this many events (import).
    pub count: Option<u64>,
    /// Output file, stdout when `None`.
    pub write: Option<String>,
    /// Compress with zstd.
    pub compress: bool,
    /// Print a summary at the end.
    pub verbose: bool,
}

/// Parses `8M`, `512K`, `4096`.
fn parse_size(s: &str) -> Result<u32> {
    let (num, mult) = match s.chars().last() {
        Some('K' | 'k') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M' | 'm') => (&s[..s.len() - 1], 1 << 20),
        Some('G' | 'g') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = num.parse().with_context(|| format!("--buffer-size {s:?} is not a size"))?;
    let bytes = n * mult;
    if !bytes.is_power_of_two() || !(4096..=(1 << 30)).contains(&bytes) {
        bail!("--buffer-size {s} must be a power of two between 4K and 1G");
    }
    Ok(bytes as u32)
}

/// Syscall names to x86_64 numbers, by libscap's names.
fn syscall_numbers(names: &[String]) -> Result<BTreeSet<u32>> {
    let mut out = BTreeSet::new();
    for name in names {
        let found: Vec<u32> = (0..512u32)
            .filter(|&nr| {
                scap_common::schema::x86_64_syscall(nr)
                    .and_then(|(_, _, _, sc)| scap_common::schema::syscall_info(sc))
                    .is_some_and(|(n, _)| n == name)
            })
            .collect();
        if found.is_empty() {
            bail!("--syscalls: unknown syscall {name:?}");
        }
        out.extend(found);
    }
    Ok(out)
}

impl Config {
    /// Checks arguments.
    pub fn from_args(args: &Args) -> Result<Config> {
        if args.output.write.is_none() && !args.output.force && io::stdout().is_terminal() {
            bail!("refusing to write a binary stream to a terminal; redirect stdout, use -w FILE, or --force");
        }
        let input = match &args.read {
            Some(read) => {
                if !args.command.is_empty() || args.pid.is_some() || args.cgroup.is_some() || args.container.is_some() {
                    bail!("-r imports a trace; it cannot be combined with a command, -p, --cgroup or --container");
                }
                Input::Import(read.clone())
            }
            None => {
                let scopes = usize::from(!args.command.is_empty()) + usize::from(args.pid.is_some());
                if scopes > 1 {
                    bail!("give either a command after -- or -p PID, not both");
                }
                if args.cgroup.is_some() && args.container.is_some() {
                    bail!("give either --cgroup or --container, not both");
                }
                let syscalls = args.syscalls.as_deref().map(syscall_numbers).transpose()?;
                Input::Live(live::LiveConfig {
                    command: args.command.clone(),
                    pid: args.pid,
                    cgroup: args.cgroup.clone(),
                    container: args.container.clone(),
                    syscalls,
                    snaplen: args.snaplen,
                    count: args.count,
                    seconds: args.seconds,
                    buffer_size: parse_size(&args.buffer_size)?,
                    cpus_per_buffer: args.cpus_per_buffer.max(1),
                    sched_switch: args.sched_switch,
                    page_faults: args.page_faults,
                    command_stdout_to_stderr: args.output.write.is_none(),
                    slow_consumer_ms: args.slow_consumer_ms,
                    disabled_programs: args.disable_program.clone(),
                })
            }
        };
        if args.output.compress && args.output.write.as_deref().is_some_and(|w| w.ends_with(".scap")) {
            bail!("-z compresses the native stream; a .scap output is written uncompressed");
        }
        Ok(Config {
            input,
            count: args.count,
            write: args.output.write.clone(),
            compress: args.output.compress,
            verbose: args.verbose,
        })
    }
}

/// Where frames go: the native stream or a `.scap` file.
pub trait Sink {
    /// Writes one frame.
    fn write(&mut self, frame: &Frame) -> io::Result<()>;
    /// Writes one event frame from borrowed parameters.
    fn write_event(&mut self, e: &EventRef<'_>) -> io::Result<()> {
        self.write(&Frame::Event(e.to_event()))
    }
    /// Whether `write_event` writes borrowed events without copying them first (the importer
    /// then hands it events straight from the reader's buffer).
    fn takes_borrowed_events(&self) -> bool {
        false
    }
    /// Pushes buffered frames out (a `.scap` file can only be written once events start).
    fn flush(&mut self) -> io::Result<()>;
    /// Flushes everything and closes the output.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

impl<W: Write> Sink for FrameWriter<W> {
    fn write(&mut self, frame: &Frame) -> io::Result<()> {
        FrameWriter::write(self, frame)
    }

    fn write_event(&mut self, e: &EventRef<'_>) -> io::Result<()> {
        FrameWriter::write_event(self, e)
    }

    fn takes_borrowed_events(&self) -> bool {
        true
    }

    fn flush(&mut self) -> io::Result<()> {
        FrameWriter::flush(self)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.into_inner()?.flush()
    }
}

impl<W: Write> Sink for ScapWriter<W> {
    fn write(&mut self, frame: &Frame) -> io::Result<()> {
        ScapWriter::write(self, frame)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        ScapWriter::finish(*self)?.flush()
    }
}

/// Opens the output the config names.
pub fn open_sink(config: &Config) -> Result<Box<dyn Sink>> {
    let raw: Box<dyn Write> = match &config.write {
        Some(path) => Box::new(BufWriter::new(File::create(path).with_context(|| format!("creating {path}"))?)),
        None => Box::new(scap_common::stage::stdout_file()?),
    };
    if config.write.as_deref().is_some_and(|w| w.ends_with(".scap")) {
        return Ok(Box::new(ScapWriter::new(raw)));
    }
    let raw: Box<dyn Write> =
        if config.compress { Box::new(zstd::stream::write::Encoder::new(raw, 3)?.auto_finish()) } else { raw };
    Ok(Box::new(FrameWriter::new(raw)))
}

/// How a recording ended.
pub struct Outcome {
    /// Events written.
    pub n_events: u64,
    /// A problem with the input that ended it early; everything before it was written.
    pub input_error: Option<scap_common::input::InputError>,
    /// For live captures: drops, warnings and why it ended.
    pub live: Option<live::LiveOutcome>,
}

/// Runs the recording the config describes.
pub fn record(config: &Config) -> Result<Outcome> {
    match &config.input {
        Input::Import(path) => import(config, path),
        Input::Live(live_cfg) => {
            let mut sink = open_sink(config)?;
            let out = live::capture(live_cfg, sink.as_mut())?;
            sink.finish()?;
            Ok(Outcome { n_events: out.n_events, input_error: None, live: Some(out) })
        }
    }
}

fn import(config: &Config, path: &str) -> Result<Outcome> {
    let source = Source::open_path(path)?;
    let mut out = open_sink(config)?;
    let mut imported = Imported { count: config.count, n_events: 0, ended: false };
    if source.format() == scap_common::input::Format::Scap && out.takes_borrowed_events() {
        let input_error = import_in_place(&mut imported, source, out.as_mut())?;
        return imported.finish(out, input_error);
    }
    let (rx, recycle) = scap_common::stage::spawn_recycling_reader(source);
    let mut input_error = None;
    'outer: for batch in rx.iter() {
        match batch {
            Ok(frames) => {
                for frame in &frames {
                    if !imported.pass(out.as_mut(), frame)? {
                        break 'outer;
                    }
                }
                // Back to the reader, which fills the frames again in place.
                let _ = recycle.try_send(frames);
            }
            Err(e) => {
                input_error = Some(e);
                break;
            }
        }
    }
    imported.finish(out, input_error)
}

/// What an import has written: the events, counted against `-n`, and whether the End frame
/// has gone out.
struct Imported {
    count: Option<u64>,
    n_events: u64,
    ended: bool,
}

impl Imported {
    /// Whether `-n` leaves room for another event.
    fn room(&self) -> bool {
        self.count.is_none_or(|n| self.n_events < n)
    }

    /// Writes a frame; `false`, writing nothing, for an event past `-n` (the import ends there).
    fn pass(&mut self, out: &mut dyn Sink, frame: &Frame) -> Result<bool> {
        if matches!(frame, Frame::Event(_)) {
            if !self.room() {
                return Ok(false);
            }
            self.n_events += 1;
        }
        if matches!(frame, Frame::End(_)) {
            self.ended = true;
        }
        out.write(frame)?;
        Ok(true)
    }

    /// Ends the output: an End frame of our own when the input's did not come (`-n` cut it
    /// short), then the sink is finished.
    fn finish(self, mut out: Box<dyn Sink>, input_error: Option<InputError>) -> Result<Outcome> {
        if !self.ended && input_error.is_none() {
            let end = scap_common::wire::End { n_events: self.n_events, n_drops: 0, reason: "count".into() };
            out.write(&Frame::End(end))?;
        }
        out.finish()?;
        Ok(Outcome { n_events: self.n_events, input_error, live: None })
    }
}

/// `import` of a `.scap` trace into the native stream, on this thread: ordinary events are
/// encoded straight from the reader's buffer (`Source::next_event_with`), without the copy
/// into a frame and the handing over to another thread, which cost about as much as the
/// encoding; everything else goes through frames. The same frames as `import` writes; returns
/// the input error that ended it, if one did.
fn import_in_place(imported: &mut Imported, mut source: Source, out: &mut dyn Sink) -> Result<Option<InputError>> {
    let mut slot = Frame::Unknown(0);
    loop {
        if imported.room() {
            if let Some(written) = source.next_event_with(|e| out.write_event(e)) {
                written?;
                imported.n_events += 1;
                continue;
            }
        }
        match source.next_into(&mut slot) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => return Ok(Some(e)),
        }
        if !imported.pass(out, &slot)? {
            return Ok(None);
        }
    }
}
