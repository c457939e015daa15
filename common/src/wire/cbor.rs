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
#[inline]
pub fn encode_event_ref(e: &EventRef<'_>, out: &mut Vec<u8>) {
    // The ten heads take at most 54 bytes: built on the stack, appended at once. The first two
    // (an array of 9, kind 1) are constant.
    let mut h = [0u8; HEADS_BUF];
    h[0] = 0x89;
    h[1] = super::kind::EVENT as u8;
    let mut at = put_head(&mut h, 2, 0, e.num);
    at = put_head(&mut h, at, 0, e.ts);
    at = if e.tid >= 0 { put_head(&mut h, at, 0, e.tid as u64) } else { put_head(&mut h, at, 1, !(e.tid as u64)) };
    at = put_head(&mut h, at, 0, u64::from(e.cpu));
    at = put_head(&mut h, at, 0, u64::from(e.event_type));
    at = put_head(&mut h, at, 0, u64::from(e.flags));
    at = put_head(&mut h, at, 0, u64::from(e.n_params));
    at = put_head(&mut h, at, 2, e.raw.len() as u64);
    if e.raw.len() <= SMALL_RAW {
        // Small parameter blocks (a generic event's are 4 or 8 bytes) join the heads, and the
        // whole buffer is appended: a copy of fixed size is inlined, where a copy of a few bytes
        // of unknown length is a call into memcpy, for every event.
        copy_small(&mut h, at, e.raw);
        let end = out.len() + at + e.raw.len();
        out.extend_from_slice(&h);
        out.truncate(end);
        return;
    }
    // The heads too are appended as a whole buffer, then cut to their length.
    out.reserve(HEADS_BUF + e.raw.len());
    let end = out.len() + at;
    out.extend_from_slice(&h);
    out.truncate(end);
    out.extend_from_slice(e.raw);
}

/// Copies `src` (at most `SMALL_RAW` bytes) to `buf[at..]` in copies of fixed size: two that
/// overlap cover any length from 4 to 16.
#[inline(always)]
fn copy_small(buf: &mut [u8; HEADS_BUF], at: usize, src: &[u8]) {
    let n = src.len();
    if n >= 8 {
        let (Some(a), Some(b)) = (src.first_chunk::<8>(), src.last_chunk::<8>()) else { return };
        buf[at..at + 8].copy_from_slice(a);
        buf[at + n - 8..at + n].copy_from_slice(b);
    } else if n >= 4 {
        let (Some(a), Some(b)) = (src.first_chunk::<4>(), src.last_chunk::<4>()) else { return };
        buf[at..at + 4].copy_from_slice(a);
        buf[at + n - 4..at + n].copy_from_slice(b);
    } else {
        for (i, &c) in src.iter().enumerate() {
            buf[at + i] = c;
        }
    }
}

/// Parameter blocks up to this size are appended with the heads (`encode_event_ref`).
const SMALL_RAW: usize = 16;
/// The heads' buffer: room for the ten heads of an event (54 bytes at most, and the 8 bytes a
/// head may write past its end) and a small block.
const HEADS_BUF: usize = 80;

/// The argument's width and the head's additional information, by the number of bytes `val`
/// needs (1 to 8).
const ARG_WIDTH: [(usize, u8); 9] = [(1, 24), (1, 24), (2, 25), (4, 26), (4, 26), (8, 27), (8, 27), (8, 27), (8, 27)];

/// Writes a CBOR head at `at` in `buf` (the hot path of `encode_event_ref`), in the shortest
/// form as `write_head` does; returns where it ends. It may write up to 8 bytes of garbage
/// after its end, which the next head or the parameters overwrite, or the caller drops.
#[inline(always)]
fn put_head(buf: &mut [u8; HEADS_BUF], at: usize, major: u8, val: u64) -> usize {
    let m = major << 5;
    if val < 24 {
        buf[at] = m | val as u8;
        return at + 1;
    }
    let (n, info) = ARG_WIDTH[8 - (val.leading_zeros() / 8) as usize];
    buf[at] = m | info;
    // The argument's n bytes, big-endian, are the first n of the value shifted to the top.
    buf[at + 1..at + 9].copy_from_slice(&(val << (64 - 8 * n as u32)).to_be_bytes());
    at + 1 + n
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
    let num = r.uint()?;
    let ts = r.uint()?;
    let tid = r.int()?;
    let cpu = narrow(r.uint()?, "cpu")?;
    let event_type = narrow(r.uint()?, "event type")?;
    let flags = narrow(r.uint()?, "flags")?;
    let n_params = narrow(r.uint()?, "parameter count")?;
    let raw = r.bytes()?;
    set_event(e, &EventRef { num, ts, tid, cpu, event_type, flags, n_params, raw });
    Ok(())
}

