//! The stream: framed CBOR, the one format every stage reads and writes.
//!
//! # Wire format
//!
//! A stream is a sequence of frames. Each frame is a little-endian `u32` byte length followed by
//! exactly that many bytes holding one CBOR item, a CBOR array whose first element is the frame
//! kind (an unsigned integer):
//!
//! | kind | frame | item |
//! |---|---|---|
//! | 0 | Header | `[0, "SCAPSTREAM", {Header}]`, always the first frame |
//! | 1 | Event | `[1, num, ts, tid, cpu, type, flags, n_params, bytes]` |
//! | 2 | Thread | `[2, {ThreadRecord}]` |
//! | 3 | Fd | `[3, {FdRecord}]` |
//! | 4 | User | `[4, {UserRecord}]` |
//! | 5 | Group | `[5, {GroupRecord}]` |
//! | 6 | Interface | `[6, {InterfaceRecord}]` |
//! | 7 | Container | `[7, {ContainerRecord}]` |
//! | 8 | Stats | `[8, {Stats}]` |
//! | 9 | End | `[9, {End}]`, always the last frame |
//! | 10 | ThreadGone | `[10, {ThreadGone}]` |
//!
//! `{X}` is the record serialized by serde as a CBOR map with field names as keys; fields missing
//! from the map take their defaults and unknown keys are ignored. An event's `bytes` are the
//! parameter lengths and values in libscap's layout (see `Event`).
//!
//! Versioning: the header carries `(major, minor)`. A reader refuses a higher major version; a
//! higher minor may add frame kinds and record fields, which older readers skip by length and by
//! name. Frames of unknown kind come out as `Frame::Unknown`.
//!
//! A clean stream ends with an End frame. EOF anywhere else is reported: inside a frame as a
//! truncation, at a frame boundary as a stream cut without its end, each with the byte offset.

mod cbor;
pub mod records;

use std::io::{self, Read, Write};

pub use records::*;

use crate::event::Event;

/// The protocol version this build writes.
pub const VERSION: (u16, u16) = (1, 0);

/// The magic string inside the header frame.
pub const MAGIC: &str = "SCAPSTREAM";

/// Frames larger than this are refused as corrupt (a snapshot of a huge process is far smaller).
pub const MAX_FRAME_LEN: u32 = 64 << 20;

/// The byte prefix every stream begins with, after the 4-byte length: `[0, "SCAPSTREAM", ...`.
pub const MAGIC_PREFIX: &[u8] = b"\x83\x00\x6aSCAPSTREAM";

/// One frame of the stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    /// The first frame.
    Header(Header),
    /// An event.
    Event(Event),
    /// A thread's state.
    Thread(ThreadRecord),
    /// An open fd.
    Fd(FdRecord),
    /// A user.
    User(UserRecord),
    /// A group.
    Group(GroupRecord),
    /// A network interface.
    Interface(InterfaceRecord),
    /// A container.
    Container(ContainerRecord),
    /// Capture counters.
    Stats(Stats),
    /// The last frame.
    End(End),
    /// A thread that is gone.
    ThreadGone(ThreadGone),
    /// A frame of a kind this reader does not know, skipped by length.
    Unknown(u64),
}

/// Frame kind numbers.
pub mod kind {
    #![allow(missing_docs)]
    pub const HEADER: u64 = 0;
    pub const EVENT: u64 = 1;
    pub const THREAD: u64 = 2;
    pub const FD: u64 = 3;
    pub const USER: u64 = 4;
    pub const GROUP: u64 = 5;
    pub const INTERFACE: u64 = 6;
    pub const CONTAINER: u64 = 7;
    pub const STATS: u64 = 8;
    pub const END: u64 = 9;
    pub const THREAD_GONE: u64 = 10;
}

/// Why a stream could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The underlying reader failed.
    #[error("read error at byte {offset}")]
    Io {
        /// Byte offset of the failed read.
        offset: u64,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// EOF inside a frame.
    #[error("stream truncated at byte {offset}: frame of {len} bytes cut short")]
    Truncated {
        /// Byte offset where the frame began.
        offset: u64,
        /// The frame's declared length.
        len: u32,
    },
    /// EOF at a frame boundary before the End frame.
    #[error("stream cut at byte {offset}: no end frame")]
    Cut {
        /// Byte offset of the EOF.
        offset: u64,
    },
    /// EOF before the header frame.
    #[error("empty input: no stream header")]
    Empty,
    /// The first frame is not a header.
    #[error("not a scap stream: no header at byte 0")]
    NoHeader,
    /// The header's major version is newer than this reader.
    #[error("stream version {0}.{1} is newer than this reader's {maj}.x", maj = VERSION.0)]
    Version(u16, u16),
    /// A frame's bytes do not decode.
    #[error("corrupt frame at byte {offset}: {what}")]
    Corrupt {
        /// Byte offset where the frame began.
        offset: u64,
        /// What is wrong.
        what: String,
    },
}

