//! The second run sysdig's export chisels ask for.
//!
//! `around`, `spy_logs` and `spy_syslog` (ours and sysdig's files), given a dump file name,
//! collect the times of the events they report and, at the end, call
//! `sysdig.run_app("-F -rSOURCE -wDUMP FILTER")`, where the filter selects the events within
//! a range around each match on the same thread (`evt.around[T]=MS and thread.tid=TID`, joined
//! with `or`). sysdig then runs itself again with those words: it reads the source again and
//! writes the events the filter keeps to the dump file. `Export` is that run: the source read
//! again, scap-filter's `FilterStage` (which keeps the events that change state, hidden, as
//! `-F` asks) and a `.scap` writer.

use std::io::BufWriter;

use scap_common::input::Source;
use scap_common::scap::ScapWriter;
use scap_common::stage::{self, Emit, StageError};
use scap_common::wire::Frame;

/// A run of `sysdig -F -rSOURCE -wDUMP FILTER`, as a chisel asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The trace to read again.
    pub read: String,
    /// The `.scap` file to write.
    pub write: String,
    /// The filter the written events match.
    pub filter: String,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The filter the chisel built does not compile.
    #[error("export filter: {0}")]
    Filter(String),
    /// The source cannot be read again (a live capture or a pipe cannot).
    #[error("cannot read {0} again to export events: {1}")]
    Source(String, String),
    /// The dump file cannot be written.
    #[error("{0}: {1}")]
    Write(String, std::io::Error),
    /// Reading or filtering failed.
    #[error("export to {0}: {1}")]
    Run(String, StageError),
}

impl Export {
    /// The export a chisel's `sysdig.run_app` words describe, or `None` when they are not one
    /// (no `-r` or no `-w`). Words are split on spaces, as sysdig splits them; `-rFILE` and
    /// `-r FILE` both work.
    pub fn parse(args: &str) -> Option<Export> {
        let mut words = args.split(' ');
        let (mut read, mut write) = (None, None);
        let mut filter = Vec::new();
        while let Some(w) = words.next() {
            match w {
                "" | "-F" => {}
                "-r" => read = words.next().map(str::to_string),
                "-w" => write = words.next().map(str::to_string),
                _ if w.starts_with("-r") => read = Some(w[2..].to_string()),
                _ if w.starts_with("-w") => write = Some(w[2..].to_string()),
                _ => filter.push(w),
            }
        }
        Some(Export { read: read.filter(|r| !r.is_empty())?, write: write?, filter: filter.join(" ") })
    }

    /// Reads the source again and writes the events the filter keeps (and, hidden, those that
    /// change state) to the dump file. Returns the number of events that matched. An empty
    /// filter (a chisel that matched nothing) exports every event, as sysdig does.
    pub fn run(&self) -> Result<u64, ExportError> {
        let mut filter = match self.filter.trim() {
            "" => None,
            f => Some(scap_filter::FilterStage::new(
                scap_filter::Config::new(f).map_err(|e| ExportError::Filter(e.to_string()))?,
            )),
        };
        let source =
            Source::open_path(&self.read).map_err(|e| ExportError::Source(self.read.clone(), e.to_string()))?;
        let file = std::fs::File::create(&self.write).map_err(|e| ExportError::Write(self.write.clone(), e))?;
        let mut sink = ScapSink { writer: Some(ScapWriter::new(BufWriter::new(file))), n_events: 0 };
        let result = match &mut filter {
            Some(f) => stage::run(source, f, &mut sink),
            None => stage::run(source, &mut Everything, &mut sink),
        };
        let summary = result.map_err(|e| ExportError::Run(self.write.clone(), e))?;
        let writer = sink.writer.take().expect("the writer is taken once");
        writer.finish().map_err(|e| ExportError::Write(self.write.clone(), e))?;
        if let Some(e) = summary.input_error {
            return Err(ExportError::Source(self.read.clone(), e.to_string()));
        }
        Ok(filter.map_or(sink.n_events, |f| f.n_matched()))
    }
}

/// The stage of an export without a filter: every frame goes on.
struct Everything;

impl stage::Stage for Everything {
    fn on_frame(&mut self, frame: Frame, out: &mut dyn Emit) -> Result<stage::Flow, StageError> {
        out.emit(frame)?;
        Ok(stage::Flow::Continue)
    }

    fn on_borrowed_frame(&mut self, frame: &Frame, out: &mut dyn Emit) -> Result<stage::Flow, StageError> {
        out.emit_ref(frame)?;
        Ok(stage::Flow::Continue)
    }
}

struct ScapSink {
    writer: Option<ScapWriter<BufWriter<std::fs::File>>>,
    n_events: u64,
}

impl Emit for ScapSink {
    fn emit(&mut self, frame: Frame) -> Result<(), StageError> {
        if matches!(frame, Frame::Event(_)) {
            self.n_events += 1;
        }
        match &mut self.writer {
            Some(w) => w.write(&frame).map_err(StageError::Io),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_words_the_export_chisels_build() {
        let e = Export::parse("-F -r/t/a.scap -w/tmp/out.scap (evt.around[1.5]=1000 and thread.tid=7) or (x=1)");
        assert_eq!(
            e,
            Some(Export {
                read: "/t/a.scap".into(),
                write: "/tmp/out.scap".into(),
                filter: "(evt.around[1.5]=1000 and thread.tid=7) or (x=1)".into()
            })
        );
        let e = Export::parse("-r a -w b  proc.name=x").expect("an export");
        assert_eq!((e.read.as_str(), e.write.as_str(), e.filter.as_str()), ("a", "b", "proc.name=x"));
        assert_eq!(Export::parse("-F -r -wout x=1"), None);
        assert_eq!(Export::parse("-c topprocs_cpu"), None);
    }
}