/// How many bytes `decode_event_windowed` looks at from the start of an event frame: the
/// longest heads of an event take 74 bytes (2 for the array and kind, 9 for each of the
/// others), and decoding a head reads 8 argument bytes whatever its width, never past those.
pub const EVENT_WINDOW: usize = 80;

/// Decodes a head at `at` in `w` without a check per width: (major type, argument, where it
/// ends, whether its additional information is one `Cursor::quick` refuses).
#[inline(always)]
fn window_head(w: &[u8; EVENT_WINDOW], at: usize) -> (u8, u64, usize, bool) {
    let b = w[at];
    let info = b & 0x1f;
    if info < 24 {
        return (b >> 5, u64::from(info), at + 1, false);
    }
    // 24..=27: an argument of 1, 2, 4 or 8 bytes, big-endian, read as the top of 8 bytes.
    let k = info - 24;
    let n = 1usize << (k & 3);
    let mut arg = [0u8; 8];
    arg.copy_from_slice(&w[at + 1..at + 9]);
    let v = u64::from_be_bytes(arg) >> (64 - 8 * n as u32);
    (b >> 5, v, at + 1 + n, k > 3)
}

/// Decodes an event frame (`frame`, without its length prefix) into `e` as `decode_frame_into`
/// would, reusing its parameter buffer, when it is an ordinary one: `w` holds the first
/// `EVENT_WINDOW` bytes from the frame's start (what lies past the frame's end may be
/// anything). `false`, with `e` untouched, for anything else, which the caller then decodes
/// the slow way (and words its errors).
#[inline(always)]
pub fn decode_event_windowed(frame: &[u8], w: &[u8; EVENT_WINDOW], e: &mut Event) -> bool {
    if w[0] != 0x89 || w[1] != 0x01 {
        return false;
    }
    let (m_num, num, at, b_num) = window_head(w, 2);
    let (m_ts, ts, at, b_ts) = window_head(w, at);
    let (m_tid, tid, at, b_tid) = window_head(w, at);
    let (m_cpu, cpu, at, b_cpu) = window_head(w, at);
    let (m_type, event_type, at, b_type) = window_head(w, at);
    let (m_flags, flags, at, b_flags) = window_head(w, at);
    let (m_n, n_params, at, b_n) = window_head(w, at);
    let (m_len, len, at, b_len) = window_head(w, at);
    // One test for all the surprises: reserved widths, other major types, values too wide
    // for their fields.
    let bad = b_num
        | b_ts
        | b_tid
        | b_cpu
        | b_type
        | b_flags
        | b_n
        | b_len
        | ((m_num | m_ts | m_cpu | m_type | m_flags | m_n) != 0)
        | (m_tid > 1)
        | (m_len != 2)
        | (tid > i64::MAX as u64)
        | ((cpu | event_type) > u64::from(u16::MAX))
        | ((flags | n_params) > u64::from(u32::MAX));
    if bad {
        return false;
    }
    // Heads that ran past the frame's end leave `at` past it too.
    let Some(raw) = frame.get(at..).and_then(|r| r.get(..usize::try_from(len).ok()?)) else { return false };
    set_event(
        e,
        &EventRef {
            num,
            ts,
            tid: if m_tid == 0 { tid as i64 } else { !(tid as i64) },
            cpu: cpu as u16,
            event_type: event_type as u16,
            flags: flags as u32,
            n_params: n_params as u32,
            raw,
        },
    );
    true
}

/// A parameter buffer larger than this is not kept for the next event that reuses the slot
/// (slots of recycled batches would otherwise each keep the largest event they ever held).
const RAW_KEEP: usize = 1 << 14;

