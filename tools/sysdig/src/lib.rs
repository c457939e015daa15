//! The `sysdig` command line, composed in this process from the stage libraries: scap-record
//! (live capture), common's `Source` (trace files and streams), scap-filter, scap-print and
//! scap-chisel. No stage is serialized to another: frames go from the reader or capture thread
//! to the main thread over a channel, and from there by direct calls.
//!
//! - `args`: sysdig 0.29.3's getopt-style command line;
//! - `run`: what runs for a command line, and the loops that drive the stages;
//! - `output`: `-w` and its rotation flags; `summary`: `-S`; `progress`: `-P`;
//! - `listing`: `-L`, `-l`, `--list-markdown` (`-cl` and `-i` come from scap-chisel).

pub mod args;
pub mod listing;
pub mod output;
pub mod proclist;
pub mod progress;
pub mod run;
pub mod summary;

/// Runs sysdig with `argv` (without the program name); returns the exit status. Errors are
/// printed as one line, as sysdig words them, with exit status 2.
pub fn main_with(argv: &[String]) -> i32 {
    let result = args::parse(argv).and_then(|o| run::run(&o));
    match result {
        Ok(code) => code,
        Err(e) => {
            if scap_common::exit::is_broken_pipe(e.as_ref()) {
                return 0;
            }
            eprintln!("{}", scap_common::exit::one_line(e.as_ref()));
            scap_common::exit::ERROR
        }
    }
}

/// `--help`.
pub const USAGE: &str = r#"sysdig (scap tools) - sysdig's command line over the scap stages
Usage: sysdig [options] [-p <output_format>] [filter]

Options:
 -A, --print-ascii  Print only the printable text of data buffers, with their line breaks.
 -b, --print-base64 Print data buffers in base64.
 -B<bpf_probe>, --bpf=<bpf_probe>
                    Accepted for compatibility: live capture always uses our eBPF probe.
 -c <chiselname> <chiselargs>, --chisel <chiselname> <chiselargs>
                    Run a chisel. A chisel that takes arguments reads them from the next
                    word (quote it to pass several); the remaining words are the filter.
 -cl, --list-chisels
                    List the chisels: ./chisels, ~/.chisels, the built-in ones, then
                    $SCAP_CHISEL_DIR and /usr/share/sysdig/chisels.
 -C <file_size>, --file-size=<file_size>
                    With -w: start a new file when the current one is larger than
                    <file_size> million bytes. Files are named after -w with a number
                    after it, from 0. -W limits how many are kept.
 -d, --displayflt   Apply the filter to what is shown only: with -w, every event is
                    written. (State is always complete, so the filter never loses it.)
 -D, --debug        Also show internal events (procinfo, drops, ...).
 -E, --exclude-users
                    Accepted for compatibility.
 -e <num_events>    With -w: start a new file every <num_events> events (-W limits how
                    many are kept).
 -F, --fatfile      Accepted; not needed: with a filter, -w always keeps the events that
                    change state, hidden, so a filtered file never loses fd or process names.
 --filter-proclist  With -w and a filter: apply the filter to the process table written at
                    the start of the file too, so it holds only matching processes and fds.
 -G <num_seconds>, --seconds=<num_seconds>
                    With -w: start a new file every <num_seconds> seconds of capture. With
                    -W (and no -C), stop after that many files. strftime(3) patterns in
                    the -w name (%Y%m%d-%H%M%S) name each file after its first event's
                    time; the first file is first_dump.scap, as in sysdig.
 -h, --help         Print this page.
 -i <chiselname>, --chisel-info <chiselname>
                    Describe a chisel and its arguments.
 -j, --json         Print events as JSON objects, one per line.
 -L, --list-events  List the event types and their parameters.
 -l, --list         List the fields usable in filters and -p formats (-lv: with types).
 --list-markdown    The same as -l, as markdown.
 -M <num_seconds>   Stop after <num_seconds> seconds (of capture time for a trace).
 -n <num>, --numevents=<num>
                    Stop after <num> events.
 --page-faults      Also capture page faults (live).
 -P, --progress     Show the progress of reading a trace file on stderr.
 -p <output_format>, --print=<output_format>
                    The format of each event line, with the fields of -l (%proc.name ...).
                    -pc (-pcontainer): the container line; -pk (-pkubernetes): the
                    Kubernetes line.
 -q, --quiet        Print no events (useful with -w, -S or -v).
 -R, --resolve-ports
                    Show port numbers as service names (from /etc/services) in socket
                    names and tuples.
 -r <readfile>, --read=<readfile>
                    Read events from <readfile>: a .scap trace (plain or gzip), or a scap
                    stream (plain or zstd), as scap-record writes it; - reads stdin, e.g.
                    ssh HOST sudo scap-record | sysdig -r -
 -S, --summary      Print the number of events of each type at the end.
 -s <len>, --snaplen=<len>
                    Capture the first <len> bytes of each I/O buffer (live; default 80).
 -t <timetype>, --timetype=<timetype>
                    How the time column shows time: h (local time of day), a (seconds
                    since the epoch), r (since the first event), d (since the enter event),
                    D (since the previous event shown).
 -T, --force-tracers-capture
                    Accepted for compatibility.
 --unbuffered       Write each line as soon as it is printed.
 -U <comm>, --suppress-comm=<comm>
                    Ignore the events of processes named <comm>.
 -v, --verbose      Print data buffers in full, and capture statistics (events, drops) on
                    stderr at the end.
 --version          Print the version.
 -w <writefile>, --write=<writefile>
                    Write the events (those that pass the filter) to <writefile> as a .scap
                    trace, which sysdig and Wireshark open.
 --stream           With -w: write the native scap stream (what scap-record writes)
                    instead of .scap; a name ending in .scz does the same, zstd-compressed.
 -W <num>, --limit <num>
                    With -C or -e: keep at most <num> files, reusing the oldest names. With
                    -G: stop after <num> files.
 -x, --print-hex    Print data buffers in hex.
 -X, --print-hex-ascii
                    Print data buffers in hex and ASCII.
 -z, --compress     With -w: compress the file (gzip for .scap, zstd for the stream).

Live capture scoping (scap tools only):
 --run '<command>'  Run <command> with /bin/sh and capture it and its descendants only.
 --pid <pid>        Capture process <pid> and its descendants only.

Not supported: plugins (-H, -I, -Il), Kubernetes and Mesos API servers (-k, -K, -m,
--node-name, -pm).

The default line is
 %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
with -pc
 %evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info
and with -pk
 %evt.num %evt.outputtime %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info

Examples:
 sysdig -r trace.scap proc.name=cat and evt.type=open
 sysdig -p"%evt.arg.name" -r trace.scap evt.type=open
 sysdig -r trace.scap -c topprocs_cpu
 sudo sysdig -w capture.scap --run 'make -j2'
 ssh web1 sudo scap-record -M 30 | sysdig -r - -c spy_users

Exit status: 0 success, 2 error (bad arguments, bad filter, unreadable or cut input).
"#;
