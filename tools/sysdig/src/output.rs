//! `-w`: writing what passes the filter to a file, as libscap's `.scap` (gzip'd with `-z`) or as
//! the native stream (`--stream`, zstd with `-z`), with sysdig's rotation flags: `-C` (size),
//! `-e` (events), `-G` (seconds), `-W` (how many files).
//!
//! A rotated file starts with the frames that came before the first event (header and
//! snapshot), so every file opens on its own.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use scap_common::fields::Tz;
use scap_common::scap::ScapWriter;
use scap_common::stage::{Emit, StageError};
use scap_common::wire::{Frame, FrameWriter};

/// Counts the bytes written through it.
struct Counted {
    inner: BufWriter<File>,
    n: Arc<AtomicU64>,
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Writer {
    Scap(ScapWriter<Counted>),
    ScapGz(ScapWriter<flate2::write::GzEncoder<Counted>>),
    Stream(FrameWriter<Counted>),
    StreamZ(FrameWriter<zstd::stream::write::Encoder<'static, Counted>>),
}

impl Writer {
    fn write(&mut self, frame: &Frame) -> io::Result<()> {
        match self {
            Writer::Scap(w) => w.write(frame),
            Writer::ScapGz(w) => w.write(frame),
            Writer::Stream(w) => w.write(frame),
            Writer::StreamZ(w) => w.write(frame),
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Writer::Scap(w) => w.finish()?.flush(),
            Writer::ScapGz(w) => w.finish()?.finish()?.flush(),
            Writer::Stream(w) => w.into_inner()?.flush(),
            Writer::StreamZ(w) => w.into_inner()?.finish()?.flush(),
        }
    }
}

/// How to write and when to start a new file.
#[derive(Clone, Debug, Default)]
pub struct OutputConfig {
    /// The `-w` name.
    pub path: String,
    /// Write the native stream instead of `.scap`.
    pub native: bool,
    /// Compress (gzip for `.scap`, zstd for the stream).
    pub compress: bool,
    /// `-C`: bytes per file.
    pub max_bytes: Option<u64>,
    /// `-e`: events per file.
    pub max_events: Option<u64>,
    /// `-G`: nanoseconds per file.
    pub max_ns: Option<u64>,
    /// `-W`: files kept.
    pub limit: Option<u64>,
    /// The zone `-G` names files in, when the name holds strftime(3) patterns.
    pub tz: Option<Tz>,
}

impl OutputConfig {
    fn rotates(&self) -> bool {
        self.max_bytes.is_some() || self.max_events.is_some() || self.max_ns.is_some()
    }

    /// `-G` with a name holding `%` patterns names each file after the time its first event
    /// happened, as sysdig does (the first file, opened before any event, is
    /// `first_dump.scap` in the current directory, as in sysdig 0.29.3).
    fn time_named(&self) -> bool {
        self.max_ns.is_some() && self.path.contains('%')
    }
}

/// `pattern` with strftime(3)'s `%Y %y %m %d %e %j %H %M %S %s %%` filled in for `ts` in `tz`;
/// other `%` sequences stay as they are.
pub fn strftime_name(pattern: &str, ts: u64, tz: &Tz) -> String {
    use scap_common::fields::time::civil;
    let secs = (ts / 1_000_000_000) as i64;
    let local = secs + i64::from(tz.offset_at(secs));
    let days = local.div_euclid(86_400);
    let (y, m, d) = civil(days);
    let yday = days - days_from_civil(y) + 1;
    let t = local.rem_euclid(86_400);
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:2}")),
            Some('j') => out.push_str(&format!("{yday:03}")),
            Some('H') => out.push_str(&format!("{:02}", t / 3600)),
            Some('M') => out.push_str(&format!("{:02}", t / 60 % 60)),
            Some('S') => out.push_str(&format!("{:02}", t % 60)),
            Some('s') => out.push_str(&secs.to_string()),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Days since 1970-01-01 of January 1st of `year`.
fn days_from_civil(year: i64) -> i64 {
    let y = year - 1;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    // March-based day of era of Jan 1st, as in the inverse of `civil`.
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + 306;
    era * 146_097 + doe - 719_468
}

/// The `-w` output.
pub struct Output {
    config: OutputConfig,
    writer: Option<Writer>,
    bytes: Arc<AtomicU64>,
    /// Frames before the first event, replayed at the start of every rotated file.
    preamble: Vec<Frame>,
    seen_event: bool,
    file_index: u64,
    files_opened: u64,
    events_in_file: u64,
    file_start_ts: Option<u64>,
    /// Set when -G with -W (and no -C) has written its last file.
    pub done: bool,
}

impl Output {
    /// Opens the first file.
    pub fn open(config: OutputConfig) -> Result<Output> {
        let mut out = Output {
            config,
            writer: None,
            bytes: Arc::new(AtomicU64::new(0)),
            preamble: Vec::new(),
            seen_event: false,
            file_index: 0,
            files_opened: 0,
            events_in_file: 0,
            file_start_ts: None,
            done: false,
        };
        out.new_file(None)?;
        Ok(out)
    }

    fn file_name(&self, ts: Option<u64>) -> String {
        if self.config.time_named() {
            return match ts {
                Some(ts) => strftime_name(&self.config.path, ts, self.config.tz.as_ref().unwrap_or(&Tz::utc())),
                None => "first_dump.scap".to_string(),
            };
        }
        if self.config.rotates() {
            format!("{}{}", self.config.path, self.file_index)
        } else {
            self.config.path.clone()
        }
    }

    fn new_file(&mut self, ts: Option<u64>) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.finish().context("writing the capture file")?;
        }
        let name = self.file_name(ts);
        let file = File::create(&name).with_context(|| format!("can't open file {name} for writing"))?;
        self.bytes = Arc::new(AtomicU64::new(0));
        let raw = Counted { inner: BufWriter::with_capacity(1 << 16, file), n: Arc::clone(&self.bytes) };
        self.writer = Some(match (self.config.native, self.config.compress) {
            (false, false) => Writer::Scap(ScapWriter::new(raw)),
            (false, true) => {
                Writer::ScapGz(ScapWriter::new(flate2::write::GzEncoder::new(raw, flate2::Compression::default())))
            }
            (true, false) => Writer::Stream(FrameWriter::new(raw)),
            (true, true) => Writer::StreamZ(FrameWriter::new(zstd::stream::write::Encoder::new(raw, 3)?)),
        });
        self.files_opened += 1;
        self.events_in_file = 0;
        self.file_start_ts = None;
        let preamble = std::mem::take(&mut self.preamble);
        for f in &preamble {
            self.write_raw(f)?;
        }
        self.preamble = preamble;
        Ok(())
    }