/// Puts a decoded event into a reused slot (`Event::set_from`, which grows a small buffer once
/// to `MIN_PARAM_CAPACITY`), first letting go of a buffer larger than `RAW_KEEP` that this
/// event does not need.
#[inline]
fn set_event(e: &mut Event, from: &EventRef<'_>) {
    if e.raw.capacity() > RAW_KEEP && from.raw.len() <= RAW_KEEP {
        e.raw = Vec::new();
    }
    e.set_from(from);
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
        set_event(e, &EventRef { num, ts, tid, cpu, event_type, flags, n_params, raw });
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

/// A serde deserializer over the CBOR that records are written as (definite-length maps,
/// arrays, byte and text strings, integers, booleans and null), borrowing from the frame.
/// Anything else is an error, and the caller then lets ciborium decode the record: this is
/// only a faster way to the same values.
pub struct Records<'a> {
    cursor: Cursor<'a>,
}

/// Why `Records` gave up (the caller asks ciborium instead, which says what is wrong).
#[derive(Debug)]
pub struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CBOR the fast record decoder does not handle")
    }
}

impl std::error::Error for Unsupported {}

impl serde::de::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

/// Decodes one record from `bytes` (which it must fill exactly), or `None` when the bytes hold
/// anything `Records` does not handle.
pub fn decode_record_fast<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut d = Records { cursor: Cursor::new(bytes) };
    let value = T::deserialize(&mut d).ok()?;
    d.cursor.rest().is_empty().then_some(value)
}

impl<'a> Records<'a> {
    fn head(&mut self) -> Result<(u8, u64), Unsupported> {
        self.cursor.head().map_err(|_| Unsupported)
    }

    fn peek(&self) -> Result<u8, Unsupported> {
        self.cursor.bytes.get(self.cursor.pos).copied().ok_or(Unsupported)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Unsupported> {
        self.cursor.take(usize::try_from(n).map_err(|_| Unsupported)?).map_err(|_| Unsupported)
    }

    /// Skips one item, whatever it is, nested at most `depth` deep.
    fn skip(&mut self, depth: u32) -> Result<(), Unsupported> {
        let inner = depth.checked_sub(1).ok_or(Unsupported)?;
        match self.head()? {
            (0 | 1, _) => Ok(()),
            (2 | 3, n) => self.take(n).map(|_| ()),
            (4, n) => (0..n).try_for_each(|_| self.skip(inner)),
            (5, n) => (0..n).try_for_each(|_| self.skip(inner).and_then(|()| self.skip(inner))),
            (7, 20..=22) => Ok(()),
            _ => Err(Unsupported),
        }
    }
}

impl<'de> serde::Deserializer<'de> for &mut Records<'de> {
    type Error = Unsupported;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self.head()? {
            (0, v) => visitor.visit_u64(v),
            (1, v) => visitor.visit_i64(-1 - i64::try_from(v).map_err(|_| Unsupported)?),
            (2, n) => visitor.visit_borrowed_bytes(self.take(n)?),
            (3, n) => visitor.visit_borrowed_str(std::str::from_utf8(self.take(n)?).map_err(|_| Unsupported)?),
            (4, n) => visitor.visit_seq(Items { d: self, left: n }),
            (5, n) => visitor.visit_map(Items { d: self, left: n }),
            (7, 20) => visitor.visit_bool(false),
            (7, 21) => visitor.visit_bool(true),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        if self.peek()? == 0xf6 {
            self.cursor.pos += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_ignored_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.skip(32)?;
        visitor.visit_unit()
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_f32<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_f64<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string bytes byte_buf
        newtype_struct seq tuple tuple_struct map struct identifier
    }
}

/// The items of an array or the entries of a map being decoded.
struct Items<'d, 'de> {
    d: &'d mut Records<'de>,
    left: u64,
}

impl<'de> serde::de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;

    fn next_element_seed<S: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Unsupported> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.d).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.left).ok().map(|n| n.min(4096))
    }
}

impl<'de> serde::de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Unsupported> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.d).map(Some)
    }

    fn next_value_seed<S: serde::de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Unsupported> {
        seed.deserialize(&mut *self.d)
    }
}
