//! Running a command line: the listings, then the capture or trace through the stages,
//! composed in this process.
//!
//! Frames come in batches (`Feed`): on a channel from the reader thread
//! (`stage::spawn_recycling_reader`, which gets processed batches back and refills them in
//! place) or from the live capture thread (`scap_record::live::capture` into `ChannelSink`); or,
//! for `-q` and chisels on a regular file, read on the main thread itself, where handing each
//! event to another core would cost more than reading it. The main thread then does what the
//! options ask, with one state engine wherever it can:
//!
//! - print (default), or count only (`-q`): `Front` applies each frame to the one `State`,
//!   runs the filter, counts (`-n`, `-S`, `-M`), and `scap_print::LinePrinter` prints from
//!   the same state;
//! - chisels (`-c`): each `scap_chisel::ChiselStage` keeps its chisel's state and applies the
//!   filter as the capture-wide filter, as sysdig's chisels see it (a lone chisel takes whole
//!   batches, `ChiselStage::on_frames_ref`);
//! - write (`-w`): `scap_filter::FilterStage` keeps matching events and forwards the ones that
//!   changed state hidden (what sysdig's `-F` does), into `output::Output`.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{anyhow, bail, Result};
use crossbeam_channel::{bounded, Receiver, Sender};
use scap_common::event::Event;
use scap_common::fields::{Ctx, Opts};
use scap_common::input::{InputError, Source};
use scap_common::stage::{self, Emit, Flow, Stage, StageError};
use scap_common::state::State;
use scap_common::wire::Frame;
use scap_filter::Filter;

use crate::args::Options;
use crate::output::{Output, OutputConfig, OutputEmit};
use crate::summary::Summary;
use crate::{listing, progress};

/// Where the loops get their batches of frames.
enum Feed {
    /// From a thread: the reader (`spawn_recycling_reader`, which takes processed batches
    /// back) or the live capture.
    Thread { rx: Receiver<Result<Vec<Frame>, InputError>>, recycle: Option<Sender<Vec<Frame>>> },
    /// Read on the consuming thread, one batch refilled in place (a regular file).
    Inline { source: Box<Source>, spare: Vec<Frame>, error: Option<InputError>, ended: bool },
}

impl Feed {
    /// The next batch; `None` at the end.
    fn next(&mut self) -> Option<Result<Vec<Frame>, InputError>> {
        match self {
            Feed::Thread { rx, .. } => rx.recv().ok(),
            Feed::Inline { source, spare, error, ended } => {
                if let Some(e) = error.take() {
                    *ended = true;
                    return Some(Err(e));
                }
                if *ended {
                    return None;
                }
                let mut batch = std::mem::take(spare);
                let (end, err) = stage::fill_batch(source, &mut batch);
                *ended = end;
                *error = err;
                if batch.is_empty() {
                    return self.next();
                }
                Some(Ok(batch))
            }
        }
    }

    /// Hands a processed batch back for reuse.
    fn give_back(&mut self, frames: Vec<Frame>) {
        match self {
            Feed::Thread { recycle: Some(r), .. } => {
                let _ = r.try_send(frames);
            }
            Feed::Thread { .. } => {}
            Feed::Inline { spare, .. } => *spare = frames,
        }
    }
}

/// What the filter and the counters decide, with the one state.
struct Front {
    filter: Option<Filter>,
    opts: Opts,
    /// Events that passed the filter (sysdig's count for `-n`).
    n_passed: u64,
    numevents: Option<u64>,
    duration_ns: Option<u64>,
    suppress: Vec<Vec<u8>>,
    n_suppressed: u64,
    /// The filter is a display filter (`-d`): events are counted before it.
    display_only: bool,
    summary: Option<Summary>,
    /// Port names for socket names and tuples (`-R`).
    port_names: Option<Arc<scap_common::state::ports::PortNames>>,
}

