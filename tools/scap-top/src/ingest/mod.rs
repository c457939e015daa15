//! The ingest thread: reads the input, keeps the state, runs the current view and sends owned
//! results to the UI.
//!
//! It never waits on the UI: results go out on an unbounded channel (there is one per refresh
//! interval at most, and the UI keeps only the latest), and commands are picked up between
//! batches of frames.
//!
//! Two ways of reading, as csysdig has:
//! - a regular file is read to its end and summarized in one sample whose rates are per second
//!   of the whole capture; switching views reads it again from the start;
//! - a pipe or stdin is live: a sample is cut each time event time crosses a refresh boundary
//!   (or the wall clock does, when events stop coming), and switching views starts a new table
//!   while the state carries on.

pub mod runner;
pub mod spy;
pub mod threads;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};

use scap_common::counting::CountingReader;
use scap_common::event::Event;
use scap_common::input::{InputError, Source};
use scap_common::render::BufFmt;
use scap_common::stage::spawn_reader;
use scap_common::state::State;
use scap_common::wire::Frame;

use crate::feed::{Command, Sample, SpyLine, Update, Work};
use runner::{Compiled, Runner};
use spy::Spy;
use threads::ThreadOrder;

/// How the ingest thread reads and samples.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The input: a path, or `-` for stdin.
    pub input: String,
    /// The refresh interval of live input, in ns.
    pub refresh_ns: u64,
    /// Stop after this many events.
    pub max_events: Option<u64>,
    /// Show container columns in dig lines (`-pc`).
    pub containers: bool,
    /// How echo and dig show data buffers (csysdig's `-A`, `-X`).
    pub buf_fmt: BufFmt,
    /// Echo and dig lines as csysdig's `-j` values, cut into slices (`Update::Slice`).
    pub json: bool,
    /// Port numbers shown as service names (`-R`, from /etc/services).
    pub resolve_ports: bool,
}

/// A new state engine with the settings' port names.
fn new_state(settings: &Settings) -> State {
    let mut state = State::new();
    if settings.resolve_ports {
        state.port_names = scap_print::port_names();
    }
    state
}

/// csysdig's JSON spy output closes a slice once the event number has moved on by more than
/// this since the last one.
const JSON_SLICE_EVENTS: u64 = 2000;
/// csysdig's JSON table output of a file writes a progress-only slice once the event number
/// has moved on by more than this since the last one.
const JSON_PROGRESS_EVENTS: u64 = 300_000;

/// Lists refresh faster than tables, as in csysdig.
const LIST_REFRESH_NS: u64 = 200_000_000;
/// How often a file pass reports progress, in events.
const PROGRESS_EVERY: u64 = 100_000;

enum Mode {
    Table(Runner),
    Spy(Spy),
}

/// The work being done and its bookkeeping.
struct Pass {
    generation: u64,
    mode: Mode,
    first_ts: Option<u64>,
    last_ts: u64,
    n_events: u64,
    next_flush: u64,
    refresh_ns: u64,
    lines: Vec<SpyLine>,
    /// `-j` echo/dig: the event number that closed the last slice, the updates waiting to go
    /// (lines and slice ends, in order) and how much of the file has been read.
    json_slices: Option<JsonSlices>,
}

struct JsonSlices {
    /// `JSON_SLICE_EVENTS` (echo, dig) or `JSON_PROGRESS_EVENTS` (tables).
    every: u64,
    last_num: u64,
    pending: Vec<Update>,
    progress: ReadProgress,
    /// The last event seen: at the end of the input csysdig hands it to the renderer once
    /// more, so it appears twice when it matches.
    last_event: Option<Event>,
}

/// How far a regular file has been read (bytes from the reader thread, ahead of the events
/// being processed by at most a few batches).
#[derive(Clone, Default)]
struct ReadProgress {
    read: Option<Arc<AtomicU64>>,
    total: u64,
}

impl ReadProgress {
    fn percent(&self) -> f64 {
        match &self.read {
            Some(r) if self.total > 0 => (r.load(Ordering::Relaxed) as f64 * 100.0 / self.total as f64).min(100.0),
            _ => 100.0,
        }
    }
}

