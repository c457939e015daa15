//! The drain thread: empties the ring buffers into batches of raw records and does nothing
//! else, so that decoding and writing never slow down how fast the kernel's rings are freed.

use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use aya::maps::{MapData, RingBuf};
use crossbeam_channel::Sender;

/// Raw records drained in one pass over the rings.
#[derive(Debug, Default)]
pub struct Batch {
    /// The records back to back.
    pub data: Vec<u8>,
    /// (start, len) of each record in `data`.
    pub records: Vec<(u32, u32)>,
    /// CLOCK_MONOTONIC when the pass began: every record stamped before it (minus a small
    /// margin for records still being written) has been drained.
    pub watermark: u64,
    /// Whether this is the last batch.
    pub last: bool,
}

impl Batch {
    /// The records.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.records.iter().map(|&(s, l)| &self.data[s as usize..(s + l) as usize])
    }
}

/// CLOCK_MONOTONIC in nanoseconds: the clock of `bpf_ktime_get_ns`.
pub fn monotonic_ns() -> u64 {
    clock_ns(libc::CLOCK_MONOTONIC)
}

/// CLOCK_REALTIME in nanoseconds.
pub fn realtime_ns() -> u64 {
    clock_ns(libc::CLOCK_REALTIME)
}

fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the valid, exclusively borrowed `ts`.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    (ts.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(ts.tv_nsec as u64)
}

/// How long the drain thread sleeps in poll when the rings are quiet: the probe wakes it only
/// when a ring crosses its high-water mark.
const POLL_MS: i32 = 10;

/// Target size of a batch before it is sent on.
const BATCH_BYTES: usize = 4 << 20;

/// Starts the drain thread. It stops when `stop` is set, after one more full pass, and sends
/// a batch with `last` set.
pub fn spawn(mut rings: Vec<RingBuf<MapData>>, tx: Sender<Batch>, stop: Arc<AtomicBool>) -> JoinHandle<()> {
    thread::Builder::new()
        .name("scap-drain".into())
        .spawn(move || {
            let mut fds: Vec<libc::pollfd> =
                rings.iter().map(|r| libc::pollfd { fd: r.as_raw_fd(), events: libc::POLLIN, revents: 0 }).collect();
            loop {
                let stopping = stop.load(Ordering::Acquire);
                let mut batch = Batch { watermark: monotonic_ns(), ..Batch::default() };
                for ring in rings.iter_mut() {
                    while let Some(item) = ring.next() {
                        let start = batch.data.len() as u32;
                        batch.data.extend_from_slice(&item);
                        batch.records.push((start, item.len() as u32));
                        if batch.data.len() >= BATCH_BYTES {
                            break;
                        }
                    }
                }
                let full = batch.data.len() >= BATCH_BYTES;
                batch.last = stopping && !full;
                let last = batch.last;
                if (!batch.records.is_empty() || last) && tx.send(batch).is_err() {
                    return;
                }
                if last {
                    return;
                }
                if !full {
                    // SAFETY: `fds` is a valid array of pollfd for its whole length; poll only
                    // writes their revents fields.
                    unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, POLL_MS) };
                }
            }
        })
        .unwrap_or_else(|e| panic!("cannot start the drain thread: {e}"))
}
