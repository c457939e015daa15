//! Opening an input without being told its format: native stream, zstd, gzip or `.scap`.
//!
//! `Source::open` sniffs the first bytes, undoes zstd or gzip compression (once; the data inside
//! is sniffed again), and returns a source of frames. Users never name a format.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::scap::{ScapError, ScapReader};
use crate::wire::{Frame, FrameReader, WireError, MAGIC_PREFIX};

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened.
    #[error("cannot open {path}")]
    Open {
        /// The path as given.
        path: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// Reading failed before the format was known.
    #[error("cannot read {name}")]
    Read {
        /// The input's name.
        name: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// No bytes at all.
    #[error("{name}: empty input: no data at byte 0")]
    Empty {
        /// The input's name.
        name: String,
    },
    /// The first bytes match no known format.
    #[error("{name}: unrecognized input at byte 0: not a scap stream, .scap trace, gzip or zstd data")]
    Unrecognized {
        /// The input's name.
        name: String,
    },
    /// A native stream is damaged.
    #[error("{name}: {source}")]
    Stream {
        /// The input's name.
        name: String,
        /// The problem.
        #[source]
        source: WireError,
    },
    /// A `.scap` trace is damaged.
    #[error("{name}: {source}")]
    Scap {
        /// The input's name.
        name: String,
        /// The problem.
        #[source]
        source: ScapError,
    },
}

/// The formats `Source::open` recognizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The native framed-CBOR stream.
    Stream,
    /// A libscap capture file.
    Scap,
}

enum Inner {
    Stream(FrameReader<Box<dyn Read + Send>>),
    Scap(Box<ScapReader<Box<dyn Read + Send>>>),
}

/// A source of frames read from a file, a pipe or stdin.
pub struct Source {
    inner: Inner,
    name: String,
    format: Format,
    compression: Option<&'static str>,
    streaming: bool,
    /// Frames cut from the end of partial batches, kept to fill later batches: their event
    /// slots keep their parameter buffers.
    spare: Vec<Frame>,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const SCAP_MAGIC: &[u8] = &[0x0a, 0x0d, 0x0d, 0x0a];

impl Source {
    /// Opens a path, or stdin for `-`.
    pub fn open_path(path: &str) -> Result<Source, InputError> {
        if path == "-" {
            return Source::open(Box::new(io::stdin()), "<stdin>");
        }
        let file = File::open(Path::new(path)).map_err(|source| InputError::Open { path: path.to_string(), source })?;
        let regular = file.metadata().is_ok_and(|m| m.is_file());
        let mut source = Source::open(Box::new(file), path)?;
        source.streaming = !regular;
        Ok(source)
    }

    /// Opens a reader of a regular file (read in full batches, not as a live stream), for
    /// callers that wrap the file, e.g. to count the bytes read for a progress bar.
    pub fn open_file(reader: Box<dyn Read + Send>, name: &str) -> Result<Source, InputError> {
        let mut source = Source::open(reader, name)?;
        source.streaming = false;
        Ok(source)
    }

    /// Sniffs `reader` and opens it. `name` appears in error messages.
    pub fn open(reader: Box<dyn Read + Send>, name: &str) -> Result<Source, InputError> {
        Source::sniff(reader, name, None)
    }

    fn sniff(
        mut reader: Box<dyn Read + Send>,
        name: &str,
        compression: Option<&'static str>,
    ) -> Result<Source, InputError> {
        let mut head = vec![0u8; MAGIC_PREFIX.len() + 4];
        let got = crate::wire::read_full(&mut reader, &mut head)
            .map_err(|source| InputError::Read { name: name.to_string(), source })?;
        head.truncate(got);
        if head.is_empty() {
            return Err(InputError::Empty { name: name.to_string() });
        }
        let is_gzip = compression.is_none() && head.starts_with(GZIP_MAGIC);
        let is_zstd = compression.is_none() && head.starts_with(ZSTD_MAGIC);
        let format = if is_gzip || is_zstd {
            None
        } else if head.len() >= 4 + MAGIC_PREFIX.len() && &head[4..4 + MAGIC_PREFIX.len()] == MAGIC_PREFIX {
            Some(Format::Stream)
        } else if head.starts_with(SCAP_MAGIC) {
            Some(Format::Scap)
        } else {
            return Err(InputError::Unrecognized { name: name.to_string() });
        };
        let rejoined = io::Cursor::new(head).chain(reader);
        if format == Some(Format::Stream) {
            // The frame reader keeps its own read-ahead buffer.
            let inner = Inner::Stream(FrameReader::new(Box::new(rejoined)));
            return Ok(Source {
                inner,
                name: name.to_string(),
                format: Format::Stream,
                compression,
                streaming: true,
                spare: Vec::new(),
            });
        }
        let rejoined = BufReader::with_capacity(1 << 17, rejoined);
        let Some(format) = format else {
            if is_gzip {
                let dec = flate2::read::MultiGzDecoder::new(rejoined);
                return Source::sniff(Box::new(dec), name, Some("gzip"));
            }
            let dec = zstd::stream::read::Decoder::with_buffer(rejoined)
                .map_err(|source| InputError::Read { name: name.to_string(), source })?;
            return Source::sniff(Box::new(dec), name, Some("zstd"));
        };
        let boxed: Box<dyn Read + Send> = Box::new(rejoined);
        let inner = match format {
            Format::Stream => Inner::Stream(FrameReader::new(boxed)),
            Format::Scap => Inner::Scap(Box::new(ScapReader::new(boxed, name, compression.is_some()))),
        };
        Ok(Source { inner, name: name.to_string(), format, compression, streaming: true, spare: Vec::new() })
    }