/// Opens the input; a regular file is read through a byte counter, for `-j` slices' progress.
/// Anything else (stdin, a FIFO, a pipe) is opened once, as it is: opening a FIFO to look at it
/// would let its writer in before the real reader.
fn open_input(settings: &Settings) -> Result<(Source, ReadProgress), InputError> {
    let regular = settings.input != "-" && std::fs::metadata(&settings.input).is_ok_and(|m| m.is_file());
    if regular {
        if let Ok(file) = std::fs::File::open(&settings.input) {
            let total = file.metadata().map_or(0, |m| m.len());
            let read = Arc::new(AtomicU64::new(0));
            let counted = CountingReader::new(file, Arc::clone(&read));
            let source = Source::open_file(Box::new(counted), &settings.input)?;
            return Ok((source, ReadProgress { read: Some(read), total }));
        }
    }
    Ok((Source::open_path(&settings.input)?, ReadProgress::default()))
}

impl Pass {
    fn start(generation: u64, work: &Work, settings: &Settings, progress: ReadProgress) -> Result<Pass, String> {
        let (mode, refresh_ns) = match work {
            Work::Table { view, depth, filter, spectro_width } => {
                let compiled = Compiled::new(view, *depth, filter, *spectro_width)?;
                let refresh = if compiled.spec.kind == crate::table::TableKind::List {
                    LIST_REFRESH_NS
                } else {
                    settings.refresh_ns
                };
                (Mode::Table(Runner::new(compiled)), refresh)
            }
            Work::Spy { kind, filter } => {
                let spy = Spy::new(*kind, filter, settings.containers, settings.buf_fmt, settings.json)?;
                (Mode::Spy(spy), settings.refresh_ns)
            }
        };
        let every = match work {
            Work::Spy { .. } => Some(JSON_SLICE_EVENTS),
            Work::Table { .. } if progress.read.is_some() => Some(JSON_PROGRESS_EVENTS),
            Work::Table { .. } => None,
        };
        let json_slices = every.filter(|_| settings.json).map(|every| JsonSlices {
            every,
            last_num: 0,
            pending: Vec::new(),
            progress,
            last_event: None,
        });
        Ok(Pass {
            generation,
            mode,
            first_ts: None,
            last_ts: 0,
            n_events: 0,
            next_flush: 0,
            refresh_ns: refresh_ns.max(1),
            lines: Vec::new(),
            json_slices,
        })
    }

    /// Feeds an event; returns a sample when the event crossed a refresh boundary (live only).
    fn on_event(&mut self, state: &mut State, threads: &ThreadOrder, e: &Event, live: bool) -> Option<Sample> {
        self.n_events += 1;
        self.first_ts.get_or_insert(e.ts);
        self.last_ts = e.ts;
        let mut out = None;
        if live && e.ts > self.next_flush {
            out = self.flush(state, threads, e.ts, false);
        }
        if e.is_hidden() {
            return out;
        }
        match &mut self.mode {
            Mode::Table(r) => r.on_event(state, e),
            Mode::Spy(s) => {
                if let Some(l) = s.on_event(state, e) {
                    self.lines.push(l);
                }
                if let Some(j) = &mut self.json_slices {
                    j.last_event.get_or_insert_with(Event::default).copy_from(e);
                }
            }
        }
        if let Some(j) = &mut self.json_slices {
            if e.num.wrapping_sub(j.last_num) > j.every {
                j.last_num = e.num;
                if !self.lines.is_empty() {
                    j.pending
                        .push(Update::Lines { generation: self.generation, lines: std::mem::take(&mut self.lines) });
                }
                j.pending.push(Update::Slice { generation: self.generation, progress: j.progress.percent() });
            }
        }
        out
    }

    /// Cuts a sample at event time `ts`. The first call of a live pass only sets the next
    /// boundary, as csysdig's does.
    fn flush(&mut self, state: &mut State, threads: &ThreadOrder, ts: u64, eof: bool) -> Option<Sample> {
        let first = self.next_flush == 0;
        self.next_flush = ts - ts % self.refresh_ns + self.refresh_ns;
        let Mode::Table(r) = &mut self.mode else { return None };
        if first && !eof {
            return None;
        }
        if ts != 0 {
            let tids = threads.tids(state);
            r.add_thread_table(state, ts, &tids);
        }
        let time_delta_ns = if eof { self.last_ts - self.first_ts.unwrap_or(self.last_ts) } else { self.refresh_ns };
        Some(Sample {
            generation: self.generation,
            spec: r.spec().clone(),
            rows: r.sample(),
            time_delta_ns,
            eof,
            notice: r.notice(),
        })
    }

    fn take_lines(&mut self) -> Option<Update> {
        if self.lines.is_empty() {
            return None;
        }
        Some(Update::Lines { generation: self.generation, lines: std::mem::take(&mut self.lines) })
    }