impl WireError {
    /// Whether the data ended early (truncation or a missing end), as opposed to being garbage.
    pub fn is_cut(&self) -> bool {
        matches!(self, WireError::Truncated { .. } | WireError::Cut { .. })
    }
}

/// Encodes one frame (length prefix included) onto `out`.
pub fn encode_frame(frame: &Frame, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    match frame {
        Frame::Event(e) => cbor::encode_event(e, out),
        Frame::Header(h) => {
            out.extend_from_slice(MAGIC_PREFIX);
            encode_record(h, out);
        }
        Frame::Thread(r) => encode_kind_record(kind::THREAD, r, out),
        Frame::Fd(r) => encode_kind_record(kind::FD, r, out),
        Frame::User(r) => encode_kind_record(kind::USER, r, out),
        Frame::Group(r) => encode_kind_record(kind::GROUP, r, out),
        Frame::Interface(r) => encode_kind_record(kind::INTERFACE, r, out),
        Frame::Container(r) => encode_kind_record(kind::CONTAINER, r, out),
        Frame::Stats(r) => encode_kind_record(kind::STATS, r, out),
        Frame::End(r) => encode_kind_record(kind::END, r, out),
        Frame::ThreadGone(r) => encode_kind_record(kind::THREAD_GONE, r, out),
        Frame::Unknown(k) => {
            cbor::write_head(out, 4, 1);
            cbor::write_head(out, 0, *k);
        }
    }
    let len = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

fn encode_kind_record<T: serde::Serialize>(k: u64, rec: &T, out: &mut Vec<u8>) {
    cbor::write_head(out, 4, 2);
    cbor::write_head(out, 0, k);
    encode_record(rec, out);
}

fn encode_record<T: serde::Serialize>(rec: &T, out: &mut Vec<u8>) {
    // Serializing plain structs into a Vec cannot fail.
    if let Err(e) = ciborium::into_writer(rec, &mut *out) {
        debug_assert!(false, "record serialization failed: {e}");
    }
}

/// Decodes the bytes of one frame (without its length prefix).
pub fn decode_frame(bytes: &[u8]) -> Result<Frame, String> {
    let mut slot = Frame::Unknown(0);
    decode_frame_into(bytes, &mut slot)?;
    Ok(slot)
}

/// Decodes the bytes of one frame (without its length prefix) into `slot`. An event decoded
/// into a slot that holds an event reuses its parameter buffer. On error the slot holds
/// some frame, not necessarily the one it held before.
pub fn decode_frame_into(bytes: &[u8], slot: &mut Frame) -> Result<(), String> {
    if let (Some(&[0x89, 0x01]), Frame::Event(e)) = (bytes.get(..2), &mut *slot) {
        // An event (a 9-item array of kind 1) into an event: the hot path.
        return cbor::decode_event_body_into(9, &mut cbor::Cursor::at(bytes, 2), e);
    }
    let mut r = cbor::Cursor::new(bytes);
    let (major, n) = r.head()?;
    if major != 4 || n == 0 {
        return Err("frame is not a CBOR array".into());
    }
    let k = r.uint()?;
    if k == kind::EVENT {
        if !matches!(slot, Frame::Event(_)) {
            *slot = Frame::Event(Event::default());
        }
        let Frame::Event(e) = slot else { unreachable!("the slot was just made an event") };
        return cbor::decode_event_body_into(n, &mut r, e);
    }
    let rest = r.rest();
    let frame = match k {
        kind::HEADER => {
            let mut r2 = cbor::Cursor::new(rest);
            let magic = r2.text()?;
            if magic != MAGIC {
                return Err("header without magic".into());
            }
            Frame::Header(decode_record(r2.rest())?)
        }
        kind::THREAD => Frame::Thread(decode_record(rest)?),
        kind::FD => Frame::Fd(decode_record(rest)?),
        kind::USER => Frame::User(decode_record(rest)?),
        kind::GROUP => Frame::Group(decode_record(rest)?),
        kind::INTERFACE => Frame::Interface(decode_record(rest)?),
        kind::CONTAINER => Frame::Container(decode_record(rest)?),
        kind::STATS => Frame::Stats(decode_record(rest)?),
        kind::END => Frame::End(decode_record(rest)?),
        kind::THREAD_GONE => Frame::ThreadGone(decode_record(rest)?),
        other => Frame::Unknown(other),
    };
    *slot = frame;
    Ok(())
}

fn decode_record<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    if let Some(record) = cbor::decode_record_fast(bytes) {
        return Ok(record);
    }
    thread_local! {
        // ciborium's scratch space, kept: `from_reader` zeroes a new one for every record.
        static SCRATCH: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 4096]);
    }
    SCRATCH
        .with(|s| match s.try_borrow_mut() {
            Ok(mut scratch) => ciborium::de::from_reader_with_buffer(bytes, &mut scratch[..]),
            Err(_) => ciborium::from_reader(bytes),
        })
        .map_err(|e| e.to_string())
}