impl Front {
    /// Whether the event (already applied to `state`) is one the capture keeps.
    fn accept(&mut self, e: &Event, state: &State) -> bool {
        if e.is_hidden() || state.cur.filtered_out {
            return false;
        }
        if !self.suppress.is_empty() {
            if let Some(t) = state.threads.get(&e.tid) {
                if self.suppress.contains(&t.comm) {
                    self.n_suppressed += 1;
                    return false;
                }
            }
        }
        // A display filter (-d) decides what is shown, after the event is counted.
        if self.display_only {
            self.count(e);
        }
        if let Some(f) = &self.filter {
            self.opts.prev_ts = state.prev_ts;
            if !f.matches(&Ctx::with_opts(e, state, &self.opts)) {
                return false;
            }
        }
        if !self.display_only {
            self.count(e);
        }
        true
    }

    fn count(&mut self, e: &Event) {
        self.n_passed += 1;
        if let Some(s) = &mut self.summary {
            s.count(e);
        }
    }

    /// Whether `-M` has run out before this event (it is not processed).
    fn expired(&self, e: &Event, state: &State) -> bool {
        match (self.duration_ns, state.first_ts) {
            (Some(d), Some(first)) => e.ts.saturating_sub(first) >= d,
            _ => false,
        }
    }

    /// Whether `-n` is reached after the event.
    fn done(&self) -> bool {
        self.numevents.is_some_and(|n| self.n_passed >= n)
    }
}

/// Sends frames from a live capture to the consumer in batches.
struct ChannelSink {
    tx: Sender<Result<Vec<Frame>, InputError>>,
    batch: Vec<Frame>,
}