    fn write_raw(&mut self, frame: &Frame) -> io::Result<()> {
        match &mut self.writer {
            Some(w) => w.write(frame),
            None => Ok(()),
        }
    }

    /// Writes one frame, first starting a new file when a limit says so.
    pub fn write(&mut self, frame: Frame) -> Result<()> {
        if self.done {
            return Ok(());
        }
        if let Frame::Event(e) = &frame {
            self.seen_event = true;
            if self.config.rotates() && self.events_in_file > 0 {
                let full = self.config.max_bytes.is_some_and(|b| self.bytes.load(Ordering::Relaxed) >= b)
                    || self.config.max_events.is_some_and(|n| self.events_in_file >= n)
                    || self.config.max_ns.is_some_and(|ns| self.file_start_ts.is_some_and(|t| e.ts >= t + ns));
                if full {
                    if self.config.max_ns.is_some()
                        && self.config.max_bytes.is_none()
                        && self.config.limit.is_some_and(|l| self.files_opened >= l)
                    {
                        self.done = true;
                        return Ok(());
                    }
                    self.file_index += 1;
                    if let Some(l) = self.config.limit {
                        if l > 0 {
                            self.file_index %= l;
                        }
                    }
                    self.new_file(Some(e.ts))?;
                }
            }
            self.events_in_file += 1;
            self.file_start_ts.get_or_insert(e.ts);
        } else if !self.seen_event && self.config.rotates() && !matches!(frame, Frame::End(_)) {
            self.preamble.push(frame.clone());
        }
        self.write_raw(&frame).context("writing the capture file")
    }

    /// Closes the file.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.finish().context("writing the capture file")?;
        }
        Ok(())
    }
}

/// An `Emit` that writes to an `Output` and counts the visible events that went through.
pub struct OutputEmit<'a> {
    /// Where frames go.
    pub out: &'a mut Output,
    /// Called with each visible event written.
    pub on_visible: &'a mut dyn FnMut(&scap_common::event::Event),
}

impl Emit for OutputEmit<'_> {
    fn emit(&mut self, frame: Frame) -> Result<(), StageError> {
        if let Frame::Event(e) = &frame {
            if !e.is_hidden() {
                (self.on_visible)(e);
            }
        }
        self.out.write(frame).map_err(|e| StageError::Failed { stage: "write", what: format!("{e:#}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strftime_names_use_the_events_local_time() {
        // 2017-09-23 00:44:33 UTC, the 266th day of the year.
        let ts = 1_506_127_473_900_000_000;
        let name = strftime_name("/tmp/o-%Y%m%d-%H%M%S-%j-%y-%s-%e-%%-%q.scap", ts, &Tz::utc());
        assert_eq!(name, "/tmp/o-20170923-004433-266-17-1506127473-23-%-%q.scap");
        let plus2 = Tz::from_posix("XYZ-2").expect("a POSIX zone");
        assert_eq!(strftime_name("%H:%M %j", ts, &plus2), "02:44 266");
        assert_eq!(strftime_name("%j %Y", 1_704_067_200_000_000_000, &Tz::utc()), "001 2024");
        assert_eq!(strftime_name("%j", 1_735_603_200_000_000_000, &Tz::utc()), "366");
    }
}