/// Writes frames to a byte sink, buffering them; call `finish` or `flush` at the end.
pub struct FrameWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
    n_events: u64,
}

impl<W: Write> FrameWriter<W> {
    /// Wraps a sink. Nothing is written until the first frame.
    pub fn new(inner: W) -> FrameWriter<W> {
        FrameWriter { inner, buf: Vec::with_capacity(1 << 16), n_events: 0 }
    }

    /// Appends one frame, writing out the buffer when it is full.
    pub fn write(&mut self, frame: &Frame) -> io::Result<()> {
        if let Frame::Event(e) = frame {
            return self.write_event(&e.as_ref());
        }
        encode_frame(frame, &mut self.buf);
        if self.buf.len() >= 1 << 16 {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Appends one event frame from borrowed parameters (no `Event` to build), writing out the
    /// buffer when it is full. The same bytes as `write(&Frame::Event(..))`.
    #[inline]
    pub fn write_event(&mut self, e: &crate::event::EventRef<'_>) -> io::Result<()> {
        self.n_events += 1;
        let start = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        cbor::encode_event_ref(e, &mut self.buf);
        let len = (self.buf.len() - start - 4) as u32;
        self.buf[start..start + 4].copy_from_slice(&len.to_le_bytes());
        if self.buf.len() >= 1 << 16 {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Events written so far.
    pub fn n_events(&self) -> u64 {
        self.n_events
    }

    /// Writes out buffered frames and flushes the sink.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        self.inner.flush()
    }

    /// Flushes and returns the sink.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.inner)
    }
}

/// Reads frames from a byte source, checking the header, truncation and the end frame.
///
/// The reader keeps its own read-ahead buffer and decodes frames where they lie in it, so the
/// source needs no buffering of its own. It reads from the source only when the buffer holds no
/// complete frame (`frame_ready` says whether the next frame can be had without reading), so a
/// frame that has arrived is never held back waiting for more data.
pub struct FrameReader<R: Read> {
    inner: R,
    /// Read-ahead: the unread bytes are `buf[start..end]`.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Set once the source returned EOF.
    eof: bool,
    offset: u64,
    saw_header: bool,
    saw_end: bool,
}

/// How many bytes the reader asks its source for at a time (at least).
const READ_AHEAD: usize = 1 << 18;
/// Unread bytes move to the front of the buffer before a read with less room than this.
const MIN_READ: usize = 1 << 12;

impl<R: Read> FrameReader<R> {
    /// Wraps a source positioned at the start of a stream.
    pub fn new(inner: R) -> FrameReader<R> {
        FrameReader {
            inner,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            offset: 0,
            saw_header: false,
            saw_end: false,
        }
    }

    /// Byte offset of the next frame.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Whether the next frame (or the end of the stream) is known without reading the source.
    pub fn frame_ready(&self) -> bool {
        if self.saw_end || self.eof {
            return true;
        }
        let avail = &self.buf[self.start..self.end];
        if avail.len() < 4 {
            return false;
        }
        let len = u32::from_le_bytes([avail[0], avail[1], avail[2], avail[3]]);
        len > MAX_FRAME_LEN || avail.len() - 4 >= len as usize
    }

    /// Reads until at least `want` unread bytes are buffered or the source ends; returns how
    /// many are buffered.
    fn fill(&mut self, want: usize) -> io::Result<usize> {
        while self.end - self.start < want && !self.eof {
            if self.start > 0 && (self.buf.len() - self.start < want || self.buf.len() - self.end < MIN_READ) {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let size = (self.start + want).max(READ_AHEAD);
            if self.buf.len() < size {
                self.buf.resize(size, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.end - self.start)
    }

    /// The next frame's bytes (without the length prefix), consumed: its byte range in `buf`.
    fn next_bytes(&mut self) -> Result<Option<std::ops::Range<usize>>, WireError> {
        if self.saw_end {
            return Ok(None);
        }
        let avail = &self.buf[self.start..self.end];
        if avail.len() >= 4 {
            let len = u32::from_le_bytes([avail[0], avail[1], avail[2], avail[3]]) as usize;
            if avail.len() - 4 >= len {
                // The whole frame is buffered (the usual case).
                let range = self.start + 4..self.start + 4 + len;
                self.start = range.end;
                self.offset += 4 + len as u64;
                return Ok(Some(range));
            }
        }
        let start = self.offset;
        let got = self.fill(4).map_err(|source| WireError::Io { offset: start, source })?;
        if got == 0 {
            return Err(if self.saw_header { WireError::Cut { offset: start } } else { WireError::Empty });
        }
        if got < 4 {
            return Err(WireError::Truncated { offset: start, len: 0 });
        }
        let b = &self.buf[self.start..self.start + 4];
        let len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if len > MAX_FRAME_LEN {
            return Err(WireError::Corrupt { offset: start, what: format!("frame length {len} is too large") });
        }
        let total = 4 + len as usize;
        let got = self.fill(total).map_err(|source| WireError::Io { offset: start, source })?;
        if got < total {
            return Err(WireError::Truncated { offset: start, len });
        }
        let range = self.start + 4..self.start + total;
        self.start += total;
        self.offset += total as u64;
        Ok(Some(range))
    }

    /// The next frame, `Ok(None)` after the End frame.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, WireError> {
        let mut slot = Frame::Unknown(0);
        Ok(self.next_into(&mut slot)?.then_some(slot))
    }

    /// Puts the next frame into `slot`, `Ok(false)` after the End frame. An event read into a
    /// slot that holds an event reuses its parameter buffer.
    #[inline]
    pub fn next_into(&mut self, slot: &mut Frame) -> Result<bool, WireError> {
        if !matches!(slot, Frame::Event(_)) && self.next_is_event() {
            // A new slot, or one a record used: made an event, it takes the fast path too.
            *slot = Frame::Event(Event::default());
        }
        if let Frame::Event(e) = slot {
            if self.event_in_place(e) {
                return Ok(true);
            }
        }
        self.next_into_slow(slot)
    }

    /// Whether the buffered bytes begin with an event frame's first bytes (after the length).
    fn next_is_event(&self) -> bool {
        !self.saw_end && self.buf.get(self.start + 4..self.end).is_some_and(|b| b.starts_with(&[0x89, 0x01]))
    }

    /// The hot path: the next frame is an ordinary event, buffered whole, read into an event
    /// slot (`cbor::decode_event_windowed`). `false` changes nothing.
    #[inline(always)]
    fn event_in_place(&mut self, e: &mut Event) -> bool {
        if !self.saw_header || self.saw_end {
            return false;
        }
        let Some(avail) = self.buf.get(self.start..self.end) else { return false };
        let Some(prefix) = avail.first_chunk::<4>() else { return false };
        let len = u32::from_le_bytes(*prefix) as usize;
        let Some(frame) = avail.get(4..).and_then(|a| a.get(..len)) else { return false };
        // The window may reach past the unread bytes into the rest of the buffer.
        let Some(window) = self.buf.get(self.start + 4..).and_then(|b| b.first_chunk::<{ cbor::EVENT_WINDOW }>())
        else {
            return false;
        };
        if !cbor::decode_event_windowed(frame, window, e) {
            return false;
        }
        self.start += 4 + len;
        self.offset += 4 + len as u64;
        true
    }

    fn next_into_slow(&mut self, slot: &mut Frame) -> Result<bool, WireError> {
        let start = self.offset;
        let Some(range) = self.next_bytes()? else { return Ok(false) };
        decode_frame_into(&self.buf[range], slot).map_err(|what| {
            if !self.saw_header {
                WireError::NoHeader
            } else {
                WireError::Corrupt { offset: start, what }
            }
        })?;
        if !self.saw_header {
            match &*slot {
                Frame::Header(h) if h.version.0 > VERSION.0 => {
                    return Err(WireError::Version(h.version.0, h.version.1))
                }
                Frame::Header(_) => self.saw_header = true,
                _ => return Err(WireError::NoHeader),
            }
        }
        if matches!(slot, Frame::End(_)) {
            self.saw_end = true;
        }
        Ok(true)
    }
}

/// Reads until `buf` is full or EOF; returns how many bytes were read.
pub(crate) fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests;