    /// What is ready to go to the UI: slices closed so far (`-j` echo/dig), then new lines.
    fn take_updates(&mut self) -> Vec<Update> {
        let mut out = self.json_slices.as_mut().map(|j| std::mem::take(&mut j.pending)).unwrap_or_default();
        out.extend(self.take_lines());
        out
    }

    /// The updates that end a pass at the end of the input.
    fn finish(&mut self, state: &mut State, threads: &ThreadOrder) -> Vec<Update> {
        let mut out = Vec::new();
        match self.mode {
            Mode::Table(_) => {
                out.extend(self.take_updates());
                let ts = state.last_ts;
                if let Some(s) = self.flush(state, threads, ts, true) {
                    out.push(Update::Sample(s));
                }
            }
            Mode::Spy(ref mut spy) => {
                if let Some(e) = self.json_slices.as_mut().and_then(|j| j.last_event.take()) {
                    self.lines.extend(spy.on_event(state, &e));
                }
                out.extend(self.take_updates());
                out.push(Update::End { generation: self.generation });
            }
        }
        out
    }

    fn limit_reached(&self, settings: &Settings) -> bool {
        settings.max_events.is_some_and(|n| self.n_events >= n)
    }
}

/// Checks that a filter compiles, for the UI to refuse a bad one before using it.
pub fn check_filter(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    scap_filter::Filter::compile(text).map(|_| ()).map_err(|e| e.to_string())
}

/// Whether an event counts at all: events the state engine marks filtered out are dropped before
/// any view sees them, as libsinsp drops them.
fn counts(state: &State, frame: &Frame) -> bool {
    matches!(frame, Frame::Event(_)) && !state.cur.filtered_out
}

/// Runs the ingest loop until the command channel closes.
pub fn run(settings: Settings, commands: Receiver<Command>, updates: Sender<Update>) {
    let (source, progress) = match open_input(&settings) {
        Ok(s) => s,
        Err(e) => {
            let _ = updates.send(Update::Error { generation: 0, message: scap_common::exit::one_line(&e) });
            return;
        }
    };
    if source.is_streaming() {
        run_live(source, &settings, &commands, &updates);
    } else {
        run_file(Some((source, progress)), &settings, &commands, &updates);
    }
}

/// What ended a file pass.
enum PassEnd {
    /// The input was read to its end (or to `-n`).
    Done,
    /// A new command arrived first.
    Replaced(Box<Command>),
    /// The UI is gone.
    Closed,
}

fn run_file(
    first: Option<(Source, ReadProgress)>,
    settings: &Settings,
    commands: &Receiver<Command>,
    updates: &Sender<Update>,
) {
    let mut opened = first;
    let mut next: Option<Command> = None;
    loop {
        let cmd = match next.take() {
            Some(c) => c,
            None => match commands.recv() {
                Ok(c) => c,
                Err(_) => return,
            },
        };
        let Command::Start { generation, work } = cmd;
        let (source, progress) = match opened.take() {
            Some(s) => s,
            None => match open_input(settings) {
                Ok(s) => s,
                Err(e) => {
                    let _ = updates.send(Update::Error { generation, message: scap_common::exit::one_line(&e) });
                    continue;
                }
            },
        };
        match file_pass(source, progress, generation, &work, settings, commands, updates) {
            PassEnd::Done => {}
            PassEnd::Replaced(c) => next = Some(*c),
            PassEnd::Closed => return,
        }
    }
}

fn file_pass(
    source: Source,
    progress: ReadProgress,
    generation: u64,
    work: &Work,
    settings: &Settings,
    commands: &Receiver<Command>,
    updates: &Sender<Update>,
) -> PassEnd {
    let mut pass = match Pass::start(generation, work, settings, progress) {
        Ok(p) => p,
        Err(message) => {
            return if updates.send(Update::Error { generation, message }).is_err() {
                PassEnd::Closed
            } else {
                PassEnd::Done
            };
        }
    };
    let batches = spawn_reader(source);
    let mut state = new_state(settings);
    let mut threads = ThreadOrder::new();
    let mut input_error = None;
    let mut last_progress = 0;
    'read: for batch in batches.iter() {
        // A new request replaces this pass; without a UI any more, the pass runs to its end.
        if let Ok(c) = commands.try_recv() {
            return PassEnd::Replaced(Box::new(c));
        }
        let frames = match batch {
            Ok(f) => f,
            Err(e) => {
                input_error = Some(scap_common::exit::one_line(&e));
                break;
            }
        };
        for frame in frames {
            state.apply(&frame);
            threads.observe(&state, &frame);
            if !counts(&state, &frame) {
                continue;
            }
            if let Frame::Event(e) = &frame {
                pass.on_event(&mut state, &threads, e, false);
            }
            if pass.limit_reached(settings) {
                break 'read;
            }
        }
        for u in pass.take_updates() {
            if updates.send(u).is_err() {
                return PassEnd::Closed;
            }
        }
        if pass.n_events - last_progress >= PROGRESS_EVERY {
            last_progress = pass.n_events;
            if updates.send(Update::Progress { generation, n_events: pass.n_events }).is_err() {
                return PassEnd::Closed;
            }
        }
    }
    for u in pass.finish(&mut state, &threads) {
        if updates.send(u).is_err() {
            return PassEnd::Closed;
        }
    }
    if let Some(message) = input_error {
        if updates.send(Update::Error { generation, message }).is_err() {
            return PassEnd::Closed;
        }
    }
    PassEnd::Done
}