impl scap_record::Sink for ChannelSink {
    fn write(&mut self, frame: &Frame) -> io::Result<()> {
        self.batch.push(frame.clone());
        if self.batch.len() >= 256 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.batch.is_empty() {
            let b = std::mem::take(&mut self.batch);
            self.tx.send(Ok(b)).map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.flush()
    }
}

/// How the input ended, for `-v`.
#[derive(Default)]
struct Totals {
    driver_events: u64,
    driver_drops: u64,
}

/// Runs the command line; returns the exit status.
pub fn run(o: &Options) -> Result<i32> {
    if o.help {
        io::stdout().write_all(crate::USAGE.as_bytes())?;
        return Ok(0);
    }
    if o.version {
        println!("sysdig version {} (scap tools)", env!("CARGO_PKG_VERSION"));
        return Ok(0);
    }
    if o.list_events {
        listing::list_events(&mut io::stdout().lock())?;
        return Ok(0);
    }
    if o.list_markdown {
        listing::list_fields_markdown(&mut io::stdout().lock())?;
        return Ok(0);
    }
    if o.list_fields {
        listing::list_fields(&mut io::stdout().lock(), o.verbose)?;
        return Ok(0);
    }
    if o.list_chisels {
        let dirs = scap_chisel::ChiselDirs::default();
        io::stdout().write_all(scap_chisel::catalogue::format_list(&dirs.list()).as_bytes())?;
        return Ok(0);
    }
    if let Some(name) = &o.chisel_info {
        let dirs = scap_chisel::ChiselDirs::default();
        let src = dirs.find(name)?;
        let info = scap_chisel::catalogue::describe(&src, &dirs)
            .ok_or_else(|| anyhow!("chisel {name} has no description, short_description or args"))?;
        io::stdout().write_all(scap_chisel::catalogue::format_info(&info).as_bytes())?;
        return Ok(0);
    }
    if o.print.as_deref().is_some_and(|p| p == "m" || p == "mesos") {
        bail!("-pm: Mesos is not supported");
    }

    // Chisels take their argument word first; the other words are the filter.
    let mut words: Vec<Option<String>> = o.words.iter().cloned().map(Some).collect();
    let mut chisel_configs = Vec::new();
    let dirs = scap_chisel::ChiselDirs::default();
    for c in &o.chisels {
        let rest: Vec<String> = match c.next_word {
            Some(i) => words[i..].iter().flatten().cloned().collect(),
            None => Vec::new(),
        };
        let config = scap_chisel::Config::with_dirs(&c.name, &rest, dirs.clone())?;
        if let (Some(i), scap_chisel::Mode::Run { filter, .. }) = (c.next_word, &config.mode) {
            let all = rest.join(" ");
            let took_word = !rest.is_empty() && filter.as_deref() != Some(all.as_str());
            if took_word {
                words[i] = None;
            }
        }
        chisel_configs.push(config);
    }
    let filter_text = words.into_iter().flatten().collect::<Vec<_>>().join(" ");
    let filter = if filter_text.trim().is_empty() {
        None
    } else {
        Some(Filter::compile(&filter_text).map_err(|e| anyhow!("filter error: {e}"))?)
    };

    let tty = io::stdout().is_terminal();
    let tz = scap_print::tz::local(std::env::var("TZ").ok().as_deref());
    let live = o.read.is_none();

    // Input.
    let progress_counter = Arc::new(AtomicU64::new(0));
    let mut total_bytes = 0u64;
    let started = Instant::now();
    let (mut feed, capture) = match &o.read {
        Some(path) => {
            let source = if path == "-" || !(o.progress || o.write.is_some()) {
                Source::open_path(path).map_err(open_error)?
            } else {
                let file = std::fs::File::open(path).map_err(|e| anyhow!("can't open file {path}: {e}"))?;
                total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
                let counted = scap_common::counting::CountingReader::new(file, Arc::clone(&progress_counter));
                Source::open_file(Box::new(counted), path).map_err(open_error)?
            };
            // Without text to print, the work per event is small next to handing the event to
            // another core (its bytes move between caches both ways): a file is then read on
            // this thread. Printing is heavy enough for the reader thread to pay off.
            let light = o.write.is_none() && (o.quiet || !o.chisels.is_empty());
            if light && !source.is_streaming() {
                (Feed::Inline { source: Box::new(source), spare: Vec::new(), error: None, ended: false }, None)
            } else {
                let (rx, recycle) = stage::spawn_recycling_reader(source);
                (Feed::Thread { rx, recycle: Some(recycle) }, None)
            }
        }
        None => {
            let cfg = live_config(o)?;
            let (tx, rx) = bounded(64);
            let handle = std::thread::spawn(move || {
                let mut sink = ChannelSink { tx: tx.clone(), batch: Vec::new() };
                let res = scap_record::live::capture(&cfg, &mut sink);
                let _ = scap_record::Sink::flush(&mut sink);
                res
            });
            (Feed::Thread { rx, recycle: None }, Some(handle))
        }
    };
    let progress = (o.progress || o.write.is_some()) && !live && total_bytes > 0;
    let mut meter = progress::Meter::new(progress, total_bytes, Arc::clone(&progress_counter));

    let mut front = Front {
        filter: None,
        opts: Opts::new(),
        n_passed: 0,
        numevents: o.numevents.filter(|&n| n > 0),
        duration_ns: if live { None } else { o.duration.map(|s| s * 1_000_000_000) },
        // As in sysdig 0.29.3, -U suppresses in live captures; reading a file it changes nothing.
        suppress: if live { o.suppress_comm.iter().map(|s| s.as_bytes().to_vec()).collect() } else { Vec::new() },
        n_suppressed: 0,
        display_only: o.display_filter,
        summary: o.summary.then(Summary::new),
        port_names: if o.resolve_ports { scap_print::port_names() } else { None },
    };
    let mut totals = Totals::default();
    // Arguments a chisel asks sysdig to run again with (`sysdig.run_app`: around, spy_logs...).
    let mut next_run: Option<String> = None;

    let buf_fmt = if o.print_ascii {
        Some(scap_common::render::BufFmt::EOLS)
    } else if o.print_hex {
        Some(scap_common::render::BufFmt::HEX)
    } else if o.print_hex_ascii {
        Some(scap_common::render::BufFmt::HEX_ASCII)
    } else if o.print_base64 {
        Some(scap_common::render::BufFmt::BASE64)
    } else {
        None
    };

    let result = if let Some(path) = &o.write {
        let native = o.stream || path.ends_with(".scz");
        let config = OutputConfig {
            path: path.clone(),
            native,
            compress: o.compress || path.ends_with(".scz"),
            max_bytes: o.file_size.map(|m| m * 1_000_000),
            max_events: o.events_per_file,
            max_ns: o.seconds_per_file.map(|s| s * 1_000_000_000),
            limit: o.limit,
            tz: Some(tz.clone()),
        };
        let mut out = Output::open(config)?;
        let filter = if o.display_filter { None } else { filter };
        let proclist = if o.filter_proclist && filter.is_some() {
            Some(crate::proclist::Proclist::new(
                Filter::compile(&filter_text).map_err(|e| anyhow!("filter error: {e}"))?,
            ))
        } else {
            None
        };
        let r = write_loop(&mut feed, &mut front, filter, proclist, &mut out, &mut totals, &mut meter);
        out.finish()?;
        r
    } else if !chisel_configs.is_empty() {
        let env = scap_chisel::Env {
            is_live: live,
            print_container: o.print.as_deref().is_some_and(|p| p == "c" || p == "container"),
            json: o.json,
            source_name: o.read.clone().filter(|r| r != "-").unwrap_or_default(),
        };
        let mut stages = Vec::new();
        for mut config in chisel_configs {
            if let scap_chisel::Mode::Run { filter, .. } = &mut config.mode {
                *filter = (!filter_text.trim().is_empty()).then(|| filter_text.clone());
            }
            config.env = env.clone();
            let out: Box<dyn Write + Send> = if o.unbuffered {
                Box::new(io::stdout())
            } else {
                Box::new(BufWriter::with_capacity(1 << 16, io::stdout()))
            };
            let chisel = config.load(out)?;
            if let Some(f) = buf_fmt {
                // A buffer format given on the command line wins over the chisel's own.
                chisel.host(|h| h.opts.buf_fmt = f)?;
            }
            if let Some(names) = &front.port_names {
                chisel.host(|h| h.state.port_names = Some(Arc::clone(names)))?;
            }
            let mut stage = scap_chisel::ChiselStage::new(chisel);
            stage.reset_terminal_at_end(tty);
            stages.push(stage);
        }
        front.filter = filter;
        let counting = front.numevents.is_some() || front.summary.is_some() || front.duration_ns.is_some();
        let r = chisel_loop(&mut feed, &mut front, counting, &mut stages, &mut totals, &mut meter);
        next_run = stages.iter().find_map(|s| s.nextrun_args());
        r
    } else {
        front.filter = filter;
        let time = match o.timetype.unwrap_or('h') {
            'a' => scap_print::TimeType::Absolute,
            'r' => scap_print::TimeType::Relative,
            'd' => scap_print::TimeType::Delta,
            'D' => scap_print::TimeType::DeltaPrevious,
            _ => scap_print::TimeType::Human,
        };
        let config = scap_print::Config {
            format: o.print.clone(),
            json: o.json,
            buf_fmt,
            verbose: o.verbose,
            time: time.into(),
            // sysdig's -s sets the capture's snaplen; reading a file it changes nothing.
            snaplen: 0,
            debug: o.debug,
            tz: Some(tz),
            tty,
            port_names: front.port_names.clone(),
        };
        let out: Box<dyn Write + Send> = if o.unbuffered || tty {
            Box::new(io::stdout())
        } else {
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout()))
        };
        let mut printer = scap_print::LinePrinter::new(config, out)?;
        let r = print_loop(&mut feed, &mut front, (!o.quiet).then_some(&mut printer), &mut totals, &mut meter);
        printer.flush()?;
        r
    };
    drop(feed);
    meter.finish();

    let mut code = 0;
    let mut input_error = None;
    match result {
        Ok(Some(e)) => input_error = Some(e),
        Ok(None) => {}
        Err(e) => {
            if e.is_broken_pipe() {
                return Ok(0);
            }
            return Err(match e {
                StageError::Failed { what, .. } => anyhow!(what),
                other => other.into(),
            });
        }
    }
    if let Some(handle) = capture {
        match handle.join() {
            Ok(Ok(outcome)) => {
                for w in &outcome.warnings {
                    eprintln!("{w}");
                }
                totals.driver_drops = totals.driver_drops.max(outcome.n_drops);
            }
            Ok(Err(e)) => {
                eprintln!("{}", scap_common::exit::one_line(e.as_ref()));
                code = 2;
            }
            Err(_) => bail!("the capture thread failed"),
        }
    }
    if let Some(s) = &front.summary {
        let mut stdout = io::stdout().lock();
        s.print(&mut stdout)?;
        stdout.flush()?;
    }
    if o.verbose {
        let secs = started.elapsed().as_secs_f64();
        let n = front.n_passed;
        eprintln!("Driver Events:{}", totals.driver_events);
        eprintln!("Driver Drops:{}", totals.driver_drops);
        eprintln!("Suppressed by Comm:{}", front.n_suppressed);
        eprintln!("Elapsed time: {secs:.3}, Captured Events: {n}, {:.2} eps", n as f64 / secs.max(1e-9));
    }
    if let Some(e) = input_error {
        eprintln!("{}", scap_common::exit::one_line(&e));
        code = 2;
    }
    if let Some(next) = next_run {
        if code == 0 {
            // As sysdig does: the words split on spaces, run as a new command line.
            let argv: Vec<String> = next.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
            return run(&crate::args::parse(&argv)?);
        }
    }
    Ok(code)
}

