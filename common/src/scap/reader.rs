//! `ScapReader`: imports a `.scap` trace as stream frames.
//!
//! It walks the pcapng-style blocks, turns metadata blocks into a header and state records, and
//! event blocks into events numbered as sysdig numbers them. Container events at the very start
//! of the events become container records, as libsinsp consumes them at open time; they still
//! use up event numbers.

use std::collections::VecDeque;
use std::io::Read;

use super::blocks::{self, UserOrGroup};
use super::{block, container, ScapError};
use crate::event::{Event, EventRef, FLAG_HIDDEN};
use crate::schema::{self, ev, ev_newer};
use crate::wire::{self, End, Frame, GroupRecord, Header, MachineInfo, UserRecord};

/// Blocks larger than this are refused as corrupt.
const MAX_BLOCK_LEN: u32 = 256 << 20;

/// Reads a `.scap` trace (already decompressed) and yields stream frames.
pub struct ScapReader<R: Read> {
    inner: R,
    offset: u64,
    queue: VecDeque<Frame>,
    source: String,
    header_sent: bool,
    machine: Option<MachineInfo>,
    in_events: bool,
    leading: bool,
    next_num: u64,
    n_events: u64,
    n_sections: u32,
    done: bool,
    compressed: bool,
    /// Bytes read ahead: blocks are parsed where they lie, `buf[pos..end]` is unread.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The input ended (a read returned nothing).
    eof: bool,
}

/// How much is read from the input at a time.
const READ_AHEAD: usize = 1 << 18;

impl<R: Read> ScapReader<R> {
    /// Wraps a reader positioned at the first block. `source` names the file in the header;
    /// `compressed` makes error offsets say they count uncompressed bytes.
    pub fn new(inner: R, source: &str, compressed: bool) -> ScapReader<R> {
        ScapReader {
            inner,
            offset: 0,
            queue: VecDeque::new(),
            source: source.to_string(),
            header_sent: false,
            machine: None,
            in_events: false,
            leading: true,
            next_num: 1,
            n_events: 0,
            n_sections: 0,
            done: false,
            compressed,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            eof: false,
        }
    }

    fn err(&self, offset: u64, what: impl Into<String>) -> ScapError {
        ScapError { offset, compressed: self.compressed, what: what.into() }
    }

