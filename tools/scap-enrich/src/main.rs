//! scap-enrich: the binary. Parses arguments and runs `scap_enrich::run` between stdin (or `-r`)
//! and stdout (or `-w`).

use std::fs::File;
use std::io::{self, IsTerminal, Write};

use anyhow::{bail, Context};
use clap::Parser;
use scap_common::wire::FrameWriter;
use scap_common::{exit, input::Source};

/// Add container, user and /proc knowledge to a live scap stream.
#[derive(Parser)]
#[command(name = "scap-enrich", version, after_help = exit::HELP_FOOTER)]
struct Cli {
    #[command(flatten)]
    args: scap_enrich::Args,
}

fn main() {
    let cli = Cli::parse();
    let code = match run(&cli.args) {
        Ok(code) => code,
        Err(e) => exit::report("scap-enrich", e.as_ref()),
    };
    std::process::exit(code);
}

fn run(args: &scap_enrich::Args) -> anyhow::Result<i32> {
    let config = scap_enrich::Config::from_args(args);
    if args.output.write.is_none() && !args.output.force && io::stdout().is_terminal() {
        bail!("refusing to write a binary stream to a terminal; redirect stdout, use -w FILE, or --force");
    }
    let source = Source::open_path(&args.input.read)?;
    let sink: Box<dyn Write> = match &args.output.write {
        Some(path) => Box::new(File::create(path).with_context(|| format!("creating {path}"))?),
        None => Box::new(io::stdout().lock()),
    };
    let sink: Box<dyn Write> =
        if args.output.compress { Box::new(zstd::stream::write::Encoder::new(sink, 3)?.auto_finish()) } else { sink };
    let mut writer = FrameWriter::new(sink);
    let enricher = scap_enrich::Enricher::new(config);
    let outcome = scap_enrich::run(enricher, source, &mut writer, |w| w.flush())?;
    writer.into_inner()?.flush()?;
    Ok(match outcome.input_error {
        Some(e) => exit::report("scap-enrich", &e),
        None => exit::OK,
    })
}
