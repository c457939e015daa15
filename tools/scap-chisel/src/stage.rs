//! `ChiselStage`: the sink stage that feeds a stream to a chisel.
//!
//! For each frame: the state is updated; `on_capture_start` runs once the header (or the first
//! event) has been seen; an event that is hidden or fails the capture-wide filter only advances
//! the interval clock, as an event sysdig's filter dropped does; any other event goes through
//! the interval clock, the chisel's own filter, `on_event`, and the event formatter. After the
//! last frame `on_capture_end` gets the time of the last event and the capture's length.

use mlua::Value as LuaValue;
use scap_common::stage::{Emit, Flow, Stage, StageError};
use scap_common::wire::Frame;

use crate::chisel::Chisel;
use crate::ChiselError;

/// Runs one chisel over a stream.
pub struct ChiselStage {
    chisel: Chisel,
    /// `on_event`, looked up once (sysdig also decides at load whether a chisel has one).
    on_event: Option<mlua::Function>,
    /// Makes drivers (`host::EVENT_DRIVER`).
    make_driver: Option<mlua::Function>,
    /// Runs `on_event` with the values of the first N requested fields.
    driver: Option<(usize, mlua::Function)>,
    started: bool,
    clock: Clock,
    ended: bool,
    /// The formatter's line, reused across events.
    line: Vec<u8>,
    /// Write sysdig's terminal colour reset before `on_capture_end` (`reset_terminal_at_end`).
    reset_terminal: bool,
}

/// sysdig's interval clock (`do_timeout`).
#[derive(Default)]
struct Clock {
    first_event_seen: bool,
    last_sample: u64,
    last_interval_ts: u64,
}

/// What one borrow of the host decides about an event before any Lua runs.
struct Verdict {
    /// The event goes to `on_event` (it is visible, and passes both filters).
    deliver: bool,
    interval_ns: u64,
    precise_interval_ns: u64,
}

fn failed(e: ChiselError) -> StageError {
    StageError::Failed { stage: "scap-chisel", what: e.to_string() }
}

impl ChiselStage {
    /// A stage for a chisel that is loaded, has its arguments and was initialized.
    pub fn new(chisel: Chisel) -> ChiselStage {
        let on_event = if chisel.has_on_event { chisel.callback("on_event") } else { None };
        let make_driver = chisel.lua.named_registry_value::<mlua::Function>(crate::host::EVENT_DRIVER).ok();
        ChiselStage {
            chisel,
            on_event,
            make_driver,
            driver: None,
            started: false,
            clock: Clock::default(),
            ended: false,
            reset_terminal: false,
            line: Vec::new(),
        }
    }

    /// When stdout is a terminal, sysdig writes a colour reset (`ESC[00m`) at the end of the
    /// capture, before the chisels' `on_capture_end`; a program that prints to a terminal sets
    /// this to do the same. With several chisels, only the first should have it.
    pub fn reset_terminal_at_end(&mut self, on: bool) {
        self.reset_terminal = on;
    }

    /// Arguments the chisel left for another run (`sysdig.run_app`).
    pub fn nextrun_args(&self) -> Option<String> {
        self.chisel.host(|h| h.nextrun.clone()).ok().flatten()
    }

    fn start(&mut self) -> Result<(), StageError> {
        if !self.started {
            self.started = true;
            self.chisel.call_start().map_err(failed)?;
        }
        Ok(())
    }

    /// sysdig's `do_timeout`: calls `on_interval` when the event's time crosses an interval.
    fn timeout(&mut self, ts: u64, interval: u64, precise: u64) -> Result<(), StageError> {
        let clock = &mut self.clock;
        if !clock.first_event_seen {
            clock.first_event_seen = true;
            if interval != 0 {
                clock.last_sample = ts - ts % interval;
            } else if precise != 0 {
                clock.last_sample = ts;
            }
            return Ok(());
        }
        if interval != 0 {
            let sample = ts - ts % interval;
            if sample != clock.last_sample {
                let mut delta = 0i64;
                if clock.last_interval_ts != 0 {
                    delta = ts.wrapping_sub(clock.last_interval_ts) as i64;
                    if delta == 0 {
                        return Ok(());
                    }
                }
                if !self.chisel.call_timed("on_interval", ts, delta).map_err(failed)? {
                    return Err(failed(self.terminated()));
                }
                self.clock.last_sample = sample;
                self.clock.last_interval_ts = ts;
            }
        } else if precise != 0 && ts.wrapping_sub(clock.last_sample) >= precise && ts >= precise {
            let mut t = clock.last_sample;
            while t <= ts - precise {
                if !self.chisel.call_timed("on_interval", t, precise as i64).map_err(failed)? {
                    return Err(failed(self.terminated()));
                }
                t += precise;
            }
            self.clock.last_sample = t;
        }
        Ok(())
    }

    fn terminated(&self) -> ChiselError {
        ChiselError::Chisel {
            chisel: self.chisel.source.name.clone(),
            what: "execution terminated by the chisel".into(),
        }
    }

