//! sysdig 0.29.3's command line, read the way its getopt_long reads it: short options bundle
//! (`-qv`), values attach or follow (`-p"%evt.num"`, `-n 10`, `-zw f`), long options take
//! `--name=value` or `--name value`, options may come after the filter words, `--` ends the
//! options. The words that are not options are the filter, joined with spaces, except the word
//! a chisel takes as its arguments (sysdig's rule, see `chisel_words`).

use anyhow::{bail, Context, Result};
use scap_common::cli::{getopt, GetoptError, Takes, Word};

fn short_spec(c: char) -> Option<Takes> {
    Some(match c {
        'A' | 'b' | 'd' | 'D' | 'E' | 'F' | 'h' | 'j' | 'l' | 'L' | 'P' | 'q' | 'R' | 'S' | 'T' | 'v' | 'x' | 'X'
        | 'z' => Takes::Nothing,
        'c' | 'C' | 'e' | 'G' | 'H' | 'i' | 'I' | 'k' | 'K' | 'm' | 'M' | 'n' | 'p' | 'r' | 's' | 't' | 'U' | 'W'
        | 'w' => Takes::Value,
        'B' => Takes::Optional,
        _ => return None,
    })
}

/// Long options: the short option they stand for (`-` for long-only ones) and what they take.
fn long_spec(name: &str) -> Option<(char, Takes)> {
    use Takes::*;
    Some(match name {
        "print-ascii" => ('A', Nothing),
        "print-base64" => ('b', Nothing),
        "bpf" => ('B', Optional),
        "chisel" => ('c', Value),
        "list-chisels" => ('-', Nothing),
        "file-size" => ('C', Value),
        "displayflt" => ('d', Nothing),
        "debug" => ('D', Nothing),
        "exclude-users" => ('E', Nothing),
        "fatfile" => ('F', Nothing),
        "seconds" => ('G', Value),
        "help" => ('h', Nothing),
        "plugin" => ('H', Value),
        "input" => ('I', Value),
        "chisel-info" => ('i', Value),
        "json" => ('j', Nothing),
        "k8s-api" => ('k', Value),
        "k8s-api-cert" => ('K', Value),
        "list-events" => ('L', Nothing),
        "list" => ('l', Nothing),
        "mesos-api" => ('m', Value),
        "numevents" => ('n', Value),
        "progress" => ('P', Nothing),
        "print" => ('p', Value),
        "quiet" => ('q', Nothing),
        "resolve-ports" => ('R', Nothing),
        "read" => ('r', Value),
        "summary" => ('S', Nothing),
        "snaplen" => ('s', Value),
        "timetype" => ('t', Value),
        "force-tracers-capture" => ('T', Nothing),
        "suppress-comm" => ('U', Value),
        "verbose" => ('v', Nothing),
        "write" => ('w', Value),
        "limit" => ('W', Value),
        "print-hex" => ('x', Nothing),
        "print-hex-ascii" => ('X', Nothing),
        "compress" => ('z', Nothing),
        "cri" | "cri-timeout" | "node-name" | "plugin-config-file" | "run" | "pid" => ('-', Value),
        "unbuffered" | "list-markdown" | "filter-proclist" | "page-faults" | "version" | "libs-version"
        | "large-environment" | "stream" => ('-', Nothing),
        _ => return None,
    })
}

/// A `-c NAME` on the command line.
#[derive(Clone, Debug, Default)]
pub struct ChiselArg {
    /// The chisel's name or path.
    pub name: String,
    /// The index in `Options::words` of the word right after the option, when that word is
    /// not an option (the one sysdig hands to the chisel as its arguments, if it takes any).
    pub next_word: Option<usize>,
}

