//! `Event`: one captured event with its parameters kept in libscap's layout.
//!
//! The parameters stay as the raw bytes libscap uses (an array of lengths, then the values back to
//! back), so importing a `.scap` file and writing one back is lossless and decoding a parameter
//! costs nothing until someone asks for it.

use crate::schema;

/// Event flag: the event changed state but must never be shown (see DESIGN.md section 3).
/// A `.scap` file's "state only" dump flag maps to it.
pub const FLAG_HIDDEN: u32 = 1;

/// The parameter buffer an event slot gets at least, when it must grow (`Event::set_from`).
pub const MIN_PARAM_CAPACITY: usize = 512;

/// One event: a syscall enter or exit, a scheduler or lifecycle record, or a metaevent.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Event {
    /// The event number (`evt.num`), counted from 1 by the source stage.
    pub num: u64,
    /// Nanoseconds since the Unix epoch.
    pub ts: u64,
    /// The thread that generated the event.
    pub tid: i64,
    /// The CPU it ran on.
    pub cpu: u16,
    /// libscap's event type (`schema::ev`).
    pub event_type: u16,
    /// `FLAG_*` bits.
    pub flags: u32,
    /// The number of parameters present; may be fewer than the schema lists (old traces).
    pub n_params: u32,
    /// Parameter lengths (u16 each, u32 for large-payload types), then the values.
    pub raw: Vec<u8>,
}

/// An event whose parameter bytes are borrowed: what a source stage writes without building an
/// `Event` (and allocating its parameter buffer) for every event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct EventRef<'a> {
    /// The event number.
    pub num: u64,
    /// Nanoseconds since the Unix epoch.
    pub ts: u64,
    /// The thread that generated the event.
    pub tid: i64,
    /// The CPU it ran on.
    pub cpu: u16,
    /// libscap's event type.
    pub event_type: u16,
    /// `FLAG_*` bits.
    pub flags: u32,
    /// The number of parameters present.
    pub n_params: u32,
    /// Parameter lengths, then the values (as `Event::raw`).
    pub raw: &'a [u8],
}

impl EventRef<'_> {
    /// An owned copy.
    pub fn to_event(&self) -> Event {
        Event {
            num: self.num,
            ts: self.ts,
            tid: self.tid,
            cpu: self.cpu,
            event_type: self.event_type,
            flags: self.flags,
            n_params: self.n_params,
            raw: self.raw.to_vec(),
        }
    }
}

impl Event {
    /// A borrowed view.
    pub fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            num: self.num,
            ts: self.ts,
            tid: self.tid,
            cpu: self.cpu,
            event_type: self.event_type,
            flags: self.flags,
            n_params: self.n_params,
            raw: &self.raw,
        }
    }

    /// Makes this event a copy of `from`, reusing its parameter buffer (`*self = from.clone()`
    /// without allocating when the buffer has room).
    pub fn copy_from(&mut self, from: &Event) {
        self.set_from(&from.as_ref());
    }

    /// Makes this event a copy of a borrowed one, reusing its parameter buffer. A buffer too
    /// small grows once to at least `MIN_PARAM_CAPACITY`: slots are reused for events of every
    /// size, and most fit in that.
    #[inline]
    pub fn set_from(&mut self, from: &EventRef<'_>) {
        self.num = from.num;
        self.ts = from.ts;
        self.tid = from.tid;
        self.cpu = from.cpu;
        self.event_type = from.event_type;
        self.flags = from.flags;
        self.n_params = from.n_params;
        self.raw.clear();
        if self.raw.capacity() < from.raw.len() {
            self.raw.reserve(from.raw.len().max(MIN_PARAM_CAPACITY));
        }
        self.raw.extend_from_slice(from.raw);
    }

    /// Builds an event from parameter values, laying them out as libscap does.
    pub fn from_params(num: u64, ts: u64, tid: i64, cpu: u16, event_type: u16, params: &[&[u8]]) -> Event {
        let large = schema::has_large_params(event_type);
        let width = if large { 4 } else { 2 };
        let total: usize = params.iter().map(|p| p.len()).sum();
        let mut raw = Vec::with_capacity(params.len() * width + total);
        for p in params {
            if large {
                raw.extend_from_slice(&(p.len() as u32).to_le_bytes());
            } else {
                raw.extend_from_slice(&(p.len() as u16).to_le_bytes());
            }
        }
        for p in params {
            raw.extend_from_slice(p);
        }
        Event { num, ts, tid, cpu, event_type, flags: 0, n_params: params.len() as u32, raw }
    }

    /// The schema entry for this event's type, if any libscap version defines it.
    pub fn info(&self) -> Option<&'static schema::EventInfo> {
        schema::event_info(self.event_type)
    }

    /// Whether this is an enter event (`>`).
    pub fn is_enter(&self) -> bool {
        schema::is_enter(self.event_type)
    }

    /// Whether the event must update state but never be shown.
    pub fn is_hidden(&self) -> bool {
        self.flags & FLAG_HIDDEN != 0
    }

    /// The parameter values in order.
    pub fn params(&self) -> Params<'_> {
        Params::of(self.event_type, self.n_params, &self.raw)
    }

    /// The value of parameter `idx`, or `None` when the event does not carry it.
    ///
    /// The same value `params().nth(idx)` gives (lengths that run past the buffer are cut at
    /// its end), found by adding up the lengths before it.
    #[inline]
    pub fn param(&self, idx: usize) -> Option<&[u8]> {
        let raw = self.raw.as_slice();
        let large = schema::has_large_params(self.event_type);
        let width = if large { 4 } else { 2 };
        let header = (self.n_params as usize).saturating_mul(width).min(raw.len());
        if idx >= header / width {
            return None;
        }
        let lens = &raw[..header];
        // Cutting each running offset at the buffer's end, as the iterator does, is the same
        // as cutting the total once: the lengths are added up first.
        let (before, len) = if large {
            let len_at = |c: &[u8]| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize;
            (lens[..idx * 4].chunks_exact(4).map(len_at).sum::<usize>(), len_at(&lens[idx * 4..]))
        } else {
            let len_at = |c: &[u8]| usize::from(u16::from_le_bytes([c[0], c[1]]));
            (lens[..idx * 2].chunks_exact(2).map(len_at).sum::<usize>(), len_at(&lens[idx * 2..]))
        };
        let off = header.saturating_add(before).min(raw.len());
        let end = off.saturating_add(len).min(raw.len());
        Some(&raw[off..end])
    }

    /// Parameter `idx` as a little-endian integer of its own width (1, 2, 4 or 8 bytes), sign-extended.
    pub fn param_i64(&self, idx: usize) -> Option<i64> {
        self.param(idx).and_then(le_i64)
    }

    /// Parameter `idx` as a little-endian unsigned integer of its own width.
    pub fn param_u64(&self, idx: usize) -> Option<u64> {
        self.param(idx).and_then(le_u64)
    }

    /// Checks that the lengths array fits and the values add up to the buffer.
    pub fn validate(&self) -> Result<(), &'static str> {
        let width = if schema::has_large_params(self.event_type) { 4 } else { 2 };
        let header = self.n_params as usize * width;
        if header > self.raw.len() {
            return Err("parameter lengths run past the event");
        }
        let sum: usize = self.params().map(|p| p.len()).sum();
        if header + sum != self.raw.len() {
            return Err("parameter lengths do not match the event size");
        }
        Ok(())
    }
}

