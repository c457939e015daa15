//! The drain thread: empties the ring buffers into batches of raw records and does nothing
//! else, so that decoding and writing never slow down how fast the kernel's rings are freed.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use aya::maps::{MapData, RingBuf};
use crossbeam_channel::{Receiver, Sender};

use crate::loader::ProcInfoIter;
use crate::ring::Ring;

/// Raw records drained in one pass over the rings.
#[derive(Debug, Default)]
pub struct Batch {
    /// The records, as the rings held them (ring headers and padding between them).
    pub data: Vec<u8>,
    /// (timestamp, start, len) of each record in `data`: the timestamp is the record's
    /// `scap_hdr.ts` (CLOCK_MONOTONIC), so ordering them needs no pass over `data`.
    pub records: Vec<(u64, u32, u32)>,
    /// CLOCK_MONOTONIC when the pass began: every record stamped before it (minus a small
    /// margin for records still being written) has been drained.
    pub watermark: u64,
    /// Whether this is the last batch.
    pub last: bool,
}

impl Batch {
    /// The records.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.records.iter().map(|&(_, s, l)| &self.data[s as usize..(s + l) as usize])
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

/// Tells the drain thread to finish: it makes one more full pass and sends the last batch.
#[derive(Clone, Debug)]
pub struct Stopper {
    flag: Arc<AtomicBool>,
    /// An eventfd in the drain thread's poll set, so that stopping does not wait for a timeout.
    event: Arc<OwnedFd>,
}

impl Stopper {
    /// Asks the drain thread to stop.
    pub fn stop(&self) {
        if !self.flag.swap(true, Ordering::AcqRel) {
            let one = 1u64;
            // SAFETY: writes 8 bytes from a local into the eventfd we own.
            unsafe { libc::write(self.event.as_raw_fd(), (&one as *const u64).cast(), 8) };
        }
    }

    /// Whether stop was asked.
    pub fn stopping(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }
}

/// Starts the drain thread on the rings (each with its size in bytes, as `Probe::take_rings`
/// gives them). It stops when told through the returned `Stopper`, after one more full pass,
/// and sends a batch with `last` set.
///
/// With `procinfo`, the thread also runs the procinfo iterator at each second of the wall
/// clock, before the pass that drains what it wrote (libsinsp's procinfo events come once a
/// second too).
///
/// Batches sent back on `recycle` once read are reused, so that the thread does not allocate
/// (and fault in) fresh buffers for every pass.
pub fn spawn(
    rings: Vec<(RingBuf<MapData>, u32)>,
    mut procinfo: Option<ProcInfoIter>,
    tx: Sender<Batch>,
    recycle: Receiver<Batch>,
) -> std::io::Result<(JoinHandle<()>, Stopper)> {
    let mut readers = Vec::with_capacity(rings.len());
    for (map, size) in rings {
        readers.push(Ring::new(map, size)?);
    }
    // SAFETY: eventfd creates a new fd, checked below, which OwnedFd then owns.
    let efd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if efd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `efd` is a fresh fd owned by nothing else.
    let event = Arc::new(unsafe { OwnedFd::from_raw_fd(efd) });
    let stopper = Stopper { flag: Arc::new(AtomicBool::new(false)), event };
    let st = stopper.clone();
    let handle = thread::Builder::new().name("scap-drain".into()).spawn(move || {
        let mut fds: Vec<libc::pollfd> =
            readers.iter().map(|r| libc::pollfd { fd: r.fd(), events: libc::POLLIN, revents: 0 }).collect();
        fds.push(libc::pollfd { fd: st.event.as_raw_fd(), events: libc::POLLIN, revents: 0 });
        const SECOND: u64 = 1_000_000_000;
        let mut procinfo_due = (realtime_ns() / SECOND + 1) * SECOND;
        loop {
            let stopping = st.stopping();
            if let Some(it) = &procinfo {
                let now = realtime_ns();
                if now >= procinfo_due && !stopping {
                    procinfo_due = (now / SECOND + 1) * SECOND;
                    if it.run().is_err() {
                        // The iterator failed (it cannot fail half way): no more procinfo.
                        procinfo = None;
                    }
                }
            }
            let mut batch = recycle.try_recv().unwrap_or_default();
            batch.data.clear();
            batch.records.clear();
            batch.watermark = monotonic_ns();
            batch.last = false;
            for ring in readers.iter_mut() {
                ring.drain(&mut batch.data, &mut batch.records, BATCH_BYTES);
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
    })?;
    Ok((handle, stopper))
}
