//! csysdig: scap-top with csysdig's command line.
//!
//! Reads csysdig 0.29.3's options (getopt style: `-pc`, `-d500`, `--view=procs`, options after
//! the filter) and runs scap-top with them. Without `-r` it captures live: it starts
//! `scap-record` (and `scap-enrich` for container names and users, when installed) next to this
//! binary or on PATH, and shows their stream.

use std::ffi::OsString;
use std::os::fd::IntoRawFd;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};
use scap_common::cli::{getopt, Takes, Word};
use scap_common::exit;

const USAGE: &str = "csysdig (scap tools) - csysdig's interactive views of system activity
Usage: csysdig [options] [filter]

Options:
 -A, --print-ascii  Show the data of echo and dig as ASCII, keeping line breaks.
 -d <period>, --delay=<period>
                    Delay between updates of live views, in milliseconds (at least 100).
 -h, --help         Print this page.
 -j, --json         Print the view's data as JSON instead of showing the UI.
 -l, --list         List the fields that can be used in views and filters.
 --list-views       List the views.
 -n <num>, --numevents=<num>
                    Stop after <num> events.
 --page-faults      Also capture page faults (live).
 -pc, -pcontainer   Add container columns to the views.
 -R, --resolve-ports
                    Show port numbers as service names (/etc/services).
 -r <file>, --read=<file>
                    Read events from <file> (a .scap trace or a scap stream) instead of
                    capturing live.
 --raw              Print the view's data as text instead of showing the UI.
 -s <len>, --snaplen=<len>
                    Capture the first <len> bytes of each I/O buffer (live; default 80).
 --sortingcol=<n>   Sort by column <n> at start.
 -v <view_id>, --view=<view_id>
                    Start with this view (see --list-views), or dig, or echo.
 --views=<dir>      Also load the views defined in <dir> (v_*.lua files).
 --version          Print the version.
 -X, --print-hex-ascii
                    Show the data of echo and dig in hex and ASCII.

Accepted and ignored, for compatibility: -B, -E, -T, --cri, --cri-timeout,
--force-term-compat, --large-environment, --logfile. Kubernetes and Mesos API options
(-k, -K, -m, --node-name) are refused: their views are not part of scap-top.

Keys: F2 views, Enter drill down, Backspace back, F4 filter, F5 echo, F6 dig, F1 help.";

fn short_spec(c: char) -> Option<Takes> {
    Some(match c {
        'A' | 'E' | 'h' | 'j' | 'l' | 'R' | 'T' | 'X' => Takes::Nothing,
        'd' | 'k' | 'K' | 'm' | 'n' | 'p' | 'r' | 's' | 'v' => Takes::Value,
        'B' => Takes::Optional,
        _ => return None,
    })
}

fn long_spec(name: &str) -> Option<(char, Takes)> {
    Some(match name {
        "print-ascii" => ('A', Takes::Nothing),
        "bpf" => ('B', Takes::Optional),
        "delay" => ('d', Takes::Value),
        "exclude-users" => ('E', Takes::Nothing),
        "help" => ('h', Takes::Nothing),
        "k8s-api" => ('k', Takes::Value),
        "k8s-api-cert" => ('K', Takes::Value),
        "json" => ('j', Takes::Nothing),
        "list" => ('l', Takes::Nothing),
        "mesos-api" => ('m', Takes::Value),
        "numevents" => ('n', Takes::Value),
        "print" => ('p', Takes::Value),
        "resolve-ports" => ('R', Takes::Nothing),
        "read" | "readfile" => ('r', Takes::Value),
        "snaplen" => ('s', Takes::Value),
        "force-tracers-capture" => ('T', Takes::Nothing),
        "view" => ('v', Takes::Value),
        "print-hex-ascii" => ('X', Takes::Nothing),
        "node-name" => ('N', Takes::Value),
        "cri" | "cri-timeout" | "logfile" | "from" | "to" | "sortingcol" | "views" => ('-', Takes::Value),
        "raw" | "list-views" | "version" | "page-faults" | "large-environment" | "force-term-compat"
        | "interactive" => ('-', Takes::Nothing),
        _ => return None,
    })
}

/// The options read from the command line.
#[derive(Default)]
struct Parsed {
    args: scap_top::Args,
    snaplen: Option<u32>,
    page_faults: bool,
    help: bool,
    version: bool,
    read_given: bool,
}

fn apply(p: &mut Parsed, short: char, long: &str, value: Option<String>) -> Result<()> {
    let v = || value.clone().unwrap_or_default();
    let num = |what: &str| -> Result<u64> {
        let s = value.clone().unwrap_or_default();
        s.trim()
            .parse::<u64>()
            .with_context(|| format!("can't parse the {what} argument '{s}', make sure it's a number"))
    };
    match (short, long) {
        ('d', _) => p.args.delay = num("-d")?,
        ('n', _) => p.args.numevents = Some(num("-n")?),
        ('j', _) => p.args.json = true,
        ('R', _) => p.args.resolve_ports = true,
        ('A' | 'X', _) => {
            if p.args.ascii || p.args.hex_ascii {
                bail!("you cannot specify more than one output format");
            }
            if short == 'A' {
                p.args.ascii = true;
            } else {
                p.args.hex_ascii = true;
            }
        }
        ('l', _) => p.args.list = true,
        ('p', _) => p.args.print = Some(v()),
        ('r', _) => {
            p.args.read = v();
            p.read_given = true;
        }
        ('s', _) => p.snaplen = Some(num("-s")? as u32),
        ('v', _) => p.args.view = Some(v()),
        ('h', _) => p.help = true,
        ('k' | 'K' | 'm' | 'N', _) => {
            bail!("Kubernetes and Mesos API options are not supported (their views are not part of scap-top)")
        }
        ('-', "raw") => p.args.raw = true,
        ('-', "list-views") => p.args.list_views = true,
        ('-', "version") => p.version = true,
        ('-', "page-faults") => p.page_faults = true,
        ('-', "sortingcol") => p.args.sortingcol = Some(num("--sortingcol")? as usize),
        ('-', "views") => p.args.views.push(PathBuf::from(v())),
        ('-', "interactive") => bail!("--interactive (csysdig's stdin protocol) is not supported"),
        // Accepted for compatibility, no effect here.
        _ => {}
    }
    Ok(())
}

