//! Raw ring-buffer records to `scap_common` events, with no kernel access (unit-testable and
//! fuzzable on bytes alone).
//!
//! A record is `scap_hdr` plus a kind-specific body (see `bpf/scap_abi.h`). Syscall records are
//! routed to libscap's event types with `schema::x86_64_syscall`; `sys` lays their parameters
//! out as libscap does.

pub mod flags;
pub mod net;
pub mod spec;
mod sys;

use scap_common::event::{Event, EventRef};
use scap_common::schema::ev;

use crate::abi::{self, rec, Hdr};

/// A record that cannot be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than the record's header or body needs.
    #[error("record of {0} bytes is too short")]
    Short(usize),
    /// A record kind this decoder does not know.
    #[error("unknown record kind {0}")]
    UnknownKind(u16),
    /// An item runs past the end of its record.
    #[error("item {0} runs past the end of its record")]
    BadItem(u32),
}

/// One dereferenced argument of a syscall record.
#[derive(Clone, Copy, Debug)]
pub struct ItemRef<'a> {
    /// `abi::arg::*` kind.
    pub kind: u8,
    /// The argument slot it belongs to.
    pub arg: u8,
    /// The bytes.
    pub data: &'a [u8],
}

/// A parsed syscall record.
#[derive(Debug)]
pub struct SysRecord<'a> {
    /// The fixed part.
    pub sys: abi::Sys,
    /// Its items, in the order the probe wrote them.
    pub items: Items<'a>,
}

/// Items kept inline: the probe writes at most a handful per record (a process item and its
/// five areas are the most), so parsing a record allocates nothing.
const INLINE_ITEMS: usize = 8;

/// The items of a syscall record: a slice, inline up to `INLINE_ITEMS`, on the heap past that.
#[derive(Debug)]
pub struct Items<'a> {
    inline: [ItemRef<'a>; INLINE_ITEMS],
    n: usize,
    heap: Vec<ItemRef<'a>>,
}

impl<'a> Items<'a> {
    fn new() -> Items<'a> {
        Items { inline: [ItemRef { kind: 0, arg: 0, data: &[] }; INLINE_ITEMS], n: 0, heap: Vec::new() }
    }

    fn push(&mut self, it: ItemRef<'a>) {
        if self.n < INLINE_ITEMS {
            self.inline[self.n] = it;
            self.n += 1;
            return;
        }
        if self.heap.is_empty() {
            self.heap.extend_from_slice(&self.inline);
        }
        self.heap.push(it);
    }
}

impl<'a> std::ops::Deref for Items<'a> {
    type Target = [ItemRef<'a>];

    fn deref(&self) -> &[ItemRef<'a>] {
        if self.heap.is_empty() {
            &self.inline[..self.n]
        } else {
            &self.heap
        }
    }
}

impl<'a> SysRecord<'a> {
    /// Parses a syscall record (header included).
    pub fn parse(bytes: &'a [u8]) -> Result<SysRecord<'a>, DecodeError> {
        let head: abi::SysHead = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
        if (head.h.len as usize) < std::mem::size_of::<abi::Sys>() {
            // A short record: no arguments, no items.
            let sys = abi::Sys { h: head.h, nr: head.nr, n_items: 0, ret: head.ret, args: [0; 6] };
            return Ok(SysRecord { sys, items: Items::new() });
        }
        let sys: abi::Sys = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
        let len = (sys.h.len as usize).min(bytes.len());
        let mut rest = &bytes[std::mem::size_of::<abi::Sys>().min(len)..len];
        let mut items = Items::new();
        for i in 0..sys.n_items {
            let it: abi::Item = abi::read(rest).ok_or(DecodeError::BadItem(i))?;
            let end = 4 + it.len as usize;
            if rest.len() < end {
                return Err(DecodeError::BadItem(i));
            }
            items.push(ItemRef { kind: it.kind, arg: it.arg, data: &rest[4..end] });
            rest = &rest[end..];
        }
        Ok(SysRecord { sys, items })
    }

    /// The first item of `kind` for argument slot `arg`.
    pub fn item(&self, kind: u8, arg: u8) -> Option<&'a [u8]> {
        self.items.iter().find(|i| i.kind == kind && i.arg == arg).map(|i| i.data)
    }

    /// The first item of `kind`, whatever its slot.
    pub fn item_any(&self, kind: u8) -> Option<&'a [u8]> {
        self.items.iter().find(|i| i.kind == kind).map(|i| i.data)
    }

    /// All items of `kind`.
    pub fn items_of(&self, kind: u8) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.items.iter().filter(move |i| i.kind == kind).map(|i| i.data)
    }
}

/// Buffers `Decoder::decode_ref` reuses from record to record.
#[derive(Debug, Default)]
pub struct Scratch {
    raw: Vec<u8>,
    vals: Vec<u8>,
}

/// A generic syscall event decoded with its parameters on the stack: `Decoder::decode_generic`.
#[derive(Clone, Copy, Debug)]
pub struct Generic {
    /// Nanoseconds since the epoch.
    pub ts: u64,
    /// The thread.
    pub tid: u32,
    /// The CPU.
    pub cpu: u16,
    /// `GENERIC_E` or `GENERIC_X`.
    pub event_type: u16,
    /// Parameters present.
    pub n_params: u32,
    raw: [u8; 8],
    raw_len: u8,
}

impl Generic {
    /// The parameters in libscap's layout (as `Event::raw`).
    pub fn raw(&self) -> &[u8] {
        &self.raw[..usize::from(self.raw_len)]
    }

