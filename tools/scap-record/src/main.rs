use clap::Parser;
use scap_common::exit;

/// Capture system events live with eBPF, or import a trace, as a scap stream.
#[derive(Parser)]
#[command(name = "scap-record", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    args: scap_record::Args,
}

const AFTER_HELP: &str = "\
Without -r, scap-record captures live (root, or CAP_BPF + CAP_PERFMON + CAP_SYS_PTRACE): a command
after --, a process tree (-p), a cgroup or container, or else the whole host. A -w FILE ending in
.scap is written in libscap's format, which sysdig and Wireshark open. Ctrl+C or SIGTERM ends a
live capture cleanly: the stream or file is complete, and the exit status is 0.

Exit status: 0 success, 2 error (bad input, bad arguments, cut stream, missing privileges).";

fn main() {
    let cli = Cli::parse();
    let verbose = cli.args.verbose;
    let code = match scap_record::Config::from_args(&cli.args).and_then(|c| scap_record::record(&c)) {
        Ok(outcome) => match outcome.input_error {
            Some(e) => exit::report("scap-record", &e),
            None => {
                if let Some(live) = &outcome.live {
                    if verbose {
                        let rate = live.n_events as f64 / live.seconds.max(1e-9);
                        eprintln!(
                            "scap-record: {} events in {:.3} s ({:.0} events/s), {} dropped, ended by {}, {:.3} CPU s",
                            live.n_events, live.seconds, rate, live.n_drops, live.reason, live.cpu_seconds
                        );
                    } else if live.n_drops > 0 {
                        eprintln!("scap-record: {} events dropped by the kernel (ring buffers full)", live.n_drops);
                    }
                }
                exit::OK
            }
        },
        Err(e) => exit::report("scap-record", e.as_ref()),
    };
    std::process::exit(code);
}