    /// The next frame, `Ok(None)` after the End frame.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, ScapError> {
        let mut slot = Frame::Unknown(0);
        Ok(self.next_into(&mut slot)?.then_some(slot))
    }

    /// Puts the next frame into `slot`; `Ok(false)` after the End frame (`slot` is then left
    /// as it was). An event goes into the slot's `Event` when it holds one, reusing its
    /// parameter buffer: a reader that recycles its frames allocates nothing per event.
    #[inline]
    pub fn next_into(&mut self, slot: &mut Frame) -> Result<bool, ScapError> {
        if self.queue.is_empty() && self.fast_event(slot) {
            return Ok(true);
        }
        self.next_into_slow(slot)
    }

    /// Fills `batch` with up to `max` frames (overwriting its frames in place, see
    /// `next_into`); returns how many, and whether the input ended (`Ok(false)` when not) or
    /// why it stopped. The frames read before an error are in `batch`.
    pub fn fill_batch(&mut self, batch: &mut Vec<Frame>, max: usize) -> (usize, Result<bool, ScapError>) {
        let mut n = 0;
        while n < max {
            if n == batch.len() {
                batch.push(Frame::Unknown(0));
            }
            let slot = &mut batch[n];
            if self.queue.is_empty() && self.fast_event(slot) {
                n += 1;
                continue;
            }
            match self.next_into_slow(slot) {
                Ok(true) => n += 1,
                Ok(false) => return (n, Ok(true)),
                Err(e) => return (n, Err(e)),
            }
        }
        (n, Ok(false))
    }

    /// The hot path: the next block is a plain event that lies whole in the read-ahead buffer.
    /// It goes into `slot` as `event_block` would put it there, and `true` is returned;
    /// anything else (a block to read or refill for, a metadata block, an event the import
    /// turns into a record, a damaged event) returns `false` with nothing changed, for
    /// `next_into_slow` to handle and word any error.
    #[inline]
    fn fast_event(&mut self, slot: &mut Frame) -> bool {
        let Some((p, total_len)) = self.peek_plain() else { return false };
        let event = match slot {
            Frame::Event(e) => e,
            _ => {
                *slot = Frame::Event(Event::default());
                let Frame::Event(e) = slot else { return false };
                e
            }
        };
        event.set_from(&EventRef { num: self.next_num, ..p });
        self.consume_plain(total_len);
        true
    }

    /// For readers that only pass events on (`scap-record -r`): when the next frame is an
    /// ordinary event (what `fast_event` takes), hands it to `f` borrowed from the read-ahead
    /// buffer, without copying its parameters, and returns what `f` returns; `None`, with
    /// nothing read, for anything else, which `next_into` then reads.
    #[inline]
    pub fn next_event_with<T>(&mut self, f: impl FnOnce(&EventRef<'_>) -> T) -> Option<T> {
        if !self.queue.is_empty() {
            return None;
        }
        let (p, total_len) = self.peek_plain()?;
        let out = f(&EventRef { num: self.next_num, ..p });
        self.consume_plain(total_len);
        Some(out)
    }

    /// The next block, when it is a plain event lying whole in the read-ahead buffer: the event
    /// (numbered 0; the caller numbers it) and the block's length.
    #[inline(always)]
    fn peek_plain(&self) -> Option<(EventRef<'_>, u32)> {
        let avail = self.buf.get(self.pos..self.end)?;
        let head = avail.first_chunk::<8>()?;
        let block_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let total_len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        let total = total_len as usize;
        if total < 12 || total > avail.len() || total_len > MAX_BLOCK_LEN || self.n_sections == 0 || self.leading {
            return None;
        }
        let body = &avail[8..total - 4];
        let p = match block_type {
            block::EV | block::EV_OLD => plain_event::<false, false>(body),
            block::EVF => plain_event::<true, false>(body),
            block::EV_V2 | block::EV_V2_LARGE => plain_event::<false, true>(body),
            block::EVF_V2 | block::EVF_V2_LARGE => plain_event::<true, true>(body),
            _ => None,
        }?;
        if let ev_newer::USER_ADDED_E | ev_newer::GROUP_ADDED_E = p.event_type {
            return None;
        }
        Some((p, total_len))
    }

    /// Moves past a block `peek_plain` found, counting its event.
    #[inline(always)]
    fn consume_plain(&mut self, total_len: u32) {
        self.pos += total_len as usize;
        self.offset += u64::from(total_len);
        self.in_events = true;
        self.next_num += 1;
        self.n_events += 1;
    }

    #[inline(never)]
    fn next_into_slow(&mut self, slot: &mut Frame) -> Result<bool, ScapError> {
        loop {
            if let Some(f) = self.queue.pop_front() {
                *slot = f;
                return Ok(true);
            }
            if self.done {
                return Ok(false);
            }
            // An event is the last frame its block yields, and the queue is empty when the
            // block is read: the event goes out directly.
            if self.read_block(slot)? {
                if self.queue.is_empty() {
                    return Ok(true);
                }
                self.queue.push_back(std::mem::replace(slot, Frame::Unknown(0)));
            }
        }
    }

    fn send_header(&mut self) {
        if self.header_sent {
            return;
        }
        self.header_sent = true;
        let header = Header {
            version: wire::VERSION,
            writer: format!("scap-common {} (.scap import)", env!("CARGO_PKG_VERSION")),
            source: self.source.clone(),
            machine: self.machine.clone().unwrap_or_default(),
            snaplen: 0,
            features: Vec::new(),
        };
        self.queue.push_front(Frame::Header(header));
    }

    fn finish(&mut self) {
        self.send_header();
        self.queue.push_back(Frame::End(End { n_events: self.n_events, n_drops: 0, reason: "eof".into() }));
        self.done = true;
    }

    /// Makes `want` bytes available at `buf[pos..]`, reading as needed; returns how many are
    /// (fewer only at the end of the input).
    #[inline]
    fn fill(&mut self, want: usize) -> std::io::Result<usize> {
        if self.end - self.pos >= want {
            return Ok(want);
        }
        self.fill_more(want)
    }

    fn fill_more(&mut self, want: usize) -> std::io::Result<usize> {
        while self.end - self.pos < want && !self.eof {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            let size = want.max(READ_AHEAD);
            if self.buf.len() < size {
                self.buf.resize(size, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok((self.end - self.pos).min(want))
    }

    /// Reads one block; `Ok(true)` when it was an event, which is then in `slot`.
    fn read_block(&mut self, slot: &mut Frame) -> Result<bool, ScapError> {
        let start = self.offset;
        let got = self.fill(8).map_err(|e| self.err(start, format!("read error: {e}")))?;
        if got == 0 {
            if self.n_sections == 0 {
                return Err(self.err(start, "empty file"));
            }
            self.finish();
            return Ok(false);
        }
        if got < 8 {
            return Err(self.err(start, "truncated block header"));
        }
        let head = &self.buf[self.pos..self.pos + 8];
        let block_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let total_len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if self.n_sections == 0 && block_type != block::SHB {
            return Err(self.err(start, "not a .scap file: no section header block"));
        }
        if !(12..=MAX_BLOCK_LEN).contains(&total_len) {
            return Err(self.err(start, format!("corrupt block length {total_len} (block type {block_type:#x})")));
        }
        let total = total_len as usize;
        let got = self.fill(total).map_err(|e| self.err(start, format!("read error: {e}")))?;
        if got < total {
            return Err(self.err(start, format!("truncated block: {total_len} bytes declared, {got} present")));
        }
        self.offset += u64::from(total_len);
        let buf = std::mem::take(&mut self.buf);
        let block = &buf[self.pos..self.pos + total];
        self.pos += total;
        let t = &block[total - 4..];
        let trailer = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let result = if trailer != total_len && !block::is_event(block_type) {
            Err(format!("corrupt block length: header says {total_len}, trailer says {trailer}"))
        } else {
            self.handle_block(block_type, &block[8..total - 4], slot)
        };
        self.buf = buf;
        result.map_err(|what| self.err(start, what))
    }

    fn handle_block(&mut self, block_type: u32, body: &[u8], slot: &mut Frame) -> Result<bool, String> {
        if block::is_event(block_type) {
            self.in_events = true;
            return self.event_block(block_type, body, slot);
        }
        if self.in_events && block_type != block::SHB {
            // libsinsp reads a metadata block after events as the start of a new capture.
            self.in_events = false;
        }
        match block_type {
            block::SHB => self.section_header(body)?,
            block::MI | block::MI_OLD => {
                self.machine = Some(blocks::machine_info(body)?);
                self.send_header();
            }
            _ => {
                self.send_header();
                self.metadata_block(block_type, body)?;
            }
        }
        Ok(false)
    }

    fn section_header(&mut self, body: &[u8]) -> Result<(), String> {
        let mut b = blocks::Body::new(body);
        let magic = b.u32()?;
        if magic != 0x1A2B_3C4D {
            return Err(format!("section header has byte-order magic {magic:#x}, expected 0x1a2b3c4d"));
        }
        let major = b.u16()?;
        if major > 1 {
            return Err(format!("unsupported .scap version {major}.x"));
        }
        self.n_sections += 1;
        self.in_events = false;
        // Each section of a concatenated trace starts with its own container events.
        self.leading = true;
        Ok(())
    }

    fn metadata_block(&mut self, block_type: u32, body: &[u8]) -> Result<(), String> {
        if let Some(version) = block::process_list_version(block_type) {
            for t in blocks::process_list(body, version)? {
                self.queue.push_back(Frame::Thread(t));
            }
            return Ok(());
        }
        match block_type {
            block::FDL | block::FDL_OLD | block::FDL_V2 => {
                for fd in blocks::fd_list(body, block_type == block::FDL_V2)? {
                    self.queue.push_back(Frame::Fd(fd));
                }
            }
            block::IL | block::IL_OLD | block::IL_V2 => {
                for i in blocks::interface_list(body, block_type == block::IL_V2)? {
                    self.queue.push_back(Frame::Interface(i));
                }
            }
            block::UL | block::UL_OLD | block::UL_V2 => {
                for entry in blocks::user_list(body, block_type == block::UL_V2)? {
                    self.queue.push_back(match entry {
                        UserOrGroup::User(u) => Frame::User(u),
                        UserOrGroup::Group(g) => Frame::Group(g),
                    });
                }
            }
            // Unknown block types are skipped by length, as libscap does.
            _ => {}
        }
        Ok(())
    }

    /// An event block: the event goes into `slot` (`Ok(true)`), unless it is one the import
    /// turns into a record.
    fn event_block(&mut self, block_type: u32, body: &[u8], slot: &mut Frame) -> Result<bool, String> {
        let flagged = block::has_flags(block_type);
        let v2 = block::is_v2_event(block_type);
        // The header at fixed offsets: cpu u16, [dump flags u32], ts u64, tid u64, len u32,
        // type u16, [nparams u32].
        let at = if flagged { 6 } else { 2 };
        let header_len = if v2 { 26 } else { 22 };
        let fixed = at + header_len;
        if body.len() < fixed {
            return Err(short_header(body, flagged, v2));
        }
        let u16_at = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
        let u64_at = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&body[i..i + 8]);
            u64::from_le_bytes(b)
        };
        let cpu = u16_at(0);
        let dump_flags = if flagged { u32_at(2) } else { 0 };
        let ts = u64_at(at);
        let tid = u64_at(at + 8) as i64;
        let len = u32_at(at + 16) as usize;
        let event_type = u16_at(at + 20);
        let declared = if v2 { Some(u32_at(at + 22)) } else { None };
        if len < header_len {
            return Err(format!("event length {len} is shorter than its header"));
        }
        let rest = body.len() - fixed;
        let payload_len = len - header_len;
        // Inferred counts make the lengths add up by construction; declared ones are checked.
        let mut check = declared.is_some();
        let (payload, n_params) = if payload_len <= rest {
            let payload = &body[fixed..fixed + payload_len];
            match declared {
                Some(n) => (payload, n),
                None => match infer_params(event_type, payload) {
                    Some(n) => (payload, n),
                    None if quirk_len(event_type) && payload_len >= 3 => {
                        let payload = &payload[..payload_len - 3];
                        let n = infer_params(event_type, payload).ok_or_else(|| corrupt_params(event_type))?;
                        (payload, n)
                    }
                    None => return Err(corrupt_params(event_type)),
                },
            }
        } else if !v2 && quirk_len(event_type) && payload_len - rest <= 3 {
            let payload = &body[fixed..];
            check = true;
            (payload, infer_params(event_type, payload).ok_or_else(|| corrupt_params(event_type))?)
        } else {
            return Err(format!("event length {len} runs past its block"));
        };
        if !matches!(slot, Frame::Event(_)) {
            *slot = Frame::Event(Event::default());
        }
        let Frame::Event(event) = slot else {
            return Err("internal error: event slot".into());
        };
        event.set_from(&EventRef {
            num: self.next_num,
            ts,
            tid,
            cpu,
            event_type,
            flags: if dump_flags & 1 != 0 { FLAG_HIDDEN } else { 0 },
            n_params,
            raw: payload,
        });
        if check {
            if let Err(what) = event.validate() {
                return Err(format!("event {} (type {event_type}): {what}", self.next_num));
            }
        }
        if let ev_newer::USER_ADDED_E | ev_newer::GROUP_ADDED_E = event_type {
            if let Some(record) = user_record(event) {
                // Newer libscap stores the user table as metaevents; sysdig 0.29.3 skipped them
                // without numbering them. They are state, so they become records.
                self.queue.push_back(record);
                return Ok(false);
            }
        }
        if self.leading && is_container_event(event_type) {
            if let Some(rec) = container::from_event(event) {
                // libsinsp numbers the leading container events of the first section only: it
                // reads later sections' ones while reopening, before its event counter runs.
                if self.n_sections == 1 {
                    self.next_num += 1;
                }
                self.queue.push_back(Frame::Container(rec));
                return Ok(false);
            }
        }
        self.next_num += 1;
        self.leading = false;
        self.n_events += 1;
        Ok(true)
    }
}

/// Parses an event block's body (`FLAGGED`: dump flags after the cpu; `V2`: a parameter count
/// in the header) when nothing about it is unusual: the header fits, the parameters lie within
/// the block, and their lengths add up exactly (a v1 event's count is the schema's, or as many
/// as the payload holds). `None` sends the block to `event_block`, which handles the rest.
#[inline(always)]
fn plain_event<const FLAGGED: bool, const V2: bool>(body: &[u8]) -> Option<EventRef<'_>> {
    let at = if FLAGGED { 6 } else { 2 };
    let header_len = if V2 { 26 } else { 22 };
    let fixed = at + header_len;
    let head = body.get(..fixed)?;
    let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let u64_at = |i: usize| {
        u64::from_le_bytes([
            head[i],
            head[i + 1],
            head[i + 2],
            head[i + 3],
            head[i + 4],
            head[i + 5],
            head[i + 6],
            head[i + 7],
        ])
    };
    let len = u32_at(at + 16) as usize;
    let payload = body.get(fixed..)?.get(..len.checked_sub(header_len)?)?;
    let event_type = u16_at(at + 20);
    let n_params = if V2 {
        let n = u32_at(at + 22);
        let width = if schema::has_large_params(event_type) { 4 } else { 2 };
        if lengths_fill(payload, n as usize, width) {
            n
        } else {
            return None;
        }
    } else {
        let info = schema::event_info(event_type)?;
        let width = if info.flags & schema::flags::LARGE_PAYLOAD != 0 { 4 } else { 2 };
        let n = info.params.len().min(payload.len() / width);
        if lengths_fill(payload, n, width) {
            n as u32
        } else {
            return None;
        }
    };
    let dump_flags = if FLAGGED { u32_at(2) } else { 0 };
    Some(EventRef {
        num: 0,
        cpu: u16_at(0),
        flags: if dump_flags & 1 != 0 { FLAG_HIDDEN } else { 0 },
        ts: u64_at(at),
        tid: u64_at(at + 8) as i64,
        event_type,
        n_params,
        raw: payload,
    })
}

