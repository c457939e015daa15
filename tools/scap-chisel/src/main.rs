//! scap-chisel: runs a chisel on a scap stream or trace file.

use std::io::{self, BufWriter, IsTerminal, Write};

use clap::Parser;
use scap_chisel::{catalogue, ChiselStage, Config, Mode};
use scap_common::{exit, input::Source, stage};

/// Run a sysdig chisel (built-in or a Lua file) on a scap stream or trace.
#[derive(Parser)]
#[command(name = "scap-chisel", version, after_help = exit::HELP_FOOTER)]
struct Cli {
    #[command(flatten)]
    args: scap_chisel::Args,
}

fn main() {
    // sysdig spells the listing flag -cl; accept it.
    let argv = std::env::args_os().map(|a| if a == "-cl" { "--list".into() } else { a });
    let cli = Cli::parse_from(argv);
    let code = run(&cli.args).unwrap_or_else(|e| exit::report("scap-chisel", e.as_ref()));
    std::process::exit(code);
}

fn run(args: &scap_chisel::Args) -> anyhow::Result<i32> {
    let config = Config::from_args(args)?;
    match &config.mode {
        Mode::List => {
            io::stdout().write_all(catalogue::format_list(&config.dirs.list()).as_bytes())?;
            return Ok(exit::OK);
        }
        Mode::Info(name) => {
            let src = config.dirs.find(name)?;
            let info = catalogue::describe(&src, &config.dirs)
                .ok_or_else(|| anyhow::anyhow!("chisel {name} has no description, short_description or args"))?;
            io::stdout().write_all(catalogue::format_info(&info).as_bytes())?;
            return Ok(exit::OK);
        }
        Mode::Run { .. } => {}
    }
    let out = BufWriter::with_capacity(1 << 16, io::stdout());
    let chisel = config.load(Box::new(out))?;
    let mut stage = ChiselStage::new(chisel);
    stage.reset_terminal_at_end(io::stdout().is_terminal());
    let source = Source::open_path(&args.input.read)?;
    let summary = match stage::run(source, &mut stage, &mut stage::Discard) {
        Ok(s) => s,
        // The chisel's own failures already say which chisel and where.
        Err(stage::StageError::Failed { what, .. }) => anyhow::bail!(what),
        Err(e) => return Err(e.into()),
    };
    if let Some(next) = stage.nextrun_args() {
        // sysdig runs itself again with these arguments. The export chisels (around, spy_logs,
        // spy_syslog) ask for `-F -rSOURCE -wDUMP FILTER`, which we run; anything else is left
        // to the user.
        match scap_chisel::export::Export::parse(&next) {
            Some(export) => {
                export.run()?;
            }
            None => eprintln!("scap-chisel: the chisel asks for another run: sysdig {next}"),
        }
    }
    Ok(match summary.input_error {
        Some(e) => exit::report("scap-chisel", &e),
        None => exit::OK,
    })
}