fn open_error(e: InputError) -> anyhow::Error {
    match e {
        InputError::Open { path, source } => anyhow!("can't open file {path}: {source}"),
        other => anyhow!(scap_common::exit::one_line(&other)),
    }
}

fn live_config(o: &Options) -> Result<scap_record::live::LiveConfig> {
    let command = match &o.run {
        Some(cmd) => vec!["/bin/sh".to_string(), "-c".to_string(), cmd.clone()],
        None => Vec::new(),
    };
    Ok(scap_record::live::LiveConfig {
        command,
        pid: o.pid,
        snaplen: o.snaplen.unwrap_or(80),
        count: None,
        seconds: o.duration,
        buffer_size: 8 << 20,
        cpus_per_buffer: 1,
        page_faults: o.page_faults,
        command_stdout_to_stderr: false,
        ..Default::default()
    })
}

/// Takes note of drops and driver counts from stats and end frames.
fn note_totals(frame: &Frame, totals: &mut Totals) {
    match frame {
        Frame::Stats(s) => {
            totals.driver_events = s.cpus.iter().map(|c| c.events).sum();
            totals.driver_drops = s.cpus.iter().map(|c| c.drops_buffer + c.drops_other).sum();
        }
        Frame::End(e) => totals.driver_drops = totals.driver_drops.max(e.n_drops),
        _ => {}
    }
}