/// Whether `n` parameter lengths of `width` bytes at the front of `payload` fit and, with the
/// values they give, make up the payload exactly.
#[inline(always)]
fn lengths_fill(payload: &[u8], n: usize, width: usize) -> bool {
    let Some(lens) = payload.get(..n.saturating_mul(width)) else { return false };
    // A plain loop: events have a handful of parameters, too few for an iterator's unrolled
    // and vectorized sum (an out-of-line call) to pay off.
    let mut sum = lens.len();
    let mut i = 0;
    if width == 2 {
        while let Some(c) = lens.get(i..i + 2) {
            sum += usize::from(u16::from_le_bytes([c[0], c[1]]));
            i += 2;
        }
    } else {
        while let Some(c) = lens.get(i..i + 4) {
            sum += u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize;
            i += 4;
        }
    }
    sum == payload.len()
}

/// The error for an event block too short for its header: the first field that does not fit.
fn short_header(body: &[u8], flagged: bool, v2: bool) -> String {
    let mut b = blocks::Body::new(body);
    let mut fields = || -> Result<(), String> {
        b.u16()?;
        if flagged {
            b.u32()?;
        }
        b.u64()?;
        b.u64()?;
        b.u32()?;
        b.u16()?;
        if v2 {
            b.u32()?;
        }
        Ok(())
    };
    fields().err().unwrap_or_else(|| "short event header".into())
}