/// Everything the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub print_ascii: bool,
    pub print_base64: bool,
    pub print_hex: bool,
    pub print_hex_ascii: bool,
    pub chisels: Vec<ChiselArg>,
    pub list_chisels: bool,
    pub chisel_info: Option<String>,
    /// -C, in millions of bytes.
    pub file_size: Option<u64>,
    pub display_filter: bool,
    pub debug: bool,
    /// -e: events per file.
    pub events_per_file: Option<u64>,
    pub fatfile: bool,
    pub filter_proclist: bool,
    /// -G: seconds per file.
    pub seconds_per_file: Option<u64>,
    pub help: bool,
    pub json: bool,
    pub list_events: bool,
    pub list_fields: bool,
    pub list_markdown: bool,
    /// -M: stop after this many seconds.
    pub duration: Option<u64>,
    pub numevents: Option<u64>,
    pub page_faults: bool,
    pub progress: bool,
    pub print: Option<String>,
    pub quiet: bool,
    pub resolve_ports: bool,
    pub read: Option<String>,
    pub summary: bool,
    pub snaplen: Option<u32>,
    pub timetype: Option<char>,
    pub unbuffered: bool,
    pub suppress_comm: Vec<String>,
    pub verbose: bool,
    pub version: bool,
    pub write: Option<String>,
    /// -W: how many files to keep.
    pub limit: Option<u64>,
    pub compress: bool,
    /// `--stream`: write the native stream with -w even when the name ends in `.scap`.
    pub stream: bool,
    /// Ours: capture this shell command and its descendants (`--run 'CMD'`).
    pub run: Option<String>,
    /// Ours: capture this process tree (`--pid PID`).
    pub pid: Option<u32>,
    /// The words that are not options, in order.
    pub words: Vec<String>,
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T> {
    v.trim().parse::<T>().ok().with_context(|| format!("can't parse the {flag} argument, make sure it's a number"))
}

impl Options {
    fn apply(&mut self, short: char, long: &str, value: Option<String>) -> Result<()> {
        let v = value.unwrap_or_default();
        match (short, long) {
            ('A', _) => self.print_ascii = true,
            ('b', _) => self.print_base64 = true,
            ('B', _) => {} // the eBPF probe is always ours
            ('c', _) => {
                if v == "l" {
                    self.list_chisels = true;
                } else {
                    self.chisels.push(ChiselArg { name: v, next_word: None });
                }
            }
            ('-', "list-chisels") => self.list_chisels = true,
            ('C', _) => self.file_size = Some(number("-C", &v)?),
            ('d', _) => self.display_filter = true,
            ('D', _) => self.debug = true,
            ('E', _) => {}
            ('e', _) => self.events_per_file = Some(number("-e", &v)?),
            ('F', _) => self.fatfile = true,
            ('G', _) => self.seconds_per_file = Some(number("-G", &v)?),
            ('h', _) => self.help = true,
            ('H' | 'I', _) => bail!("plugins are not supported: scap tools read syscall captures only"),
            ('i', _) => self.chisel_info = Some(v),
            ('j', _) => self.json = true,
            ('k' | 'K' | 'm', _) | ('-', "node-name") => {
                bail!("Kubernetes and Mesos API options are not supported; container and pod names come from the runtimes")
            }
            ('L', _) => self.list_events = true,
            ('l', _) => self.list_fields = true,
            ('M', _) => self.duration = Some(number("-M", &v)?),
            ('n', _) => self.numevents = Some(number("-n", &v)?),
            ('P', _) => self.progress = true,
            ('p', _) => self.print = Some(v),
            ('q', _) => self.quiet = true,
            ('R', _) => self.resolve_ports = true,
            ('r', _) => self.read = Some(v),
            ('S', _) => self.summary = true,
            ('s', _) => self.snaplen = Some(number("-s", &v)?),
            ('t', _) => {
                let mut chars = v.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ ('h' | 'a' | 'r' | 'd' | 'D')), None) => self.timetype = Some(c),
                    _ => bail!("invalid modifier for flag -t"),
                }
            }
            ('T', _) => {}
            ('U', _) => self.suppress_comm.push(v),
            ('v', _) => self.verbose = true,
            ('w', _) => self.write = Some(v),
            ('W', _) => self.limit = Some(number("-W", &v)?),
            ('x', _) => self.print_hex = true,
            ('X', _) => self.print_hex_ascii = true,
            ('z', _) => self.compress = true,
            ('-', "unbuffered") => self.unbuffered = true,
            ('-', "list-markdown") => self.list_markdown = true,
            ('-', "filter-proclist") => self.filter_proclist = true,
            ('-', "page-faults") => self.page_faults = true,
            ('-', "version") => self.version = true,
            ('-', "libs-version") => self.version = true,
            ('-', "stream") => self.stream = true,
            ('-', "run") => self.run = Some(v),
            ('-', "pid") => self.pid = Some(number("--pid", &v)?),
            // Accepted for compatibility, no effect: --cri, --cri-timeout, --large-environment,
            // --plugin-config-file.
            _ => {}
        }
        Ok(())
    }
}

