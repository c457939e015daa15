use std::io::{self, BufWriter, IsTerminal, Write};

use clap::Parser;
use scap_common::{exit, input::Source, stage};

/// Print a scap stream (or any trace) as sysdig prints events.
#[derive(Parser)]
#[command(name = "scap-print", version, after_help = exit::HELP_FOOTER)]
struct Cli {
    #[command(flatten)]
    args: scap_print::Args,
}

fn main() {
    let cli = Cli::parse();
    let code = match run(&cli.args) {
        Ok(code) => code,
        Err(e) => exit::report("scap-print", e.as_ref()),
    };
    std::process::exit(code);
}

fn run(args: &scap_print::Args) -> anyhow::Result<i32> {
    let tty = io::stdout().is_terminal();
    if args.list {
        scap_print::list_fields(&mut io::stdout().lock())?;
        return Ok(exit::OK);
    }
    if scap_print::wants_format_listing(args) {
        writeln!(io::stdout(), "{}", scap_print::default_format(tty))?;
        return Ok(exit::OK);
    }
    let tz = scap_print::tz::local(std::env::var("TZ").ok().as_deref());
    let config = scap_print::Config::from_args(args, tz, tty)?;
    let source = Source::open_path(&args.input.read)?;
    let out = BufWriter::with_capacity(1 << 16, stage::stdout_file()?);
    let mut printer = scap_print::Printer::new(config, out)?;
    let summary = stage::run(source, &mut printer, &mut stage::Discard)?;
    Ok(match summary.input_error {
        Some(e) => exit::report("scap-print", &e),
        None => exit::OK,
    })
}