    /// As a borrowed event numbered `num`.
    pub fn as_event(&self, num: u64) -> EventRef<'_> {
        EventRef {
            num,
            ts: self.ts,
            tid: i64::from(self.tid),
            cpu: self.cpu,
            event_type: self.event_type,
            flags: 0,
            n_params: self.n_params,
            raw: self.raw(),
        }
    }
}

/// The record header of raw bytes, if they hold one.
pub fn header(bytes: &[u8]) -> Option<Hdr> {
    abi::read(bytes)
}

/// Turns records into events. Event numbers are left at 0 for the recorder to assign.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    /// Added to the probe's monotonic timestamps to get nanoseconds since the epoch.
    pub ts_offset: u64,
}

impl Decoder {
    /// A decoder whose timestamps are shifted by `ts_offset` (realtime minus monotonic).
    pub fn new(ts_offset: u64) -> Decoder {
        Decoder { ts_offset }
    }

    /// Decodes a syscall record that routes to a generic event without allocating; `None` for
    /// every other record (which `decode` handles).
    pub fn decode_generic(&self, bytes: &[u8]) -> Option<Generic> {
        let h = header(bytes)?;
        if h.kind != rec::SYS_ENTER && h.kind != rec::SYS_EXIT {
            return None;
        }
        sys::generic(bytes, h.kind == rec::SYS_ENTER, h.ts.wrapping_add(self.ts_offset))
    }

    /// Decodes one record into buffers reused from call to call: syscall records, most of a
    /// capture, are laid out without allocating; other records go through `decode`.
    pub fn decode_ref<'s>(&self, bytes: &[u8], scratch: &'s mut Scratch) -> Result<EventRef<'s>, DecodeError> {
        let h = header(bytes).ok_or(DecodeError::Short(bytes.len()))?;
        let ts = h.ts.wrapping_add(self.ts_offset);
        if h.kind != rec::SYS_ENTER && h.kind != rec::SYS_EXIT {
            let e = self.decode(bytes)?;
            scratch.raw.clear();
            scratch.raw.extend_from_slice(&e.raw);
            return Ok(EventRef { raw: &scratch.raw, ..e.as_ref() });
        }
        let r = SysRecord::parse(bytes)?;
        let (event_type, n_params) = sys::layout(&r, h.kind == rec::SYS_ENTER, &mut scratch.raw, &mut scratch.vals);
        Ok(EventRef {
            num: 0,
            ts,
            tid: i64::from(h.tid),
            cpu: h.cpu,
            event_type,
            flags: 0,
            n_params,
            raw: &scratch.raw,
        })
    }

    /// Decodes one record.
    pub fn decode(&self, bytes: &[u8]) -> Result<Event, DecodeError> {
        let h = header(bytes).ok_or(DecodeError::Short(bytes.len()))?;
        let ts = h.ts.wrapping_add(self.ts_offset);
        let tid = i64::from(h.tid);
        let cpu = h.cpu;
        let ev = |t: u16, params: &[&[u8]]| Event::from_params(0, ts, tid, cpu, t, params);
        match h.kind {
            rec::SYS_ENTER | rec::SYS_EXIT => {
                if let Some(g) = sys::generic(bytes, h.kind == rec::SYS_ENTER, ts) {
                    return Ok(g.as_event(0).to_event());
                }
                let mut scratch = Scratch::default();
                Ok(self.decode_ref(bytes, &mut scratch)?.to_event())
            }
            rec::PROC_EXIT => {
                let r: abi::ProcExit = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
                let code = r.exit_code;
                let status = i64::from(code);
                let ret = i64::from((code >> 8) & 0xff);
                let sig = (code & 0x7f) as u8;
                let core = u8::from(code & 0x80 != 0);
                Ok(ev(ev::PROCEXIT_1_E, &[&status.to_le_bytes(), &ret.to_le_bytes(), &[sig], &[core]]))
            }
            rec::SCHED_SWITCH => {
                let r: abi::Switch = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
                Ok(ev(
                    ev::SCHEDSWITCH_6_E,
                    &[
                        &i64::from(r.next_tid).to_le_bytes(),
                        &r.pgft_maj.to_le_bytes(),
                        &r.pgft_min.to_le_bytes(),
                        &r.vm_size_kb.to_le_bytes(),
                        &r.vm_rss_kb.to_le_bytes(),
                        &r.vm_swap_kb.to_le_bytes(),
                    ],
                ))
            }
            rec::PAGE_FAULT => {
                let r: abi::Fault = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
                Ok(ev(
                    ev::PAGE_FAULT_E,
                    &[&r.addr.to_le_bytes(), &r.ip.to_le_bytes(), &flags::page_fault(r.error).to_le_bytes()],
                ))
            }
            rec::SIGNAL => {
                let r: abi::Signal = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
                Ok(ev(
                    ev::SIGNALDELIVER_E,
                    &[&i64::from(r.spid).to_le_bytes(), &i64::from(r.dpid).to_le_bytes(), &[r.sig as u8]],
                ))
            }
            rec::PROCINFO => {
                let r: abi::ProcInfo = abi::read(bytes).ok_or(DecodeError::Short(bytes.len()))?;
                Ok(ev(ev::PROCINFO_E, &[&r.utime_ticks.to_le_bytes(), &r.stime_ticks.to_le_bytes()]))
            }
            other => Err(DecodeError::UnknownKind(other)),
        }
    }
}

#[cfg(test)]
mod tests;