fn print_loop(
    feed: &mut Feed,
    front: &mut Front,
    mut printer: Option<&mut scap_print::LinePrinter<Box<dyn Write + Send>>>,
    totals: &mut Totals,
    meter: &mut progress::Meter,
) -> Result<Option<InputError>, StageError> {
    let mut state = State::new();
    state.port_names = front.port_names.clone();
    while let Some(batch) = feed.next() {
        let frames = match batch {
            Ok(f) => f,
            Err(e) => return Ok(Some(e)),
        };
        meter.tick();
        // By reference: a frame is large, and moving each out of the batch is a copy.
        for frame in &frames {
            state.apply(frame);
            let Frame::Event(e) = frame else {
                note_totals(frame, totals);
                continue;
            };
            if front.expired(e, &state) {
                return Ok(None);
            }
            if !front.accept(e, &state) {
                if front.done() {
                    return Ok(None);
                }
                continue;
            }
            if let Some(p) = printer.as_deref_mut() {
                if p.should_print(e, &state) {
                    p.print_event(e, &state)?;
                }
            }
            if front.done() {
                return Ok(None);
            }
        }
        // Back to the reader, which fills the frames again in place.
        feed.give_back(frames);
    }
    Ok(None)
}

fn chisel_loop(
    feed: &mut Feed,
    front: &mut Front,
    counting: bool,
    stages: &mut [scap_chisel::ChiselStage],
    totals: &mut Totals,
    meter: &mut progress::Meter,
) -> Result<Option<InputError>, StageError> {
    let mut state = State::new();
    state.port_names = front.port_names.clone();
    let mut input_error = None;
    'outer: while let Some(batch) = feed.next() {
        let frames = match batch {
            Ok(f) => f,
            Err(e) => {
                input_error = Some(e);
                break;
            }
        };
        meter.tick();
        if let ([stage], false) = (&mut *stages, counting) {
            // One chisel and nothing counted here: the stage takes the batch whole.
            let (n, flow) = stage.on_frames_ref(&frames)?;
            for frame in &frames[..n] {
                note_totals(frame, totals);
            }
            if flow == Flow::Stop {
                break 'outer;
            }
            feed.give_back(frames);
            continue;
        }
        for frame in &frames {
            note_totals(frame, totals);
            let mut stop = false;
            if counting {
                state.apply(frame);
                if let Frame::Event(e) = frame {
                    if front.expired(e, &state) {
                        break 'outer;
                    }
                    front.accept(e, &state);
                    if front.done() {
                        stop = true;
                    }
                }
            }
            for s in stages.iter_mut() {
                if s.on_frame_ref(frame)? == Flow::Stop {
                    stop = true;
                }
            }
            if stop {
                break 'outer;
            }
        }
        // Back to the reader, which fills the frames again in place.
        feed.give_back(frames);
    }
    for s in stages.iter_mut() {
        s.finish(&mut stage::Discard)?;
    }
    Ok(input_error)
}