/// Turns a `useradded` or `groupadded` metaevent into a user or group record.
fn user_record(e: &Event) -> Option<Frame> {
    let text = |i: usize| {
        e.param(i).map(|b| String::from_utf8_lossy(b.strip_suffix(b"\0").unwrap_or(b)).into_owned()).unwrap_or_default()
    };
    match e.event_type {
        ev_newer::USER_ADDED_E => Some(Frame::User(UserRecord {
            uid: e.param_u64(0)? as u32,
            gid: e.param_u64(1)? as u32,
            name: text(2),
            home: text(3),
            shell: text(4),
            container_id: text(5),
        })),
        ev_newer::GROUP_ADDED_E => {
            Some(Frame::Group(GroupRecord { gid: e.param_u64(0)? as u32, name: text(1), container_id: text(2) }))
        }
        _ => None,
    }
}

fn corrupt_params(event_type: u16) -> String {
    format!("corrupt event of type {event_type}: parameter lengths do not add up")
}

fn is_container_event(t: u16) -> bool {
    matches!(t, ev::CONTAINER_E | ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E)
}

/// Very old notification and infrastructure events declare a length 3 bytes too large.
fn quirk_len(t: u16) -> bool {
    matches!(t, ev::NOTIFICATION_E | ev::INFRASTRUCTURE_EVENT_E)
}