    /// The input's name (its path, or `<stdin>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format found.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether frames arrive over time (stdin, a pipe, a socket) rather than from a regular
    /// file, so that readers should pass on what they have instead of waiting to fill batches.
    pub fn is_streaming(&self) -> bool {
        self.streaming
    }

    /// Whether the next frame can be had without reading (and so perhaps waiting on) the
    /// underlying input; `None` when the format's reader cannot tell.
    pub fn frame_ready(&self) -> Option<bool> {
        match &self.inner {
            Inner::Stream(r) => Some(r.frame_ready()),
            Inner::Scap(_) => None,
        }
    }

    /// The compression found, if any.
    pub fn compression(&self) -> Option<&'static str> {
        self.compression
    }

    /// The next frame; `Ok(None)` after the End frame.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, InputError> {
        match &mut self.inner {
            Inner::Stream(r) => r.next_frame().map_err(|source| InputError::Stream { name: self.name.clone(), source }),
            Inner::Scap(r) => r.next_frame().map_err(|source| InputError::Scap { name: self.name.clone(), source }),
        }
    }

    /// Fills `batch` with up to `max` frames, each put in place as `next_into` puts it (the
    /// batch's frames are overwritten, events reuse their parameter buffers), and truncates it
    /// to them. Returns whether the input ended, and the error that stopped it if one did; the
    /// frames read before an error are in `batch`. With `partial`, it also stops, with at
    /// least one frame, where the next frame is not buffered yet (`frame_ready`).
    pub fn fill_batch(&mut self, batch: &mut Vec<Frame>, max: usize, partial: bool) -> (bool, Option<InputError>) {
        let (n, result) = match &mut self.inner {
            Inner::Scap(r) => {
                let (n, result) = r.fill_batch(batch, max);
                (n, result.map_err(|source| InputError::Scap { name: self.name.clone(), source }))
            }
            Inner::Stream(r) => {
                let mut n = 0;
                let mut result = Ok(false);
                while n < max {
                    if partial && n > 0 && !r.frame_ready() {
                        break;
                    }
                    if n == batch.len() {
                        batch.push(self.spare.pop().unwrap_or(Frame::Unknown(0)));
                    }
                    match r.next_into(&mut batch[n]) {
                        Ok(true) => n += 1,
                        Ok(false) => {
                            result = Ok(true);
                            break;
                        }
                        Err(source) => {
                            result = Err(InputError::Stream { name: self.name.clone(), source });
                            break;
                        }
                    }
                }
                (n, result)
            }
        };
        if n < batch.len() && self.spare.len() < max {
            // A partial batch (a live stream, or the end): its other slots wait for the next.
            let room = max - self.spare.len();
            self.spare.extend(batch.drain(n..).take(room));
        }
        batch.truncate(n);
        match result {
            Ok(ended) => (ended, None),
            Err(e) => (false, Some(e)),
        }
    }

    /// For readers that only pass events on: when the next frame is an ordinary `.scap` event,
    /// hands it to `f` borrowed from the reader's buffer (no copy of its parameters) and
    /// returns what `f` returns; `None`, with nothing read, for anything else (and for native
    /// streams), which `next_into` then reads. See `ScapReader::next_event_with`.
    #[inline]
    pub fn next_event_with<T>(&mut self, f: impl FnOnce(&crate::event::EventRef<'_>) -> T) -> Option<T> {
        match &mut self.inner {
            Inner::Scap(r) => r.next_event_with(f),
            Inner::Stream(_) => None,
        }
    }

    /// Puts the next frame into `slot`; `Ok(false)` after the End frame. A `.scap` event goes
    /// into the slot's `Event` when it holds one, reusing its parameter buffer.
    pub fn next_into(&mut self, slot: &mut Frame) -> Result<bool, InputError> {
        match &mut self.inner {
            Inner::Stream(r) => {
                r.next_into(slot).map_err(|source| InputError::Stream { name: self.name.clone(), source })
            }
            Inner::Scap(r) => r.next_into(slot).map_err(|source| InputError::Scap { name: self.name.clone(), source }),
        }
    }
}