    /// Calls `on_event`; then, in one borrow, checks for the end of the capture, runs the
    /// formatter and collects a write error. Returns whether the chisel ended the capture.
    fn deliver(&mut self) -> Result<bool, StageError> {
        let mut wants_format = true;
        if let Some(f) = &self.on_event {
            let res = match &self.make_driver {
                Some(make) => {
                    let lua = &self.chisel.lua;
                    let mut args = mlua::MultiValue::new();
                    args.push_back(LuaValue::Function(f.clone()));
                    let values = self
                        .chisel
                        .host(|h| -> mlua::Result<()> {
                            let Some(e) = &h.event else { return Ok(()) };
                            let ctx = scap_common::fields::Ctx { event: e, state: &h.state, opts: &h.opts };
                            for field in &mut h.fields {
                                // Stateful fields are read when the chisel asks (FAST_FIELDS).
                                args.push_back(match field {
                                    crate::host::Requested::Field(f) => {
                                        crate::host::field_to_lua(lua, f, &ctx, &mut h.scratch)?
                                    }
                                    _ => LuaValue::Nil,
                                });
                            }
                            Ok(())
                        })
                        .map_err(failed)?;
                    values.map_err(|e| failed(self.chisel.fail("on_event", &e)))?;
                    // A driver for as many fields as the chisel has requested so far.
                    let n = args.len() - 1;
                    let driver = match &self.driver {
                        Some((m, d)) if *m == n => d,
                        _ => {
                            let d =
                                make.call::<mlua::Function>(n).map_err(|e| failed(self.chisel.fail("on_event", &e)))?;
                            &self.driver.insert((n, d)).1
                        }
                    };
                    driver.call::<LuaValue>(args)
                }
                None => f.call::<LuaValue>(()),
            }
            .map_err(|e| failed(self.chisel.fail("on_event", &e)))?;
            wants_format = !matches!(res, LuaValue::Nil | LuaValue::Boolean(false));
        }
        let mut line = std::mem::take(&mut self.line);
        let (ended, write_error) = self
            .chisel
            .host(|h| {
                if h.end_capture {
                    return (true, h.write_error.take());
                }
                if wants_format {
                    line.clear();
                    let mut scratch = std::mem::take(&mut h.scratch);
                    let printed = match (&h.formatter, &h.event) {
                        // With -j, sysdig's formatter writes a JSON object per event.
                        (Some(fmt), Some(e)) if h.env.json => {
                            fmt.write_json(&h.ctx(e), &mut line, &mut scratch).unwrap_or(false)
                        }
                        (Some(fmt), Some(e)) => fmt.write_line(&h.ctx(e), &mut line, &mut scratch).unwrap_or(false),
                        _ => false,
                    };
                    h.scratch = scratch;
                    if printed {
                        line.push(b'\n');
                        h.write(&line);
                    }
                }
                (false, h.write_error.take())
            })
            .map_err(failed)?;
        self.line = line;
        match write_error {
            Some(e) => Err(StageError::Io(e)),
            None => Ok(ended),
        }
    }
}

