//! `CountingReader`: how far a file has been read, for progress shown while it is processed
//! (`sysdig -P`, csysdig's `-j` slices).

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A reader that counts the bytes read through it into a shared counter.
pub struct CountingReader<R> {
    inner: R,
    n: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    /// Counts into `n`.
    pub fn new(inner: R, n: Arc<AtomicU64>) -> CountingReader<R> {
        CountingReader { inner, n }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_went_through() {
        let n = Arc::new(AtomicU64::new(0));
        let mut r = CountingReader::new(&b"hello world"[..], Arc::clone(&n));
        let mut buf = [0u8; 4];
        r.read_exact(&mut buf).expect("reads 4 bytes");
        assert_eq!(n.load(Ordering::Relaxed), 4);
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).expect("reads the rest");
        assert_eq!(n.load(Ordering::Relaxed), 11);
    }
}