/// Reads a little-endian signed integer of 1, 2, 4 or 8 bytes.
pub fn le_i64(b: &[u8]) -> Option<i64> {
    Some(match b.len() {
        1 => b[0] as i8 as i64,
        2 => i16::from_le_bytes([b[0], b[1]]) as i64,
        4 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
        8 => i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        _ => return None,
    })
}

/// Reads a little-endian unsigned integer of 1, 2, 4 or 8 bytes.
pub fn le_u64(b: &[u8]) -> Option<u64> {
    Some(match b.len() {
        1 => b[0] as u64,
        2 => u16::from_le_bytes([b[0], b[1]]) as u64,
        4 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64,
        8 => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        _ => return None,
    })
}

/// Iterator over an event's parameter values.
#[derive(Clone, Debug)]
pub struct Params<'a> {
    lens: &'a [u8],
    values: &'a [u8],
    width: usize,
}

impl<'a> Params<'a> {
    /// Iterates over parameters stored in libscap's layout for an event of `event_type`.
    pub fn of(event_type: u16, n_params: u32, raw: &'a [u8]) -> Params<'a> {
        let width = if schema::has_large_params(event_type) { 4 } else { 2 };
        let header = (n_params as usize * width).min(raw.len());
        let (lens, values) = raw.split_at(header);
        Params { lens, values, width }
    }
}

impl<'a> Iterator for Params<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.lens.len() < self.width {
            return None;
        }
        let (len_bytes, rest) = self.lens.split_at(self.width);
        self.lens = rest;
        let len = le_u64(len_bytes)? as usize;
        let len = len.min(self.values.len());
        let (value, rest) = self.values.split_at(len);
        self.values = rest;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ev;

    #[test]
    fn params_round_trip() {
        let e = Event::from_params(
            1,
            2,
            3,
            0,
            ev::SYSCALL_OPEN_X,
            &[&3i64.to_le_bytes(), b"/etc/passwd\0", &0u32.to_le_bytes()],
        );
        assert_eq!(e.n_params, 3);
        assert_eq!(e.param_i64(0), Some(3));
        assert_eq!(e.param(1), Some(&b"/etc/passwd\0"[..]));
        assert_eq!(e.param_u64(2), Some(0));
        assert_eq!(e.param(3), None);
        assert!(e.validate().is_ok());
    }

    #[test]
    fn large_payload_uses_wide_lengths() {
        let e = Event::from_params(1, 2, 3, 0, ev::CONTAINER_JSON_2_E, &[b"{}\0"]);
        assert_eq!(e.raw.len(), 4 + 3);
        assert_eq!(e.param(0), Some(&b"{}\0"[..]));
    }

    #[test]
    fn param_matches_the_iterator_on_damaged_layouts() {
        let raw = vec![3, 0, 250, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7];
        for n_params in 0..6 {
            for event_type in [ev::SYSCALL_OPEN_X, ev::CONTAINER_JSON_2_E] {
                for cut in 0..=raw.len() {
                    let e = Event { event_type, n_params, raw: raw[..cut].to_vec(), ..Event::default() };
                    for i in 0..7 {
                        assert_eq!(e.param(i), e.params().nth(i), "n {n_params} type {event_type} cut {cut} i {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn short_buffers_do_not_panic() {
        let e = Event { event_type: ev::SYSCALL_OPEN_X, n_params: 5, raw: vec![9, 0, 1], ..Event::default() };
        assert!(e.validate().is_err());
        let _ = e.params().count();
    }
}