/// Finds how many parameters a v1 event (which does not say) carries: the largest count, up to
/// what the schema lists, whose lengths add up exactly to the payload.
fn infer_params(event_type: u16, payload: &[u8]) -> Option<u32> {
    let info = schema::event_info(event_type);
    let max = info.map_or(0, |i| i.params.len());
    let width = if info.is_some_and(|i| i.flags & schema::flags::LARGE_PAYLOAD != 0) { 4 } else { 2 };
    let max = max.min(payload.len() / width);
    let lens = &payload[..max * width];
    let len_at = |c: &[u8]| -> usize {
        if width == 2 {
            usize::from(u16::from_le_bytes([c[0], c[1]]))
        } else {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize
        }
    };
    // The values' size with n parameters; try the largest n first.
    let mut sum: usize = if width == 2 {
        lens.chunks_exact(2).map(|c| usize::from(u16::from_le_bytes([c[0], c[1]]))).sum()
    } else {
        lens.chunks_exact(4).map(len_at).sum()
    };
    let mut n = max;
    loop {
        if n * width + sum == payload.len() {
            return Some(n as u32);
        }
        if n == 0 {
            return None;
        }
        n -= 1;
        sum -= len_at(&lens[n * width..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ev;

    fn block(block_type: u32, body: &[u8]) -> Vec<u8> {
        let padded = body.len().div_ceil(4) * 4;
        let total = (12 + padded) as u32;
        let mut b = Vec::new();
        b.extend_from_slice(&block_type.to_le_bytes());
        b.extend_from_slice(&total.to_le_bytes());
        b.extend_from_slice(body);
        b.resize(8 + padded, 0);
        b.extend_from_slice(&total.to_le_bytes());
        b
    }

    fn section() -> Vec<u8> {
        let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&u64::MAX.to_le_bytes());
        block(block::SHB, &body)
    }

    /// An event block; `lens` and `values` make its payload, `declared` its v2 count.
    fn event(block_type: u32, event_type: u16, lens: &[u16], values: &[u8], declared: u32) -> Vec<u8> {
        let mut body = 3u16.to_le_bytes().to_vec();
        if block::has_flags(block_type) {
            body.extend_from_slice(&1u32.to_le_bytes());
        }
        let header_len = if block::is_v2_event(block_type) { 26 } else { 22 };
        let len = header_len + lens.len() * 2 + values.len();
        body.extend_from_slice(&1_000u64.to_le_bytes());
        body.extend_from_slice(&77u64.to_le_bytes());
        body.extend_from_slice(&(len as u32).to_le_bytes());
        body.extend_from_slice(&event_type.to_le_bytes());
        if block::is_v2_event(block_type) {
            body.extend_from_slice(&declared.to_le_bytes());
        }
        for l in lens {
            body.extend_from_slice(&l.to_le_bytes());
        }
        body.extend_from_slice(values);
        block(block_type, &body)
    }

    fn read_all(bytes: &[u8], fast: bool) -> Vec<Result<Frame, String>> {
        let mut r = ScapReader::new(bytes, "mem", false);
        let mut out = Vec::new();
        let mut slot = Frame::Unknown(0);
        loop {
            let got = if fast { r.next_into(&mut slot) } else { r.next_into_slow(&mut slot) };
            match got {
                Ok(true) => out.push(Ok(slot.clone())),
                Ok(false) => return out,
                Err(e) => {
                    out.push(Err(format!("{} at {}", e.what, e.offset)));
                    return out;
                }
            }
        }
    }

    #[test]
    fn the_fast_path_reads_what_the_block_reader_reads() {
        let read = ev::SYSCALL_READ_X;
        let mut bytes = section();
        // Plain v1 events (the fast path), one with fewer parameters than the schema lists.
        bytes.extend(event(block::EV, read, &[8, 3], b"\x03\0\0\0\0\0\0\0abc", 0));
        bytes.extend(event(block::EV, read, &[8], b"\x03\0\0\0\0\0\0\0", 0));
        bytes.extend(event(block::EVF, read, &[8, 2], b"\x03\0\0\0\0\0\0\0ab", 0));
        // v2: exact lengths, then a last length running past the payload (which libscap's
        // reading accepts, cut at the end).
        bytes.extend(event(block::EV_V2, read, &[8, 1], b"\x03\0\0\0\0\0\0\0a", 2));
        bytes.extend(event(block::EVF_V2, read, &[8, 9], b"\x03\0\0\0\0\0\0\0abc", 2));
        // A very old notification event, 3 bytes longer than its block.
        let mut quirk = event(block::EV, ev::NOTIFICATION_E, &[2, 2], b"abcd", 0);
        let len_at = 8 + 2 + 16;
        let len = u32::from_le_bytes([quirk[len_at], quirk[len_at + 1], quirk[len_at + 2], quirk[len_at + 3]]);
        quirk[len_at..len_at + 4].copy_from_slice(&(len + 3).to_le_bytes());
        bytes.extend(quirk);
        let fast = read_all(&bytes, true);
        assert_eq!(fast, read_all(&bytes, false));
        let events: Vec<&Event> =
            fast.iter().filter_map(|f| if let Ok(Frame::Event(e)) = f { Some(e) } else { None }).collect();
        assert_eq!(events.iter().map(|e| e.n_params).collect::<Vec<_>>(), [2, 1, 2, 2, 2, 2]);
        assert_eq!(events.iter().map(|e| e.num).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        assert!(events[2].is_hidden() && !events[1].is_hidden());
        assert_eq!(events[4].param(1), Some(&b"abc"[..]));
        assert!(matches!(fast.last(), Some(Ok(Frame::End(_)))));

        // Damage is worded by the block reader, with the events before it read.
        let mut damaged = bytes.clone();
        damaged.truncate(bytes.len() - 30);
        damaged.extend(event(block::EV_V2, read, &[8, 1], b"\x03\0\0\0\0\0\0\0", 2));
        let fast = read_all(&damaged, true);
        assert_eq!(fast, read_all(&damaged, false));
        for cut in [bytes.len() - 5, bytes.len() - 40] {
            let fast = read_all(&bytes[..cut], true);
            assert_eq!(fast, read_all(&bytes[..cut], false));
            assert!(matches!(fast.last(), Some(Err(_))));
        }
    }
}
