//! scap-top: csysdig's views of a scap stream (interactive, or as JSON and text).

use clap::Parser;
use scap_common::exit;

/// Shows a scap stream as csysdig's interactive views.
#[derive(Parser, Debug)]
#[command(name = "scap-top", version, about, after_help = exit::HELP_FOOTER)]
struct Cli {
    #[command(flatten)]
    args: scap_top::Args,
}

fn main() {
    let cli = Cli::parse();
    let code = match scap_top::Config::from_args(&cli.args).and_then(|c| scap_top::run(&c)) {
        Ok(code) => code,
        Err(e) => exit::report("scap-top", e.as_ref()),
    };
    std::process::exit(code);
}