/// Reads sysdig's command line (without the program name).
pub fn parse(argv: &[String]) -> Result<Options> {
    let mut o = Options::default();
    // A chisel option waits for the next word to learn whether it is a non-option word.
    let mut chisel_pending: Option<usize> = None;
    let walked = getopt(argv, short_spec, long_spec, |word| {
        let pending = chisel_pending.take();
        match word {
            Word::Opt { short, long, value } => {
                let n_chisels = o.chisels.len();
                o.apply(short, &long, value)?;
                if o.chisels.len() > n_chisels {
                    chisel_pending = Some(n_chisels);
                }
            }
            Word::Plain(w) => {
                if let Some(c) = pending {
                    o.chisels[c].next_word = Some(o.words.len());
                }
                o.words.push(w);
            }
            Word::Rest(rest) => {
                if let (Some(c), false) = (pending, rest.is_empty()) {
                    o.chisels[c].next_word = Some(o.words.len());
                }
                o.words.extend(rest);
            }
        }
        Ok::<_, anyhow::Error>(())
    });
    match walked {
        Err(e) if e.is::<GetoptError>() => bail!("sysdig: {e}"),
        other => other.map(|()| o),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(args: &[&str]) -> Options {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn getopt_forms() {
        let o = p(&["-p%evt.num", "-zw", "f.scap.z", "proc.name=cat", "-r", "t.scap", "and", "evt.type=open"]);
        assert_eq!(o.print.as_deref(), Some("%evt.num"));
        assert!(o.compress);
        assert_eq!(o.write.as_deref(), Some("f.scap.z"));
        assert_eq!(o.read.as_deref(), Some("t.scap"));
        assert_eq!(o.words, ["proc.name=cat", "and", "evt.type=open"]);
        let o = p(&["-pc", "-cl", "-n10", "--numevents=5", "--read", "x"]);
        assert_eq!(o.print.as_deref(), Some("c"));
        assert!(o.list_chisels);
        assert_eq!(o.numevents, Some(5));
        assert_eq!(o.read.as_deref(), Some("x"));
    }

    #[test]
    fn chisel_next_word() {
        let o = p(&["-c", "lsof", "proc.name = nc", "evt.num = 310"]);
        assert_eq!(o.chisels[0].name, "lsof");
        assert_eq!(o.chisels[0].next_word, Some(0));
        let o = p(&["-c", "topprocs_cpu", "-r", "t"]);
        assert_eq!(o.chisels[0].next_word, None);
        let o = p(&["-A", "-cecho_fds", "proc.name=apache2"]);
        assert_eq!(o.chisels[0].name, "echo_fds");
        assert_eq!(o.chisels[0].next_word, Some(0));
    }

    #[test]
    fn errors_are_sysdigs() {
        let e = |a: &[&str]| parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap_err().to_string();
        assert_eq!(e(&["-Z"]), "sysdig: invalid option -- 'Z'");
        assert_eq!(e(&["-r"]), "sysdig: option requires an argument -- 'r'");
        assert_eq!(e(&["-n", "abc"]), "can't parse the -n argument, make sure it's a number");
        assert_eq!(e(&["-t", "q"]), "invalid modifier for flag -t");
    }
}
