//! `Stage`: the one interface every processing step implements, and the runners that feed it.
//!
//! A stage receives frames one at a time and emits frames downstream through an `Emit`. It never
//! knows whether it is connected to a pipe, a channel or a test. Sources (scap-record) produce
//! frames; sinks (scap-print, scap-chisel, scap-top) consume them and emit nothing.
//!
//! `run` drives a stage from a `Source`, reading and decoding on a separate thread so that
//! decompression and parsing overlap with the stage's work.

use std::io::{self, Write};
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::event::EventRef;
use crate::input::{InputError, Source};
use crate::wire::{Frame, FrameWriter};

/// What a stage wants after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Keep sending frames.
    Continue,
    /// Stop: the stage has what it needs (`-n` reached, `head` closed the pipe, ...).
    Stop,
}

/// Why a stage failed.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// Writing output failed (a broken pipe is one case: see `StageError::is_broken_pipe`).
    #[error("writing output")]
    Io(#[from] io::Error),
    /// The input could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The stage itself failed, for a reason it explains.
    #[error("{stage}: {what}")]
    Failed {
        /// Which stage.
        stage: &'static str,
        /// What went wrong.
        what: String,
    },
}

impl StageError {
    /// Whether the error is a closed downstream pipe, which ends a stage quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, StageError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Where a stage sends its output frames.
pub trait Emit {
    /// Sends one frame downstream.
    fn emit(&mut self, frame: Frame) -> Result<(), StageError>;

    /// Sends a borrowed frame downstream. Sinks that only encode it (`FrameWriter`) or drop
    /// it override this; the default sends a copy.
    fn emit_ref(&mut self, frame: &Frame) -> Result<(), StageError> {
        self.emit(frame.clone())
    }

    /// Sends an event from borrowed parameters downstream (a stage that changes a flag need
    /// not copy the event); the default sends an owned copy.
    fn emit_event(&mut self, e: &EventRef<'_>) -> Result<(), StageError> {
        self.emit(Frame::Event(e.to_event()))
    }
}

/// A processing step.
pub trait Stage: Send {
    /// Handles one frame, emitting whatever should go downstream.
    fn on_frame(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<Flow, StageError>;

    /// Handles one borrowed frame: what `run` calls, so that the reader can fill the frame
    /// again in place. Stages that only read their frames override this; the default hands
    /// `on_frame` a copy.
    fn on_borrowed_frame(&mut self, frame: &Frame, out: &mut dyn Emit) -> Result<Flow, StageError> {
        self.on_frame(frame.clone(), out)
    }

    /// Handles a batch of borrowed frames; returns how many were consumed (all of them unless
    /// the stage asked to stop) and the flow after the last. The default calls
    /// `on_borrowed_frame` on each.
    fn on_batch(&mut self, frames: &[Frame], out: &mut dyn Emit) -> Result<(usize, Flow), StageError> {
        for (i, frame) in frames.iter().enumerate() {
            if self.on_borrowed_frame(frame, out)? == Flow::Stop {
                return Ok((i + 1, Flow::Stop));
            }
        }
        Ok((frames.len(), Flow::Continue))
    }

    /// Called once after the last frame (also when the input was cut), to flush and summarize.
    fn finish(&mut self, _out: &mut dyn Emit) -> Result<(), StageError> {
        Ok(())
    }
}

/// An `Emit` that drops everything, for sinks.
pub struct Discard;

impl Emit for Discard {
    fn emit(&mut self, _frame: Frame) -> Result<(), StageError> {
        Ok(())
    }

    fn emit_ref(&mut self, _frame: &Frame) -> Result<(), StageError> {
        Ok(())
    }

    fn emit_event(&mut self, _e: &EventRef<'_>) -> Result<(), StageError> {
        Ok(())
    }
}

/// An `Emit` that collects frames, for tests and in-process composition.
#[derive(Default)]
pub struct Collect(pub Vec<Frame>);

impl Emit for Collect {
    fn emit(&mut self, frame: Frame) -> Result<(), StageError> {
        self.0.push(frame);
        Ok(())
    }
}

impl<W: Write> Emit for FrameWriter<W> {
    fn emit(&mut self, frame: Frame) -> Result<(), StageError> {
        self.write(&frame)?;
        Ok(())
    }