fn run_live(source: Source, settings: &Settings, commands: &Receiver<Command>, updates: &Sender<Update>) {
    let batches = spawn_reader(source);
    let mut state = new_state(settings);
    let mut threads = ThreadOrder::new();
    let mut pass: Option<Pass> = None;
    // The newest event time and when it arrived, to tell event time when no events come.
    let mut clock: Option<(u64, Instant)> = None;
    let mut ended = false;
    // Once the UI stops sending commands, the current work runs to the end of the input.
    let mut ui_gone = false;
    let tick = Duration::from_millis(50);
    loop {
        let mut out: Vec<Update> = Vec::new();
        if ended {
            // The input is over: answer each new request from the final state.
            if ui_gone {
                return;
            }
            let Ok(Command::Start { generation, work }) = commands.recv() else { return };
            match Pass::start(generation, &work, settings, ReadProgress::default()) {
                Ok(mut p) => out.extend(p.finish(&mut state, &threads)),
                Err(message) => out.push(Update::Error { generation, message }),
            }
        } else {
            let cmds = if ui_gone { crossbeam_channel::never() } else { commands.clone() };
            select! {
                recv(cmds) -> cmd => match cmd {
                    Ok(Command::Start { generation, work }) => match Pass::start(generation, &work, settings, ReadProgress::default()) {
                        Ok(p) => pass = Some(p),
                        Err(message) => {
                            pass = None;
                            out.push(Update::Error { generation, message });
                        }
                    },
                    Err(_) => {
                        ui_gone = true;
                        if pass.is_none() {
                            return;
                        }
                    }
                },
                recv(batches) -> batch => {
                    match batch {
                        Ok(Ok(frames)) => {
                            for frame in frames {
                                state.apply(&frame);
                                threads.observe(&state, &frame);
                                if !counts(&state, &frame) {
                                    continue;
                                }
                                let Frame::Event(e) = &frame else { continue };
                                clock = Some((e.ts, Instant::now()));
                                if let Some(p) = pass.as_mut() {
                                    if let Some(s) = p.on_event(&mut state, &threads, e, true) {
                                        out.push(Update::Sample(s));
                                    }
                                    if p.limit_reached(settings) {
                                        ended = true;
                                        break;
                                    }
                                }
                            }
                            if let Some(p) = pass.as_mut() {
                                out.extend(p.take_updates());
                            }
                        }
                        Ok(Err(e)) => {
                            ended = true;
                            out.push(Update::Error {
                                generation: pass.as_ref().map_or(0, |p| p.generation),
                                message: scap_common::exit::one_line(&e),
                            });
                        }
                        Err(_) => ended = true,
                    }
                    if ended {
                        if let Some(p) = pass.as_mut() {
                            // The last sample goes before any input error.
                            let last = p.finish(&mut state, &threads);
                            let at = out.iter().position(|u| matches!(u, Update::Error { .. })).unwrap_or(out.len());
                            out.splice(at..at, last);
                        }
                    }
                },
                default(tick) => {
                    // No events for a while: cut the sample when event time, as told by the
                    // wall clock since the last event, passes the boundary.
                    if let (Some(p), Some((ts, at))) = (pass.as_mut(), clock) {
                        let now_ts = ts + at.elapsed().as_nanos() as u64;
                        if p.next_flush != 0 && now_ts > p.next_flush {
                            out.extend(p.flush(&mut state, &threads, now_ts, false).map(Update::Sample));
                        }
                    }
                },
            }
        }
        for u in out {
            if updates.send(u).is_err() {
                return;
            }
        }
    }
}
