//! A BPF ring buffer read in passes: every record the kernel has committed is copied out, then
//! the consumer position is published once for the whole pass.
//!
//! aya's `RingBuf` publishes the consumer position after every record. The producer reads that
//! position on every reservation (to check for free space), so a store per record makes the
//! cache line holding it bounce between the consumer's CPU and the traced task's CPU once per
//! event. Publishing once per pass keeps it in the producer's cache nearly all the time.
//!
//! Layout of a ring buffer map's mappings (the kernel's BPF ring buffer ABI): offset 0, one page,
//! read-write: the consumer position (u64). Offset one page, read-only: one page holding the
//! producer position (u64), followed by the data area mapped twice in a row, so a record that
//! wraps around the end reads as contiguous bytes. Each record starts with an 8-byte header:
//! a u32 length with bit 31 set while the record is being written and bit 30 set when it was
//! discarded, and a u32 the kernel uses internally; records are padded to 8 bytes.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use aya::maps::{MapData, RingBuf};

const BUSY_BIT: u32 = 1 << 31;
const DISCARD_BIT: u32 = 1 << 30;
const HDR_SIZE: u64 = 8;

/// One ring buffer, mapped for reading in passes.
pub struct Ring {
    /// Keeps the map (and its fd) alive as long as the mappings.
    map: RingBuf<MapData>,
    consumer: *mut libc::c_void,
    consumer_len: usize,
    producer: *mut libc::c_void,
    producer_len: usize,
    page: usize,
    size: u64,
}

// SAFETY: the mappings belong to this value alone (nothing else reads or unmaps them), and the
// kernel side synchronizes through the atomic positions; moving the value to another thread is
// sound.
unsafe impl Send for Ring {}

impl Ring {
    /// Maps a ring buffer of `size` bytes (a power of two, a multiple of the page size).
    pub fn new(map: RingBuf<MapData>, size: u32) -> io::Result<Ring> {
        // SAFETY: sysconf has no memory effects.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
        let fd = map.as_raw_fd();
        let consumer_len = page;
        let producer_len = page + 2 * size as usize;
        // SAFETY: mapping the ring's consumer page, as the BPF ring buffer ABI allows; the result
        // is checked before use.
        let consumer = unsafe {
            libc::mmap(std::ptr::null_mut(), consumer_len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED, fd, 0)
        };
        if consumer == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: as above, the producer page and the doubly mapped data area, read-only.
        let producer = unsafe {
            libc::mmap(std::ptr::null_mut(), producer_len, libc::PROT_READ, libc::MAP_SHARED, fd, page as libc::off_t)
        };
        if producer == libc::MAP_FAILED {
            let e = io::Error::last_os_error();
            // SAFETY: unmapping the mapping made just above, which nothing else refers to.
            unsafe { libc::munmap(consumer, consumer_len) };
            return Err(e);
        }
        Ok(Ring { map, consumer, consumer_len, producer, producer_len, page, size: u64::from(size) })
    }

    /// The map's fd, to poll on.
    pub fn fd(&self) -> libc::c_int {
        self.map.as_raw_fd()
    }

    fn consumer_pos(&self) -> &AtomicU64 {
        // SAFETY: the consumer page is mapped read-write for the life of `self`, page aligned,
        // and its first 8 bytes are the consumer position.
        unsafe { &*(self.consumer as *const AtomicU64) }
    }

    fn producer_pos(&self) -> &AtomicU64 {
        // SAFETY: the producer page is mapped for the life of `self`, page aligned, and its first
        // 8 bytes are the producer position, written by the kernel.
        unsafe { &*(self.producer as *const AtomicU64) }
    }

    /// Copies the committed records into `data` and their (timestamp, start, len) into
    /// `records`, until the ring is empty or `data` holds `limit` bytes; then frees their space.
    /// The records are copied as the ring holds them, in one piece (their ring headers and
    /// padding, and discarded records, come along unindexed): one copy per pass instead of one
    /// per record. The timestamp is the first 8 bytes of the record (`scap_hdr.ts`), 0 for a
    /// shorter one, read here while the record's first bytes are in cache for its header.
    /// Returns the number of records read.
    pub fn drain(&mut self, data: &mut Vec<u8>, records: &mut Vec<(u64, u32, u32)>, limit: usize) -> usize {
        let start = self.consumer_pos().load(Ordering::Relaxed);
        // Acquire pairs with the kernel's release of the producer position after a reservation.
        let prod = self.producer_pos().load(Ordering::Acquire);
        let mask = self.size - 1;
        // SAFETY: the data area starts one page into the producer mapping.
        let area = unsafe { (self.producer as *const u8).add(self.page) };
        let base = data.len();
        let room = limit.saturating_sub(base) as u64;
        let mut pos = start;
        let mut n = 0;
        while pos < prod && pos - start < room {
            let off = (pos & mask) as usize;
            // SAFETY: `off` is below the ring size and records are 8-byte aligned, so the header
            // lies inside the first copy of the data area and is aligned for a u32. Acquire pairs
            // with the kernel's release when it commits the record (clearing the busy bit).
            let hdr = unsafe { &*(area.add(off) as *const AtomicU32) }.load(Ordering::Acquire);
            if hdr & BUSY_BIT != 0 {
                break;
            }
            let len = u64::from(hdr & !(BUSY_BIT | DISCARD_BIT));
            if len + HDR_SIZE > self.size {
                // Not a record the kernel could have written: stop rather than read past the area.
                break;
            }
            if hdr & DISCARD_BIT == 0 {
                let ts = if len >= 8 {
                    // SAFETY: the record's first 8 bytes lie within the doubly mapped area (see
                    // below) and are 8-byte aligned; the kernel no longer writes a committed record.
                    unsafe { std::ptr::read(area.add(off + HDR_SIZE as usize) as *const u64) }
                } else {
                    0
                };
                let at = base as u64 + (pos - start) + HDR_SIZE;
                records.push((u64::from_le(ts), at as u32, len as u32));
                n += 1;
            }
            pos += (len + HDR_SIZE + 7) & !7;
        }
        if pos != start {
            // SAFETY: the span from the consumer position to `pos` holds committed records only
            // (the walk above stopped at the first busy one) and is at most `size` bytes from an
            // offset below `size`, which the double mapping covers contiguously.
            let span = unsafe { std::slice::from_raw_parts(area.add((start & mask) as usize), (pos - start) as usize) };
            data.extend_from_slice(span);
            // Release: our reads of the records happen before the kernel may reuse their space.
            self.consumer_pos().store(pos, Ordering::Release);
        }
        n
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: unmapping the two mappings made in `new`, which nothing else refers to; `map`
        // (the fd) is dropped after this.
        unsafe {
            libc::munmap(self.consumer, self.consumer_len);
            libc::munmap(self.producer, self.producer_len);
        }
    }
}