/// One frame into the `-w` output, through the filter stage when there is one.
fn pass(
    fstage: &mut Option<scap_filter::FilterStage>,
    emit: &mut OutputEmit<'_>,
    frame: Frame,
) -> Result<(), StageError> {
    match fstage {
        Some(s) => {
            s.on_frame(frame, emit)?;
        }
        None => emit.emit(frame)?,
    }
    Ok(())
}

fn write_loop(
    feed: &mut Feed,
    front: &mut Front,
    filter: Option<Filter>,
    mut proclist: Option<crate::proclist::Proclist>,
    out: &mut Output,
    totals: &mut Totals,
    meter: &mut progress::Meter,
) -> Result<Option<InputError>, StageError> {
    let mut fstage = filter.map(|f| scap_filter::FilterStage::new(scap_filter::Config { filter: f }));
    let n_visible = std::cell::Cell::new(0u64);
    let summary = std::cell::RefCell::new(front.summary.take());
    let limit = front.numevents;
    let mut input_error = None;
    {
        let mut on_visible = |e: &Event| {
            n_visible.set(n_visible.get() + 1);
            if let Some(s) = summary.borrow_mut().as_mut() {
                s.count(e);
            }
        };
        let mut emit = OutputEmit { out, on_visible: &mut on_visible };
        'outer: while let Some(batch) = feed.next() {
            let frames = match batch {
                Ok(f) => f,
                Err(e) => {
                    input_error = Some(e);
                    break;
                }
            };
            meter.tick();
            for frame in frames {
                note_totals(&frame, totals);
                match &mut proclist {
                    Some(p) if !p.released() => {
                        for frame in p.take(frame) {
                            pass(&mut fstage, &mut emit, frame)?;
                        }
                    }
                    _ => pass(&mut fstage, &mut emit, frame)?,
                }
                if emit.out.done || limit.is_some_and(|n| n_visible.get() >= n) {
                    break 'outer;
                }
            }
        }
        // A capture without events: its records are still written, filtered.
        for frame in proclist.as_mut().map(|p| p.release()).unwrap_or_default() {
            pass(&mut fstage, &mut emit, frame)?;
        }
    }
    front.n_passed = n_visible.get();
    front.summary = summary.into_inner();
    Ok(input_error)
}
