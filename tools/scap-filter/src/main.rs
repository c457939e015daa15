//! scap-filter: keeps the events of a scap stream that match a sysdig filter.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{bail, Context};
use clap::Parser;
use scap_common::{exit, input::Source, stage, wire::FrameWriter};

/// Keep the events of a scap stream that match a sysdig filter expression.
#[derive(Parser)]
#[command(
    name = "scap-filter",
    version,
    after_help = "Exit status: 0 some event matched, 1 no event matched, 2 error (bad filter, bad input, cut stream), 130 interrupted."
)]
struct Cli {
    #[command(flatten)]
    args: scap_filter::Args,
}

fn main() {
    let cli = Cli::parse();
    let code = run(&cli.args).unwrap_or_else(|e| exit::report("scap-filter", e.as_ref()));
    std::process::exit(code);
}

fn run(args: &scap_filter::Args) -> anyhow::Result<i32> {
    let config = scap_filter::Config::from_args(args)?;
    if args.output.write.is_none() && !args.output.force && io::stdout().is_terminal() {
        bail!("refusing to write a binary stream to a terminal; redirect stdout, use -w FILE, or --force");
    }
    let source = Source::open_path(&args.input.read)?;
    let sink: Box<dyn Write> = match &args.output.write {
        Some(path) => Box::new(File::create(path).with_context(|| format!("creating {path}"))?),
        None => Box::new(stage::stdout_file()?),
    };
    let sink: Box<dyn Write> =
        if args.output.compress { Box::new(zstd::stream::write::Encoder::new(sink, 3)?.auto_finish()) } else { sink };
    let mut out = FrameWriter::new(BufWriter::with_capacity(1 << 16, sink));
    let mut filter = scap_filter::FilterStage::new(config);
    let summary = stage::run(source, &mut filter, &mut out)?;
    out.into_inner()?.flush()?;
    let n_matched = filter.n_matched();
    // The process exits next: freeing the state's tables one by one would only cost time.
    std::mem::forget(filter);
    Ok(match summary.input_error {
        Some(e) => exit::report("scap-filter", &e),
        None if n_matched == 0 => exit::NO_MATCH,
        None => exit::OK,
    })
}