impl ChiselStage {
    /// One event: state, filters and interval settings in one borrow, then Lua.
    /// `applied`: the state has the event already; `decided`: and the filters said this (they
    /// run once per event: some keep state of their own).
    fn on_event_frame(
        &mut self,
        event: &scap_common::event::Event,
        applied: bool,
        decided: Option<bool>,
    ) -> Result<Flow, StageError> {
        let ts = event.ts;
        let verdict = self
            .chisel
            .host(|h| {
                if !applied {
                    h.state.on_event(event);
                }
                let ctx = h.ctx(event);
                let deliver = decided.unwrap_or_else(|| {
                    !event.is_hidden()
                        && h.global_filter.as_ref().is_none_or(|f| f.matches(&ctx))
                        && h.filter.as_ref().is_none_or(|f| f.matches(&ctx))
                });
                let v = Verdict { deliver, interval_ns: h.interval_ns, precise_interval_ns: h.precise_interval_ns };
                // A copy into the event kept from before: its parameter buffer is reused.
                match &mut h.event {
                    Some(kept) => kept.copy_from(event),
                    None => h.event = Some(event.clone()),
                }
                v
            })
            .map_err(failed)?;
        self.timeout(ts, verdict.interval_ns, verdict.precise_interval_ns)?;
        if verdict.deliver && self.deliver()? {
            self.ended = true;
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }
}

impl ChiselStage {
    /// `Stage::on_frame` on a borrowed frame, for callers that reuse their frames.
    pub fn on_frame_ref(&mut self, frame: &Frame) -> Result<Flow, StageError> {
        if self.ended {
            return Ok(Flow::Stop);
        }
        if !self.started && matches!(frame, Frame::Header(_) | Frame::Event(_)) {
            // The header must be in the state before on_capture_start (get_machine_info).
            self.chisel.host(|h| h.state.apply(frame)).map_err(failed)?;
            self.start()?;
            if let Frame::Event(e) = frame {
                return self.on_event_frame(e, true, None);
            }
            return Ok(Flow::Continue);
        }
        match frame {
            Frame::Event(e) => self.on_event_frame(e, false, None),
            other => {
                self.chisel
                    .host(|h| {
                        if let Frame::Thread(t) = other {
                            // A thread described anew (the snapshot of a trace's next section) is a
                            // new thread object for sysdig, with fresh per-field state.
                            h.forget_thread(t.tid);
                        }
                        h.state.apply(other)
                    })
                    .map_err(failed)?;
                Ok(Flow::Continue)
            }
        }
    }
}

impl Clock {
    /// Whether `ChiselStage::timeout` would do nothing at all for an event at `ts`.
    fn quiet(&self, ts: u64, interval: u64, precise: u64) -> bool {
        if !self.first_event_seen {
            return false;
        }
        if interval != 0 {
            ts - ts % interval == self.last_sample
        } else if precise != 0 {
            !(ts.wrapping_sub(self.last_sample) >= precise && ts >= precise)
        } else {
            true
        }
    }
}

impl ChiselStage {
    /// Feeds a batch of frames; returns how many were consumed (all of them unless the chisel
    /// ended the capture) and the flow after the last.
    ///
    /// The same as `on_frame_ref` on each frame, but events that run no Lua (not delivered,
    /// no interval crossed) are handled in runs under one borrow of the host.
    pub fn on_frames_ref(&mut self, frames: &[Frame]) -> Result<(usize, Flow), StageError> {
        let mut i = 0;
        while i < frames.len() {
            if self.started && !self.ended {
                let clock = &self.clock;
                let run = self
                    .chisel
                    .host(|h| {
                        let mut n = 0;
                        let mut last = None;
                        for f in &frames[i..] {
                            let Frame::Event(e) = f else { break };
                            if !clock.quiet(e.ts, h.interval_ns, h.precise_interval_ns) {
                                break;
                            }
                            // Whether the event would be delivered is known only once it is
                            // applied: a delivered event is left for `on_event_frame`, applied.
                            h.state.on_event(e);
                            let ctx = h.ctx(e);
                            let deliver = !e.is_hidden()
                                && h.global_filter.as_ref().is_none_or(|f| f.matches(&ctx))
                                && h.filter.as_ref().is_none_or(|f| f.matches(&ctx));
                            if deliver {
                                return (n, last, true);
                            }
                            last = Some(e);
                            n += 1;
                        }
                        (n, last, false)
                    })
                    .map_err(failed)?;
                let (n, last, applied_next) = run;
                if let Some(e) = last {
                    // Lua sees the latest event, as after `on_event_frame`.
                    self.chisel
                        .host(|h| match &mut h.event {
                            Some(kept) => kept.copy_from(e),
                            None => h.event = Some(e.clone()),
                        })
                        .map_err(failed)?;
                }
                i += n;
                if applied_next {
                    let Frame::Event(e) = &frames[i] else {
                        return Err(failed(ChiselError::Chisel {
                            chisel: self.chisel.source.name.clone(),
                            what: "internal error: event expected".into(),
                        }));
                    };
                    i += 1;
                    if self.on_event_frame(e, true, Some(true))? == Flow::Stop {
                        return Ok((i, Flow::Stop));
                    }
                    continue;
                }
                if n > 0 {
                    continue;
                }
            }
            let flow = self.on_frame_ref(&frames[i])?;
            i += 1;
            if flow == Flow::Stop {
                return Ok((i, Flow::Stop));
            }
        }
        Ok((i, Flow::Continue))
    }
}

impl Stage for ChiselStage {
    fn on_frame(&mut self, frame: Frame, _out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.on_frame_ref(&frame)
    }

    fn on_borrowed_frame(&mut self, frame: &Frame, _out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.on_frame_ref(frame)
    }

    fn on_batch(&mut self, frames: &[Frame], _out: &mut dyn Emit) -> Result<(usize, Flow), StageError> {
        self.on_frames_ref(frames)
    }

    fn finish(&mut self, _out: &mut dyn Emit) -> Result<(), StageError> {
        self.start()?;
        let reset = self.reset_terminal;
        let (first, last) = self
            .chisel
            .host(|h| {
                if reset {
                    h.write(b"\x1b[00m");
                }
                (h.state.first_ts.unwrap_or(0), h.state.last_ts)
            })
            .map_err(failed)?;
        self.chisel.call_timed("on_capture_end", last, last.wrapping_sub(first) as i64).map_err(failed)?;
        let error = self
            .chisel
            .host(|h| {
                if let Err(e) = h.out.flush() {
                    h.write_error.get_or_insert(e);
                }
                h.write_error.take()
            })
            .map_err(failed)?;
        match error {
            Some(e) => Err(StageError::Io(e)),
            None => Ok(()),
        }
    }
}