    fn emit_ref(&mut self, frame: &Frame) -> Result<(), StageError> {
        self.write(frame)?;
        Ok(())
    }

    fn emit_event(&mut self, e: &EventRef<'_>) -> Result<(), StageError> {
        self.write_event(e)?;
        Ok(())
    }
}

/// Standard output as a plain file (a duplicate of fd 1), for stages that write the binary
/// stream in large chunks of their own: std's stdout is line-buffered and scans every chunk
/// for newlines, and locks on every write.
pub fn stdout_file() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    io::stdout().as_fd().try_clone_to_owned().map(std::fs::File::from)
}

/// How a run ended.
#[derive(Debug)]
pub struct RunSummary {
    /// Frames read from the input.
    pub n_frames: u64,
    /// The input problem that ended the run early, if any. Everything before it was processed.
    pub input_error: Option<InputError>,
    /// Whether the stage asked to stop before the input ended.
    pub stopped: bool,
}

const BATCH: usize = 256;

/// Reads frames from `source` on a helper thread and feeds them to `stage` in batches
/// (`Stage::on_batch`), then calls `finish`. Processed batches go back to the reader, which
/// fills them again in place.
///
/// An input error after some frames does not lose them: they are processed, `finish` runs, and the
/// error comes back in the summary. Errors of the stage itself are returned as `Err`.
pub fn run(source: Source, stage: &mut dyn Stage, out: &mut dyn Emit) -> Result<RunSummary, StageError> {
    let (rx, recycle) = spawn_recycling_reader(source);
    let mut summary = RunSummary { n_frames: 0, input_error: None, stopped: false };
    for batch in rx.iter() {
        match batch {
            Ok(frames) => {
                let (n, flow) = stage.on_batch(&frames, out)?;
                summary.n_frames += n as u64;
                if flow == Flow::Stop {
                    summary.stopped = true;
                    break;
                }
                let _ = recycle.try_send(frames);
            }
            Err(e) => {
                summary.input_error = Some(e);
                break;
            }
        }
    }
    drop(rx);
    stage.finish(out)?;
    Ok(summary)
}

/// Starts a thread that reads `source` into batches of frames.
///
/// From a regular file, batches are sent when full. From a pipe or stdin (a live stream), frames
/// must not wait for a batch to fill while the producer is quiet: the reader sends what it has
/// whenever the next frame is not already buffered, before it reads (and perhaps waits).
pub fn spawn_reader(source: Source) -> Receiver<Result<Vec<Frame>, InputError>> {
    spawn_recycling_reader(source).0
}

/// Batches of frames from a reader thread.
pub type Batches = Receiver<Result<Vec<Frame>, InputError>>;

/// `spawn_reader`, plus a way to hand batches back once they are processed: the reader then
/// fills them again in place (events reuse their parameter buffers), so reading costs no
/// allocation per event or per batch. Handing back is optional (`try_send`; a full or closed
/// channel just drops the batch).
pub fn spawn_recycling_reader(source: Source) -> (Batches, Sender<Vec<Frame>>) {
    let (free_tx, free_rx) = bounded::<Vec<Frame>>(RECYCLED);
    let streaming = source.is_streaming();
    if streaming && source.frame_ready().is_none() {
        return (spawn_timed_reader(source), free_tx);
    }
    let (tx, rx) = bounded(IN_FLIGHT);
    let mut source = source;
    thread::spawn(move || loop {
        let mut batch = free_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let (ended, error) = fill(&mut source, &mut batch, streaming);
        if !batch.is_empty() && tx.send(Ok(batch)).is_err() {
            return;
        }
        if let Some(e) = error {
            let _ = tx.send(Err(e));
            return;
        }
        if ended {
            return;
        }
    });
    (rx, free_tx)
}

/// Fills `batch` (whose frames are overwritten in place, see `Source::next_into`) with up to
/// a batch of frames from `source`. Returns whether the input ended, and the error that
/// stopped it if one did; the frames read before an error are in `batch`.
pub fn fill_batch(source: &mut Source, batch: &mut Vec<Frame>) -> (bool, Option<InputError>) {
    fill(source, batch, false)
}

/// `fill_batch`; with `streaming`, it also stops early, with at least one frame, where the next
/// frame is not buffered yet (see `Source::frame_ready`).
fn fill(source: &mut Source, batch: &mut Vec<Frame>, streaming: bool) -> (bool, Option<InputError>) {
    source.fill_batch(batch, BATCH, streaming)
}

/// How many batches may wait for the stage.
const IN_FLIGHT: usize = 16;
/// How many processed batches may wait to be refilled: as many as can be in flight, so that
/// none is dropped and replaced by a new one.
const RECYCLED: usize = IN_FLIGHT + 4;

/// How long a frame read from a live stream may wait in a partial batch, for inputs whose
/// reader cannot say whether a frame is buffered (a `.scap` trace on a pipe).
const STREAM_FLUSH: std::time::Duration = std::time::Duration::from_millis(5);

/// The batch being filled, shared by the reader and the flusher of a live stream.
#[derive(Default)]
struct Pending {
    frames: Vec<Frame>,
    /// Set by the reader when it has sent everything; the flusher then stops.
    done: bool,
}

/// The reader for streaming inputs that cannot say whether a frame is buffered: a second
/// thread passes on whatever has been read every few milliseconds.
fn spawn_timed_reader(mut source: Source) -> Receiver<Result<Vec<Frame>, InputError>> {
    use std::sync::{Arc, Mutex};
    let (tx, rx) = bounded(16);
    let pending = Arc::new(Mutex::new(Pending::default()));
    {
        let (pending, tx) = (Arc::clone(&pending), tx.clone());
        thread::spawn(move || loop {
            thread::sleep(STREAM_FLUSH);
            let Ok(mut p) = pending.lock() else { return };
            if p.done {
                return;
            }
            if !p.frames.is_empty() && tx.send(Ok(std::mem::take(&mut p.frames))).is_err() {
                return;
            }
        });
    }
    thread::spawn(move || {
        // Sending under the lock keeps the two threads' batches in order.
        let send_all = |tail: Option<InputError>| {
            let Ok(mut p) = pending.lock() else { return };
            p.done = true;
            if !p.frames.is_empty() && tx.send(Ok(std::mem::take(&mut p.frames))).is_err() {
                return;
            }
            if let Some(e) = tail {
                let _ = tx.send(Err(e));
            }
        };
        loop {
            match source.next_frame() {
                Ok(Some(frame)) => {
                    let Ok(mut p) = pending.lock() else { return };
                    p.frames.push(frame);
                    if p.frames.len() >= BATCH && tx.send(Ok(std::mem::take(&mut p.frames))).is_err() {
                        return;
                    }
                }
                Ok(None) => return send_all(None),
                Err(e) => return send_all(Some(e)),
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::event::Event;
    use crate::wire::{End, Header, VERSION};
    use std::io::Read;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A pipe-like reader: each read returns one chunk, waiting for it.
    struct Chunks(mpsc::Receiver<Vec<u8>>, Vec<u8>);

    impl Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1.is_empty() {
                match self.0.recv() {
                    Ok(c) => self.1 = c,
                    Err(_) => return Ok(0),
                }
            }
            let n = buf.len().min(self.1.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }

    fn encoded(frames: &[Frame]) -> Vec<u8> {
        let mut w = FrameWriter::new(Vec::new());
        for f in frames {
            w.write(f).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn a_quiet_stream_passes_on_what_has_arrived() {
        let (tx, rx) = mpsc::channel();
        let header = Frame::Header(Header { version: VERSION, writer: "test".into(), ..Header::default() });
        let events: Vec<Frame> =
            (1..4).map(|i| Frame::Event(Event::from_params(i, i * 10, 7, 0, 3, &[b"x"]))).collect();
        let mut first = vec![header];
        first.extend(events.iter().cloned());
        tx.send(encoded(&first)).unwrap();
        let source = Source::open(Box::new(Chunks(rx, Vec::new())), "<pipe>").unwrap();
        assert!(source.is_streaming());
        let (batches, _recycle) = spawn_recycling_reader(source);
        // The producer says nothing more, yet the frames come through.
        let got = batches.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(&got[1..], &events[..]);
        tx.send(encoded(&[Frame::End(End::default())])).unwrap();
        let got = batches.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
        assert!(matches!(got[..], [Frame::End(_)]));
        assert!(batches.recv_timeout(Duration::from_secs(5)).is_err());
    }
}
