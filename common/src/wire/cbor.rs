//! A minimal CBOR encoder and decoder for the hot path: event frames and frame envelopes.
//!
//! Records go through serde and ciborium; events, which are most of every stream, are encoded and
//! decoded here by hand because they are a fixed array of integers and one byte string.
//! The bytes are ordinary CBOR that any decoder reads (tests check that against ciborium).

use crate::event::{Event, EventRef};

/// Writes a CBOR head: major type and argument, in the shortest form.
pub fn write_head(out: &mut Vec<u8>, major: u8, val: u64) {
    let m = major << 5;
    if val < 24 {
        out.push(m | val as u8);
    } else if val <= u8::MAX as u64 {
        out.push(m | 24);
        out.push(val as u8);
    } else if val <= u16::MAX as u64 {
        out.push(m | 25);
        out.extend_from_slice(&(val as u16).to_be_bytes());
    } else if val <= u32::MAX as u64 {
        out.push(m | 26);
        out.extend_from_slice(&(val as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&val.to_be_bytes());
    }
}

/// Appends an event frame's CBOR item.
pub fn encode_event(e: &Event, out: &mut Vec<u8>) {
    encode_event_ref(&e.as_ref(), out)
}

/// Appends an event frame's CBOR item, from borrowed parameters.
pub fn encode_event_ref(e: &EventRef<'_>, out: &mut Vec<u8>) {
    // The ten heads take at most 54 bytes: built on the stack, appended at once.
    let mut h = Heads { buf: [0; HEADS_BUF], len: 0 };
    h.head(4, 9);
    h.head(0, super::kind::EVENT);
    h.head(0, e.num);
    h.head(0, e.ts);
    if e.tid >= 0 {
        h.head(0, e.tid as u64);
    } else {
        h.head(1, !(e.tid as u64));
    }
    h.head(0, u64::from(e.cpu));
    h.head(0, u64::from(e.event_type));
    h.head(0, u64::from(e.flags));
    h.head(0, u64::from(e.n_params));
    h.head(2, e.raw.len() as u64);
    if e.raw.len() <= SMALL_RAW {
        // Small parameter blocks (a generic event's are 4 or 8 bytes) join the heads, and the
        // whole buffer is appended: a copy of fixed size is inlined, where a copy of a few bytes
        // of unknown length is a call into memcpy, for every event.
        for (d, s) in h.buf[h.len..].iter_mut().zip(e.raw) {
            *d = *s;
        }
        let end = out.len() + h.len + e.raw.len();
        out.extend_from_slice(&h.buf);
        out.truncate(end);
        return;
    }
    out.reserve(h.len + e.raw.len());
    out.extend_from_slice(&h.buf[..h.len]);
    out.extend_from_slice(e.raw);
}

/// Parameter blocks up to this size are appended with the heads (`encode_event_ref`).
const SMALL_RAW: usize = 16;
/// The heads' buffer: room for the ten heads of an event (54 bytes at most) and a small block.
const HEADS_BUF: usize = 80;

/// CBOR heads written into a fixed buffer (the hot path of `encode_event_ref`).
struct Heads {
    buf: [u8; HEADS_BUF],
    len: usize,
}

impl Heads {
    #[inline(always)]
    fn head(&mut self, major: u8, val: u64) {
        let m = major << 5;
        let at = self.len;
        let n = if val < 24 {
            self.buf[at] = m | val as u8;
            1
        } else if val <= u8::MAX as u64 {
            self.buf[at] = m | 24;
            self.buf[at + 1] = val as u8;
            2
        } else if val <= u16::MAX as u64 {
            self.buf[at] = m | 25;
            self.buf[at + 1..at + 3].copy_from_slice(&(val as u16).to_be_bytes());
            3
        } else if val <= u32::MAX as u64 {
            self.buf[at] = m | 26;
            self.buf[at + 1..at + 5].copy_from_slice(&(val as u32).to_be_bytes());
            5
        } else {
            self.buf[at] = m | 27;
            self.buf[at + 1..at + 9].copy_from_slice(&val.to_be_bytes());
            9
        };
        self.len = at + n;
    }
}

/// Decodes the elements of an event frame after its kind into `e`, reusing its parameter
/// buffer.
pub fn decode_event_body_into(n_items: u64, r: &mut Cursor<'_>, e: &mut Event) -> Result<(), String> {
    if n_items < 9 {
        return Err(format!("event frame has {n_items} items, expected 9"));
    }
    let at = r.pos;
    if r.event_fast(e).is_some() {
        return Ok(());
    }
    // Something is out of the ordinary: decode again, item by item, to say what.
    r.pos = at;
    e.num = r.uint()?;
    e.ts = r.uint()?;
    e.tid = r.int()?;
    e.cpu = narrow(r.uint()?, "cpu")?;
    e.event_type = narrow(r.uint()?, "event type")?;
    e.flags = narrow(r.uint()?, "flags")?;
    e.n_params = narrow(r.uint()?, "parameter count")?;
    let raw = r.bytes()?;
    set_raw(e, raw);
    Ok(())
}

/// A parameter buffer larger than this is not kept for the next event that reuses the slot
/// (slots of recycled batches would otherwise each keep the largest event they ever held).
const RAW_KEEP: usize = 1 << 14;

fn set_raw(e: &mut Event, raw: &[u8]) {
    if e.raw.capacity() > RAW_KEEP && raw.len() <= RAW_KEEP {
        e.raw = Vec::with_capacity(raw.len());
    }
    e.raw.clear();
    e.raw.extend_from_slice(raw);
}

fn narrow<T: TryFrom<u64>>(v: u64, what: &str) -> Result<T, String> {
    T::try_from(v).map_err(|_| format!("{what} {v} out of range"))
}

/// A read position in a CBOR byte slice.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Starts at the beginning of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, pos: 0 }
    }

    /// Starts at `pos` in `bytes`.
    pub fn at(bytes: &'a [u8], pos: usize) -> Cursor<'a> {
        Cursor { bytes, pos }
    }

    /// The unread bytes.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("CBOR item runs past the frame")?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Reads a head of major type `major`; `None` (position unspecified) when the next item is
    /// not one or runs past the end.
    #[inline(always)]
    fn quick(&mut self, major: u8) -> Option<u64> {
        let b = *self.bytes.get(self.pos)?;
        if b >> 5 != major {
            return None;
        }
        let info = b & 0x1f;
        if info < 24 {
            self.pos += 1;
            return Some(u64::from(info));
        }
        let at = self.pos + 1;
        let (n, v) = match info {
            24 => (1, u64::from(*self.bytes.get(at)?)),
            25 => (2, u64::from(u16::from_be_bytes(self.bytes.get(at..at + 2)?.try_into().ok()?))),
            26 => (4, u64::from(u32::from_be_bytes(self.bytes.get(at..at + 4)?.try_into().ok()?))),
            27 => (8, u64::from_be_bytes(self.bytes.get(at..at + 8)?.try_into().ok()?)),
            _ => return None,
        };
        self.pos = at + n;
        Some(v)
    }

    /// The items of an event after its kind, for well-formed frames; `None` at the first
    /// surprise (the caller then decodes again, slowly, to report it).
    #[inline(always)]
    fn event_fast(&mut self, e: &mut Event) -> Option<()> {
        let num = self.quick(0)?;
        let ts = self.quick(0)?;
        let tid = match self.bytes.get(self.pos)? >> 5 {
            0 => i64::try_from(self.quick(0)?).ok()?,
            _ => -1 - i64::try_from(self.quick(1)?).ok()?,
        };
        let cpu = u16::try_from(self.quick(0)?).ok()?;
        let event_type = u16::try_from(self.quick(0)?).ok()?;
        let flags = u32::try_from(self.quick(0)?).ok()?;
        let n_params = u32::try_from(self.quick(0)?).ok()?;
        let len = usize::try_from(self.quick(2)?).ok()?;
        let raw = self.bytes.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        e.num = num;
        e.ts = ts;
        e.tid = tid;
        e.cpu = cpu;
        e.event_type = event_type;
        e.flags = flags;
        e.n_params = n_params;
        set_raw(e, raw);
        Some(())
    }

    /// Reads a head: (major type, argument).
    pub fn head(&mut self) -> Result<(u8, u64), String> {
        let b = self.take(1)?[0];
        let major = b >> 5;
        let info = b & 0x1f;
        let val = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.take(1)?[0]),
            25 => {
                let s = self.take(2)?;
                u64::from(u16::from_be_bytes([s[0], s[1]]))
            }
            26 => {
                let s = self.take(4)?;
                u64::from(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
            }
            27 => {
                let s = self.take(8)?;
                u64::from_be_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
            }
            _ => return Err(format!("unsupported CBOR head byte {b:#04x}")),
        };
        Ok((major, val))
    }

    /// Reads an unsigned integer.
    pub fn uint(&mut self) -> Result<u64, String> {
        match self.head()? {
            (0, v) => Ok(v),
            (m, _) => Err(format!("expected an unsigned integer, found CBOR major type {m}")),
        }
    }

    /// Reads a signed integer.
    pub fn int(&mut self) -> Result<i64, String> {
        match self.head()? {
            (0, v) => i64::try_from(v).map_err(|_| "integer out of range".to_string()),
            (1, v) => i64::try_from(v).map(|v| -1 - v).map_err(|_| "integer out of range".to_string()),
            (m, _) => Err(format!("expected an integer, found CBOR major type {m}")),
        }
    }

    /// Reads a definite-length byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8], String> {
        match self.head()? {
            (2, n) => self.take(usize::try_from(n).map_err(|_| "byte string too long")?),
            (m, _) => Err(format!("expected a byte string, found CBOR major type {m}")),
        }
    }

    /// Reads a definite-length text string.
    pub fn text(&mut self) -> Result<&'a str, String> {
        match self.head()? {
            (3, n) => {
                let b = self.take(usize::try_from(n).map_err(|_| "text string too long")?)?;
                std::str::from_utf8(b).map_err(|_| "text string is not UTF-8".to_string())
            }
            (m, _) => Err(format!("expected a text string, found CBOR major type {m}")),
        }
    }
}