/// Parses csysdig's command line: options anywhere, the rest is the filter.
fn parse(argv: &[String]) -> Result<Parsed> {
    let mut p = Parsed {
        args: scap_top::Args { read: "-".into(), delay: 2000, ..scap_top::Args::default() },
        ..Parsed::default()
    };
    let mut filter = Vec::new();
    getopt(argv, short_spec, long_spec, |word| {
        match word {
            Word::Opt { short, long, value } => apply(&mut p, short, &long, value)?,
            Word::Plain(w) => filter.push(w),
            Word::Rest(rest) => filter.extend(rest),
        }
        Ok::<_, anyhow::Error>(())
    })?;
    p.args.filter = filter;
    Ok(p)
}

/// A program of the workspace: next to this binary first, then on PATH.
fn sibling(name: &str) -> Option<PathBuf> {
    let here = std::env::current_exe().ok()?.parent()?.join(name);
    if here.is_file() {
        return Some(here);
    }
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| PathBuf::from(d).join(name)).find(|p| p.is_file())
}

/// Starts `scap-record` (and `scap-enrich` after it when installed); returns the children and
/// the path of the pipe carrying their stream.
fn start_live(p: &Parsed) -> Result<(Vec<Child>, String)> {
    let record = sibling("scap-record").context("live capture needs scap-record, which is not installed")?;
    let mut cmd = Command::new(&record);
    cmd.arg("-s").arg(p.snaplen.unwrap_or(80).to_string());
    if p.page_faults {
        cmd.arg("--page-faults");
    }
    let mut rec = cmd.stdout(Stdio::piped()).spawn().with_context(|| format!("cannot run {}", record.display()))?;
    let rec_out = rec.stdout.take().context("scap-record has no stdout")?;
    let mut children = vec![rec];
    let last = match sibling("scap-enrich") {
        Some(enrich) => {
            let mut e = Command::new(&enrich)
                .stdin(Stdio::from(rec_out))
                .stdout(Stdio::piped())
                .spawn()
                .with_context(|| format!("cannot run {}", enrich.display()))?;
            let out = e.stdout.take().context("scap-enrich has no stdout")?;
            children.push(e);
            out
        }
        None => {
            // The pipe stays open in this process; scap-top reads it through /proc/self/fd.
            return Ok((children, format!("/proc/self/fd/{}", rec_out.into_raw_fd())));
        }
    };
    Ok((children, format!("/proc/self/fd/{}", last.into_raw_fd())))
}

fn run(argv: &[String]) -> Result<i32> {
    let mut p = parse(argv)?;
    if p.help {
        println!("{USAGE}");
        return Ok(exit::OK);
    }
    if p.version {
        println!("csysdig (scap tools) {}", env!("CARGO_PKG_VERSION"));
        return Ok(exit::OK);
    }
    let mut children = Vec::new();
    let needs_input = !(p.args.list || p.args.list_views);
    if !p.read_given && needs_input {
        let (c, path) = start_live(&p)?;
        children = c;
        p.args.read = path;
    }
    let config = scap_top::Config::from_args(&p.args)?;
    let code = scap_top::run(&config);
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    code
}

fn main() {
    let argv: Vec<String> = std::env::args_os().skip(1).map(|a: OsString| a.to_string_lossy().into_owned()).collect();
    let code = match run(&argv) {
        Ok(c) => c,
        Err(e) => exit::report("csysdig", e.as_ref()),
    };
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn getopt_style_options() {
        let p = parse(&args("-r t.scap -pc -d500 -v procs --raw proc.name=nginx -n 10")).expect("parses");
        assert_eq!(p.args.read, "t.scap");
        assert_eq!(p.args.print.as_deref(), Some("c"));
        assert_eq!(p.args.delay, 500);
        assert_eq!(p.args.view.as_deref(), Some("procs"));
        assert!(p.args.raw);
        assert_eq!(p.args.numevents, Some(10));
        assert_eq!(p.args.filter, vec!["proc.name=nginx".to_string()]);
        let q = parse(&args("--view=syscalls --readfile t -j -E evt.type=open and proc.pid=1")).expect("parses");
        assert_eq!(q.args.view.as_deref(), Some("syscalls"));
        assert!(q.args.json);
        assert_eq!(q.args.filter.join(" "), "evt.type=open and proc.pid=1");
    }

    #[test]
    fn bad_options_say_which() {
        assert!(parse(&args("-Q")).err().map(|e| e.to_string()).unwrap_or_default().contains("'Q'"));
        assert!(parse(&args("-d")).is_err());
        assert!(parse(&args("-d x")).err().map(|e| e.to_string()).unwrap_or_default().contains("-d"));
        assert!(parse(&args("-k http://x")).is_err());
    }
}
