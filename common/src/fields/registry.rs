//! The table of fields: names, types, descriptions and extractors, and how names are parsed.
//!
//! Fields are listed in the order of sysdig's field classes (evt, evt for syscalls, process,
//! user, group, container, fd, syslog, fdlist, k8s), because a name is resolved the way sysdig
//! resolves it: the first class with a field that is a prefix of the text wins, and within a
//! class the longest such field. Descriptions are our own words.

use super::{container, evt, fd, proc, syslog, user, ArgSpec, Ctx, FieldArg, FieldError, FieldRef, FieldType, Value};
use crate::render::json::Json;
use crate::render::Scratch;
use crate::schema::{self, ParamInfo, ParamType as P, PrintFormat as F};

/// Field flags.
pub mod flag {
    /// Only usable in filters (sysdig refuses to print it).
    pub const FILTER_ONLY: u32 = 1;
    /// Only meaningful when printing (not listed by `-l`).
    pub const PRINT_ONLY: u32 = 2;
    /// Used by tables and views; not listed by `-l`.
    pub const TABLE_ONLY: u32 = 4;
    /// Printed with unprintable bytes removed.
    pub const SANITIZE: u32 = 8;
    /// When it has no value, sysdig prints the value this field last had on an earlier line
    /// (its text buffer is not reset); printers keep the last text per field to match.
    pub const STICKY: u32 = 16;
}

/// The sysdig filter check (field class) a field belongs to; names resolve check by check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Check {
    Gen,
    Evt,
    Thread,
    User,
    Group,
    Container,
    Fd,
    Syslog,
    Fdlist,
    K8s,
}

/// Extracts a field's value.
pub type ExtractFn = for<'a> fn(&Ctx<'a>, &FieldArg) -> Option<Value<'a>>;
/// Appends a field's printed text directly (for fields built from many parts).
pub type WriteFn = for<'a> fn(&Ctx<'a>, &FieldArg, &mut Vec<u8>, &mut Scratch) -> bool;
/// Gives a field's `-j` value when sysdig builds it specially.
pub type JsonFn = for<'a> fn(&Ctx<'a>, &FieldArg) -> Option<Json>;

/// One field.
pub struct FieldInfo {
    /// Full name (`proc.name`).
    pub name: &'static str,
    /// Class as `sysdig -l` groups it (`evt`, `process`, `fd`, ...).
    pub class: &'static str,
    /// Type, for comparisons.
    pub ftype: FieldType,
    /// Whether it takes an argument.
    pub arg: ArgSpec,
    /// What it means, in our words.
    pub desc: &'static str,
    /// The libscap type sysdig renders its value as.
    pub ptype: P,
    /// How sysdig prints numbers of this field.
    pub fmt: F,
    /// `flag` bits.
    pub flags: u32,
    /// The sysdig filter check it belongs to.
    pub check: Check,
    /// How to get its value.
    pub extract: ExtractFn,
    /// How to print it without building a value first, when that matters.
    pub write: Option<WriteFn>,
    /// Its `-j` value, when sysdig does not derive it from the printed value.
    pub json: Option<JsonFn>,
}

const fn class_of(g: Check) -> &'static str {
    match g {
        Check::Gen | Check::Evt => "evt",
        Check::Thread => "process",
        Check::User => "user",
        Check::Group => "group",
        Check::Container => "container",
        Check::Fd => "fd",
        Check::Syslog => "syslog",
        Check::Fdlist => "fdlist",
        Check::K8s => "k8s",
    }
}

const fn ftype_of(p: P) -> FieldType {
    match p {
        P::Int8 | P::Int16 | P::Int32 | P::Int64 => FieldType::Int64,
        P::Uint8 | P::Uint16 | P::Uint32 | P::Uint64 => FieldType::Uint64,
        P::Charbuf => FieldType::String,
        P::Bytebuf => FieldType::Bytes,
        P::Bool => FieldType::Bool,
        P::Double => FieldType::Double,
        P::IpAddr | P::Ipv4Addr | P::Ipv6Addr => FieldType::IpAddr,
        P::IpNet => FieldType::IpNet,
        P::Port => FieldType::Port,
        P::Reltime => FieldType::RelTime,
        P::Abstime => FieldType::AbsTime,
        P::Pid => FieldType::Pid,
        _ => FieldType::Dynamic,
    }
}

macro_rules! f {
    ($g:ident, $name:literal, $p:ident, $fmt:ident, $arg:ident, $flags:expr, $desc:literal, $ex:expr) => {
        f!($g, $name, $p, $fmt, $arg, $flags, $desc, $ex, None, None)
    };
    ($g:ident, $name:literal, $p:ident, $fmt:ident, $arg:ident, $flags:expr, $desc:literal, $ex:expr, $w:expr, $j:expr) => {
        FieldInfo {
            name: $name,
            class: class_of(Check::$g),
            ftype: ftype_of(P::$p),
            arg: ArgSpec::$arg,
            desc: $desc,
            ptype: P::$p,
            fmt: F::$fmt,
            flags: $flags,
            check: Check::$g,
            extract: $ex,
            write: $w,
            json: $j,
        }
    };
}

use flag::{FILTER_ONLY as FO, PRINT_ONLY as PO, SANITIZE as SN, STICKY as ST, TABLE_ONLY as TO};

/// Every known field, in sysdig's class order.
#[rustfmt::skip]
pub static FIELDS: &[FieldInfo] = &[
    // evt (all event types)
    f!(Gen, "evt.num", Uint64, Id, None, 0, "the event's number in the capture", evt::num),
    f!(Gen, "evt.time", Charbuf, Na, None, 0, "the event's time of day, local, with nanoseconds", evt::time_ns, Some(evt::w_time), Some(evt::j_ts)),
    f!(Gen, "evt.time.s", Charbuf, Na, None, 0, "the event's time of day, local, whole seconds", evt::time_s, Some(evt::w_time_s), Some(evt::j_ts)),
    f!(Gen, "evt.time.iso8601", Charbuf, Na, None, 0, "the event's time in ISO 8601 form, in UTC, with nanoseconds", evt::time_iso, Some(evt::w_time_iso), Some(evt::j_ts)),
    f!(Gen, "evt.datetime", Charbuf, Na, None, 0, "the event's local date and time with nanoseconds", evt::datetime, Some(evt::w_datetime), Some(evt::j_ts)),
    f!(Gen, "evt.datetime.s", Charbuf, Na, None, 0, "the event's local date and time, whole seconds", evt::datetime_s, Some(evt::w_datetime_s), Some(evt::j_ts)),
    f!(Gen, "evt.rawtime", Abstime, Dec, None, 0, "the event's timestamp in nanoseconds since the epoch", evt::rawtime, None, Some(evt::j_rawtime)),
    f!(Gen, "evt.rawtime.s", Abstime, Dec, None, 0, "whole seconds of the event's timestamp", evt::rawtime_s, None, Some(evt::j_rawtime_s)),
    f!(Gen, "evt.rawtime.ns", Abstime, PaddedDec, None, 0, "nanoseconds within the second of the event's timestamp", evt::rawtime_ns, None, Some(evt::j_rawtime_ns)),
    f!(Gen, "evt.reltime", Reltime, PaddedDec, None, 0, "nanoseconds since the first event of the capture", evt::reltime, None, Some(evt::j_reltime)),
    f!(Gen, "evt.reltime.s", Reltime, Dec, None, 0, "whole seconds since the first event of the capture", evt::reltime_s, None, Some(evt::j_reltime_s)),
    f!(Gen, "evt.reltime.ns", Reltime, PaddedDec, None, 0, "nanoseconds part of the time since the first event", evt::reltime_ns, None, Some(evt::j_reltime_ns)),
    f!(Gen, "evt.pluginname", Charbuf, Na, None, 0, "the plugin that produced the event (plugin events only)", evt::none),
    f!(Gen, "evt.plugininfo", Charbuf, Na, None, 0, "the plugin's one-line summary of the event (plugin events only)", evt::none),
    // evt (syscall events)
    f!(Evt, "evt.latency", Reltime, Dec, None, 0, "nanoseconds between an exit event and its enter event", evt::latency, None, Some(evt::j_latency)),
    f!(Evt, "evt.latency.s", Reltime, Dec, None, 0, "whole seconds of the event's latency", evt::latency_s, None, Some(evt::j_latency_s)),
    f!(Evt, "evt.latency.ns", Reltime, PaddedDec, None, 0, "nanoseconds part of the event's latency", evt::latency_ns, None, Some(evt::j_latency_ns)),
    f!(Evt, "evt.latency.quantized", Uint64, Dec, None, TO, "the event's latency on a log10 scale, for histograms", evt::latency_quantized),
    f!(Evt, "evt.latency.human", Charbuf, Na, None, ST, "the event's latency in readable units, like 10.3ms", evt::latency_human),
    f!(Evt, "evt.deltatime", Reltime, Dec, None, 0, "nanoseconds since the previous event shown", evt::deltatime, None, Some(evt::j_zero)),
    f!(Evt, "evt.deltatime.s", Reltime, Dec, None, 0, "whole seconds since the previous event shown", evt::deltatime_s, None, Some(evt::j_zero)),
    f!(Evt, "evt.deltatime.ns", Reltime, PaddedDec, None, 0, "nanoseconds part of the time since the previous event shown", evt::deltatime_ns, None, Some(evt::j_zero)),
    f!(Evt, "evt.outputtime", Charbuf, Na, None, PO, "the event's time in the format chosen with -t", evt::outputtime, Some(evt::w_outputtime), Some(evt::j_ts)),
    f!(Evt, "evt.dir", Charbuf, Dir, None, 0, "'>' for an enter event, '<' for an exit event", evt::dir),
    f!(Evt, "evt.type", Charbuf, Na, None, 0, "the event's name, such as open or execve", evt::etype),
    f!(Evt, "evt.type.is", Uint32, Na, Required, 0, "1 if the event is of the type named in the argument (evt.type.is.open), else 0", evt::type_is),
    f!(Evt, "syscall.type", Charbuf, Na, None, 0, "the system call's name; unset for events that are not system calls", evt::syscall_type),
    f!(Evt, "evt.category", Charbuf, Na, None, 0, "the event's category: file, net, memory, process, I/O kinds and so on", evt::category),
    f!(Evt, "evt.cpu", Int16, Id, None, 0, "the CPU the event happened on", evt::cpu),
    f!(Evt, "evt.args", Charbuf, Na, None, 0, "all of the event's parameters as one string", evt::args, Some(evt::w_args), None),
    f!(Evt, "evt.arg", Charbuf, Na, Required, 0, "one parameter, by name (evt.arg.fd) or position (evt.arg[0]), resolved to text when possible", evt::arg, Some(evt::w_arg), None),
    f!(Evt, "evt.rawarg", Dyn, Na, Required, 0, "one parameter by name (evt.rawarg.res), as its raw value", evt::rawarg),
    f!(Evt, "evt.info", Charbuf, Na, None, 0, "the event's parameters, or a decoded summary where there is one (syslog writes)", evt::info, Some(evt::w_info), None),
    f!(Evt, "evt.buffer", Bytebuf, Na, None, 0, "the data buffer of I/O events (read, write, sendto...)", evt::buffer, Some(evt::w_buffer), None),
    f!(Evt, "evt.buflen", Uint64, Dec, None, 0, "the number of bytes an I/O event transferred", evt::buflen),
    f!(Evt, "evt.res", Charbuf, Dec, None, 0, "SUCCESS, or the error name of a failed call", evt::res),
    f!(Evt, "evt.rawres", Int64, Dec, None, 0, "the call's return value as a number", evt::rawres),
    f!(Evt, "evt.failed", Bool, Na, None, 0, "true when the call returned an error", evt::failed),
    f!(Evt, "evt.is_io", Bool, Na, None, 0, "true for events that read or write an fd", evt::is_io),
    f!(Evt, "evt.is_io_read", Bool, Na, None, 0, "true for events that read from an fd", evt::is_io_read),
    f!(Evt, "evt.is_io_write", Bool, Na, None, 0, "true for events that write to an fd", evt::is_io_write),
    f!(Evt, "evt.io_dir", Charbuf, Na, None, 0, "read or write, for I/O events", evt::io_dir),
    f!(Evt, "evt.is_wait", Bool, Na, None, 0, "true for events that make the thread wait (sleep, select, poll)", evt::is_wait),
    f!(Evt, "evt.wait_latency", Reltime, Dec, None, 0, "for waiting calls, nanoseconds spent waiting", evt::wait_latency),
    f!(Evt, "evt.is_syslog", Bool, Na, None, 0, "true for writes to /dev/log", evt::is_syslog),
    f!(Evt, "evt.count", Uint32, Dec, None, 0, "always 1; sums to an event count", evt::count, None, Some(evt::j_count)),
    f!(Evt, "evt.count.error", Uint32, Dec, None, 0, "1 for calls that failed", evt::count_error),
    f!(Evt, "evt.count.error.file", Uint32, Dec, None, 0, "1 for failed calls on files", evt::count_error_file),
    f!(Evt, "evt.count.error.net", Uint32, Dec, None, 0, "1 for failed calls on sockets", evt::count_error_net),
    f!(Evt, "evt.count.error.memory", Uint32, Dec, None, 0, "1 for failed memory calls", evt::count_error_memory),
    f!(Evt, "evt.count.error.other", Uint32, Dec, None, 0, "1 for failed calls of any other kind", evt::count_error_other),
    f!(Evt, "evt.count.exit", Uint32, Dec, None, 0, "1 for exit events", evt::count_exit),
    f!(Evt, "evt.count.procinfo", Uint32, Dec, None, TO, "1 for procinfo events of main threads", evt::count_procinfo),
    f!(Evt, "evt.count.threadinfo", Uint32, Dec, None, TO, "1 for procinfo events", evt::count_threadinfo),
    f!(Evt, "evt.around", Uint64, Dec, Required, FO, "true for events within the given number of milliseconds of a timestamp (filters only)", evt::none),
    f!(Evt, "evt.abspath", Charbuf, Na, Optional, 0, "the absolute path a *at call refers to; evt.abspath.src and .dst for renames and links", evt::abspath),
    f!(Evt, "evt.buflen.in", Uint64, Dec, None, TO, "bytes transferred by input I/O events", evt::buflen_in),
    f!(Evt, "evt.buflen.out", Uint64, Dec, None, TO, "bytes transferred by output I/O events", evt::buflen_out),
    f!(Evt, "evt.buflen.file", Uint64, Dec, None, TO, "bytes transferred by file I/O events", evt::buflen_file),
    f!(Evt, "evt.buflen.file.in", Uint64, Dec, None, TO, "bytes read from files", evt::buflen_file_in),
    f!(Evt, "evt.buflen.file.out", Uint64, Dec, None, TO, "bytes written to files", evt::buflen_file_out),
    f!(Evt, "evt.buflen.net", Uint64, Dec, None, TO, "bytes transferred on network sockets", evt::buflen_net),
    f!(Evt, "evt.buflen.net.in", Uint64, Dec, None, TO, "bytes received on network sockets", evt::buflen_net_in),
    f!(Evt, "evt.buflen.net.out", Uint64, Dec, None, TO, "bytes sent on network sockets", evt::buflen_net_out),
    f!(Evt, "evt.is_open_read", Bool, Na, None, 0, "true for opens that ask for read access", evt::is_open_read),
    f!(Evt, "evt.is_open_write", Bool, Na, None, 0, "true for opens that ask for write access", evt::is_open_write),
    f!(Evt, "evt.infra.docker.name", Charbuf, Na, None, TO, "for docker infrastructure events, the event's name", evt::infra_name),
    f!(Evt, "evt.infra.docker.container.id", Charbuf, Na, None, TO, "for docker infrastructure events, the container's id", evt::infra_id),
    f!(Evt, "evt.infra.docker.container.name", Charbuf, Na, None, TO, "for docker infrastructure events, the container's name", evt::infra_cname),
    f!(Evt, "evt.infra.docker.container.image", Charbuf, Na, None, TO, "for docker infrastructure events, the container's image", evt::infra_image),
    f!(Evt, "evt.is_open_exec", Bool, Na, None, 0, "true for opens and creats that make a file with execute permission", evt::is_open_exec),
    // process and thread
    f!(Thread, "proc.pid", Int64, Id, None, 0, "the process id", proc::pid),
    f!(Thread, "proc.exe", Charbuf, Na, None, 0, "the process's argv[0]", proc::exe),
    f!(Thread, "proc.name", Charbuf, Na, None, 0, "the process's command name (comm)", proc::name),
    f!(Thread, "proc.args", Charbuf, Na, None, 0, "the process's arguments after argv[0], space-separated", proc::args),
    f!(Thread, "proc.env", Charbuf, Na, None, 0, "the process's environment, space-separated", proc::env),
    f!(Thread, "proc.cmdline", Charbuf, Na, None, 0, "the command name followed by the arguments", proc::cmdline),
    f!(Thread, "proc.exeline", Charbuf, Na, None, 0, "argv[0] followed by the arguments", proc::exeline),
    f!(Thread, "proc.cwd", Charbuf, Na, None, 0, "the process's working directory", proc::cwd),
    f!(Thread, "proc.nthreads", Uint32, Dec, None, 0, "the number of threads of the process, main thread included", proc::nthreads),
    f!(Thread, "proc.nchilds", Uint32, Dec, None, 0, "the number of threads of the process besides the main one", proc::nchilds),
    f!(Thread, "proc.ppid", Int64, Id, None, 0, "the parent process id", proc::ppid),
    f!(Thread, "proc.pname", Charbuf, Na, None, 0, "the parent process's command name", proc::pname),
    f!(Thread, "proc.pcmdline", Charbuf, Na, None, 0, "the parent process's command line", proc::pcmdline),
    f!(Thread, "proc.apid", Int64, Id, Optional, 0, "the pid of an ancestor: proc.apid[1] is the parent, [2] the grandparent", proc::apid),
    f!(Thread, "proc.aname", Charbuf, Na, Optional, 0, "the command name of an ancestor: proc.aname[1] is the parent", proc::aname),
    f!(Thread, "proc.loginshellid", Int64, Id, None, 0, "the pid of the outermost shell among the process and its ancestors", proc::loginshellid),
    f!(Thread, "proc.duration", Reltime, Dec, None, 0, "nanoseconds since the process started (if it started during the capture)", proc::duration),
    f!(Thread, "proc.fdopencount", Uint64, Dec, None, 0, "the number of fds the process has open", proc::fdopencount),
    f!(Thread, "proc.fdlimit", Int64, Dec, None, 0, "the process's limit on open fds", proc::fdlimit),
    f!(Thread, "proc.fdusage", Double, Dec, None, 0, "open fds as a percentage of the limit", proc::fdusage),
    f!(Thread, "proc.vmsize", Uint64, Dec, None, 0, "the process's virtual memory, KiB", proc::vmsize),
    f!(Thread, "proc.vmrss", Uint64, Dec, None, 0, "the process's resident memory, KiB", proc::vmrss),
    f!(Thread, "proc.vmswap", Uint64, Dec, None, 0, "the process's swapped memory, KiB", proc::vmswap),
    f!(Thread, "thread.pfmajor", Uint64, Dec, None, 0, "major page faults of the thread", proc::pfmajor),
    f!(Thread, "thread.pfminor", Uint64, Dec, None, 0, "minor page faults of the thread", proc::pfminor),
    f!(Thread, "thread.tid", Int64, Id, None, 0, "the thread id", proc::tid),
    f!(Thread, "thread.ismain", Bool, Na, None, 0, "true for a process's main thread", proc::ismain),
    f!(Thread, "thread.exectime", Reltime, Dec, None, 0, "on context switches, the CPU time the thread used since it was scheduled", proc::exectime),
    f!(Thread, "thread.totexectime", Reltime, Dec, None, 0, "the CPU time the thread used so far, from context switches", proc::totexectime),
    f!(Thread, "thread.cgroups", Charbuf, Na, None, 0, "the thread's cgroups, space-separated subsys=path pairs", proc::cgroups),
    f!(Thread, "thread.cgroup", Charbuf, Na, Required, 0, "the thread's cgroup for a subsystem, e.g. thread.cgroup.cpuacct", proc::cgroup),
    f!(Thread, "thread.vtid", Int64, Id, None, 0, "the thread id inside its pid namespace", proc::vtid),
    f!(Thread, "proc.vpid", Int64, Id, None, 0, "the process id inside its pid namespace", proc::vpid),
    f!(Thread, "thread.cpu", Double, Na, None, 0, "CPU used by the thread, from procinfo events", proc::none),
    f!(Thread, "thread.cpu.user", Double, Na, None, 0, "user CPU used by the thread, from procinfo events", proc::none),
    f!(Thread, "thread.cpu.system", Double, Na, None, 0, "system CPU used by the thread, from procinfo events", proc::none),
    f!(Thread, "thread.vmsize", Uint64, Dec, None, 0, "virtual memory of the main thread, 0 for other threads, KiB", proc::thread_vmsize),
    f!(Thread, "thread.vmrss", Uint64, Dec, None, 0, "resident memory of the main thread, 0 for other threads, KiB", proc::thread_vmrss),
    f!(Thread, "thread.vmsize.b", Uint64, Dec, None, TO, "virtual memory of the main thread, bytes", proc::thread_vmsize_b),
    f!(Thread, "thread.vmrss.b", Uint64, Dec, None, TO, "resident memory of the main thread, bytes", proc::thread_vmrss_b),
    f!(Thread, "proc.sid", Int64, Id, None, 0, "the process's session id", proc::sid),
    f!(Thread, "proc.sname", Charbuf, Na, None, 0, "the command name of the session leader", proc::sname),
    f!(Thread, "proc.tty", Int32, Id, None, 0, "the process's controlling terminal, 0 if none", proc::tty),
    f!(Thread, "proc.exepath", Charbuf, Na, None, 0, "the full path of the process's executable", proc::exepath),
    f!(Thread, "thread.nametid", Charbuf, Na, None, TO, "the command name followed by the thread id", proc::nametid),
    f!(Thread, "proc.vpgid", Int64, Id, None, 0, "the process group id inside its pid namespace", proc::vpgid),
    f!(Thread, "proc.is_container_healthcheck", Bool, Na, None, 0, "true if the process is a container's health check", proc::is_healthcheck),
    f!(Thread, "proc.is_container_liveness_probe", Bool, Na, None, 0, "true if the process is a Kubernetes liveness probe", proc::is_liveness),
    f!(Thread, "proc.is_container_readiness_probe", Bool, Na, None, 0, "true if the process is a Kubernetes readiness probe", proc::is_readiness),
    f!(Thread, "proc.is_exe_writable", Bool, Na, None, 0, "true if the process's user can write its executable", proc::is_exe_writable),
    // user and group
    f!(User, "user.uid", Uint32, Id, None, 0, "the user id of the thread", user::uid),
    f!(User, "user.name", Charbuf, Na, None, 0, "the user's name", user::name),
    f!(User, "user.homedir", Charbuf, Na, None, 0, "the user's home directory", user::homedir),
    f!(User, "user.shell", Charbuf, Na, None, 0, "the user's login shell", user::shell),
    f!(User, "user.loginuid", Int32, Id, None, 0, "the audit login user id (-1 when unset)", user::loginuid),
    f!(User, "user.loginname", Charbuf, Na, None, 0, "the audit login user's name", user::loginname),
    f!(Group, "group.gid", Uint64, Id, None, 0, "the group id of the thread", user::gid),
    f!(Group, "group.name", Charbuf, Na, None, 0, "the group's name", user::group_name),
    // container
    f!(Container, "container.id", Charbuf, Na, None, 0, "the container id, or host", container::id),
    f!(Container, "container.name", Charbuf, Na, None, 0, "the container name, or host", container::name_),
    f!(Container, "container.image", Charbuf, Na, None, 0, "the container image as named when started (repo:tag)", container::image),
    f!(Container, "container.image.id", Charbuf, Na, None, 0, "the container image id", container::image_id),
    f!(Container, "container.type", Charbuf, Na, None, 0, "the container runtime (docker, cri-o...), or host", container::ctype),
    f!(Container, "container.privileged", Bool, Na, None, 0, "true for containers running privileged", container::privileged),
    f!(Container, "container.mounts", Charbuf, Na, None, 0, "the container's mounts, comma-separated source:dest:mode:rdwr:propagation", container::mounts),
    f!(Container, "container.mount", Charbuf, Na, Required, 0, "one mount, by index (container.mount[0]) or source path", container::mount),
    f!(Container, "container.mount.source", Charbuf, Na, Required, 0, "a mount's source, by index or destination path", container::mount_source),
    f!(Container, "container.mount.dest", Charbuf, Na, Required, 0, "a mount's destination, by index or source path", container::mount_dest),
    f!(Container, "container.mount.mode", Charbuf, Na, Required, 0, "a mount's mode, by index or source path", container::mount_mode),
    f!(Container, "container.mount.rdwr", Charbuf, Na, Required, 0, "whether a mount is writable, by index or source path", container::mount_rdwr),
    f!(Container, "container.mount.propagation", Charbuf, Na, Required, 0, "a mount's propagation, by index or source path", container::mount_propagation),
    f!(Container, "container.image.repository", Charbuf, Na, None, 0, "the container image's repository", container::image_repo),
    f!(Container, "container.image.tag", Charbuf, Na, None, 0, "the container image's tag", container::image_tag),
    f!(Container, "container.image.digest", Charbuf, Na, None, 0, "the container image's registry digest", container::image_digest),
    f!(Container, "container.healthcheck", Charbuf, Na, None, 0, "the container's health check command line", container::healthcheck),
    f!(Container, "container.liveness_probe", Charbuf, Na, None, 0, "the container's liveness probe command line", container::liveness),
    f!(Container, "container.readiness_probe", Charbuf, Na, None, 0, "the container's readiness probe command line", container::readiness),
    f!(Container, "container.label", Charbuf, Na, Required, 0, "a container label, by key (container.label.tier or container.label[tier]); newer libsinsp", container::label),
    f!(Container, "container.labels", Charbuf, Na, None, 0, "the container's labels as key:value, comma-separated; newer libsinsp", container::labels),
    f!(Container, "container.ip", Charbuf, Na, None, 0, "the container's IPv4 address; newer libsinsp", container::ip),
    // fd
    f!(Fd, "fd.num", Int64, Id, None, 0, "the fd number the event uses", fd::num),
    f!(Fd, "fd.type", Charbuf, Dec, None, 0, "the fd's kind: file, directory, ipv4, ipv6, unix, pipe, event, ...", fd::ftype),
    f!(Fd, "fd.typechar", Charbuf, Dec, None, 0, "the fd's kind as one character (f, d, 4, 6, u, p, ...)", fd::typechar),
    f!(Fd, "fd.name", Charbuf, Na, None, SN, "the fd's full name: a path, or a connection tuple for sockets", fd::name),
    f!(Fd, "fd.directory", Charbuf, Na, None, SN, "for files, the directory containing the file", fd::directory),
    f!(Fd, "fd.filename", Charbuf, Na, None, SN, "for files, the file name without its directory", fd::filename),
    f!(Fd, "fd.ip", IpAddr, Na, None, FO, "either IP address of the connection (filters only)", fd::none),
    f!(Fd, "fd.cip", IpAddr, Na, None, 0, "the client IP address", fd::cip),
    f!(Fd, "fd.sip", IpAddr, Na, None, 0, "the server IP address", fd::sip),
    f!(Fd, "fd.lip", IpAddr, Na, None, 0, "the local IP address", fd::lip),
    f!(Fd, "fd.rip", IpAddr, Na, None, 0, "the remote IP address", fd::rip),
    f!(Fd, "fd.port", Port, Dec, None, FO, "either port of the connection (filters only)", fd::none),
    f!(Fd, "fd.cport", Port, Dec, None, 0, "the client port", fd::cport),
    f!(Fd, "fd.sport", Port, Dec, None, 0, "the server port", fd::sport),
    f!(Fd, "fd.lport", Port, Dec, None, 0, "the local port", fd::lport),
    f!(Fd, "fd.rport", Port, Dec, None, 0, "the remote port", fd::rport),
    f!(Fd, "fd.l4proto", Charbuf, Na, None, 0, "the socket's protocol: tcp, udp, icmp or raw", fd::l4proto),
    f!(Fd, "fd.sockfamily", Charbuf, Na, None, 0, "ip or unix, for sockets", fd::sockfamily),
    f!(Fd, "fd.is_server", Bool, Na, None, 0, "true if the process is the server end of the connection", fd::is_server),
    f!(Fd, "fd.uid", Charbuf, Na, None, 0, "an id for the fd: the thread id followed by the fd number", fd::uid),
    f!(Fd, "fd.containername", Charbuf, Na, None, SN, "the container id, a colon, and the fd name", fd::containername),
    f!(Fd, "fd.containerdirectory", Charbuf, Na, None, SN, "the container id, a colon, and the directory", fd::containerdirectory),
    f!(Fd, "fd.proto", Port, Na, None, FO, "either port's protocol name (filters only)", fd::none),
    f!(Fd, "fd.cproto", Charbuf, Na, None, 0, "the client port, as a protocol name when resolving", fd::cproto),
    f!(Fd, "fd.sproto", Charbuf, Na, None, 0, "the server port, as a protocol name when resolving", fd::sproto),
    f!(Fd, "fd.lproto", Charbuf, Na, None, 0, "the local port, as a protocol name when resolving", fd::lproto),
    f!(Fd, "fd.rproto", Charbuf, Na, None, 0, "the remote port, as a protocol name when resolving", fd::rproto),
    f!(Fd, "fd.net", IpNet, Na, None, FO, "either address's network (filters only)", fd::none),
    f!(Fd, "fd.cnet", IpNet, Na, None, FO, "the client address's network (filters only)", fd::none),
    f!(Fd, "fd.snet", IpNet, Na, None, FO, "the server address's network (filters only)", fd::none),
    f!(Fd, "fd.lnet", IpNet, Na, None, FO, "the local address's network (filters only)", fd::none),
    f!(Fd, "fd.rnet", IpNet, Na, None, FO, "the remote address's network (filters only)", fd::none),
    f!(Fd, "fd.connected", Bool, Na, None, 0, "true for connected sockets", fd::connected),
    f!(Fd, "fd.name_changed", Bool, Na, None, 0, "true when the event renamed its fd (e.g. a UDP tuple changed)", fd::name_changed),
    f!(Fd, "fd.cip.name", Charbuf, Na, None, 0, "the domain name of the client address, when known", fd::none),
    f!(Fd, "fd.sip.name", Charbuf, Na, None, 0, "the domain name of the server address, when known", fd::none),
    f!(Fd, "fd.lip.name", Charbuf, Na, None, 0, "the domain name of the local address, when known", fd::none),
    f!(Fd, "fd.rip.name", Charbuf, Na, None, 0, "the domain name of the remote address, when known", fd::none),
    f!(Fd, "fd.dev", Int32, Hex, None, 0, "the device number of the file", fd::dev),
    f!(Fd, "fd.dev.major", Int32, Dec, None, 0, "the major device number of the file", fd::dev_major),
    f!(Fd, "fd.dev.minor", Int32, Dec, None, 0, "the minor device number of the file", fd::dev_minor),
    // syslog
    f!(Syslog, "syslog.facility.str", Charbuf, Na, None, 0, "the facility of a message written to /dev/log, by name", syslog::facility_str),
    f!(Syslog, "syslog.facility", Uint32, Dec, None, 0, "the facility of a message written to /dev/log, 0-23", syslog::facility),
    f!(Syslog, "syslog.severity.str", Charbuf, Na, None, 0, "the severity of a message written to /dev/log: emerg ... debug", syslog::severity_str),
    f!(Syslog, "syslog.severity", Uint32, Dec, None, 0, "the severity of a message written to /dev/log, 0-7", syslog::severity),
    f!(Syslog, "syslog.message", Charbuf, Na, None, 0, "the text of a message written to /dev/log", syslog::message),
    // fdlist
    f!(Fdlist, "fdlist.nums", Charbuf, Id, None, 0, "for poll events, the fd numbers polled, comma-separated", fd::list_nums),
    f!(Fdlist, "fdlist.names", Charbuf, Na, None, 0, "for poll events, the names of the fds polled, comma-separated", fd::list_names),
    f!(Fdlist, "fdlist.cips", Charbuf, Na, None, 0, "for poll events, the client addresses of the polled sockets", fd::list_cips),
    f!(Fdlist, "fdlist.sips", Charbuf, Na, None, 0, "for poll events, the server addresses of the polled sockets", fd::list_sips),
    f!(Fdlist, "fdlist.cports", Charbuf, Dec, None, 0, "for poll events, the client ports of the polled sockets", fd::list_cports),
    f!(Fdlist, "fdlist.sports", Charbuf, Dec, None, 0, "for poll events, the server ports of the polled sockets", fd::list_sports),
    // k8s
    f!(K8s, "k8s.pod.name", Charbuf, Na, None, 0, "the Kubernetes pod's name", container::k8s_pod_name),
    f!(K8s, "k8s.pod.id", Charbuf, Na, None, 0, "the Kubernetes pod's id", container::k8s_pod_id),
    f!(K8s, "k8s.pod.label", Charbuf, Na, Required, 0, "a label of the pod, e.g. k8s.pod.label.app", container::k8s_pod_label),
    f!(K8s, "k8s.pod.labels", Charbuf, Na, None, 0, "the pod's labels, comma-separated key:value pairs", container::k8s_pod_labels),
    f!(K8s, "k8s.rc.name", Charbuf, Na, None, 0, "the replication controller's name", container::k8s_rc_name),
    f!(K8s, "k8s.rc.id", Charbuf, Na, None, 0, "the replication controller's id", container::k8s_rc_id),
    f!(K8s, "k8s.rc.label", Charbuf, Na, Required, 0, "a label of the replication controller", container::k8s_rc_label),
    f!(K8s, "k8s.rc.labels", Charbuf, Na, None, 0, "the replication controller's labels", container::k8s_rc_labels),
    f!(K8s, "k8s.svc.name", Charbuf, Na, None, 0, "the service's name", container::k8s_svc_name),
    f!(K8s, "k8s.svc.id", Charbuf, Na, None, 0, "the service's id", container::k8s_svc_id),
    f!(K8s, "k8s.svc.label", Charbuf, Na, Required, 0, "a label of the service", container::k8s_svc_label),
    f!(K8s, "k8s.svc.labels", Charbuf, Na, None, 0, "the service's labels", container::k8s_svc_labels),
    f!(K8s, "k8s.ns.name", Charbuf, Na, None, 0, "the namespace's name", container::k8s_ns_name),
    f!(K8s, "k8s.ns.id", Charbuf, Na, None, 0, "the namespace's id", container::k8s_ns_id),
    f!(K8s, "k8s.ns.label", Charbuf, Na, Required, 0, "a label of the namespace", container::k8s_ns_label),
    f!(K8s, "k8s.ns.labels", Charbuf, Na, None, 0, "the namespace's labels", container::k8s_ns_labels),
    f!(K8s, "k8s.rs.name", Charbuf, Na, None, 0, "the replica set's name", container::k8s_rs_name),
    f!(K8s, "k8s.rs.id", Charbuf, Na, None, 0, "the replica set's id", container::k8s_rs_id),
    f!(K8s, "k8s.rs.label", Charbuf, Na, Required, 0, "a label of the replica set", container::k8s_rs_label),
    f!(K8s, "k8s.rs.labels", Charbuf, Na, None, 0, "the replica set's labels", container::k8s_rs_labels),
    f!(K8s, "k8s.deployment.name", Charbuf, Na, None, 0, "the deployment's name", container::k8s_deployment_name),
    f!(K8s, "k8s.deployment.id", Charbuf, Na, None, 0, "the deployment's id", container::k8s_deployment_id),
    f!(K8s, "k8s.deployment.label", Charbuf, Na, Required, 0, "a label of the deployment", container::k8s_deployment_label),
    f!(K8s, "k8s.deployment.labels", Charbuf, Na, None, 0, "the deployment's labels", container::k8s_deployment_labels),
];

fn find(name: &str) -> Option<usize> {
    FIELDS.iter().position(|f| f.name == name)
}

fn err_unknown(text: &str) -> FieldError {
    FieldError::Unknown { name: text.to_string(), suggestions: nearest(text) }
}

fn bad(name: &str, what: &str) -> FieldError {
    FieldError::BadArg { name: name.to_string(), what: what.to_string() }
}

/// The longest parameter name any event has that is a prefix of `text`, as sysdig picks the
/// parameter of `evt.arg.NAME` (the first event listing it decides its type).
pub fn longest_param(text: &str) -> Option<&'static ParamInfo> {
    let mut best: Option<&'static ParamInfo> = None;
    for t in 0..schema::SYSDIG_0_29_EVENT_MAX {
        let Some(info) = schema::event_info(t) else { continue };
        for p in info.params {
            if !p.name.is_empty() && text.starts_with(p.name) && best.is_none_or(|b| p.name.len() > b.name.len()) {
                best = Some(p);
            }
        }
    }
    best
}

/// The parameter `evt.rawarg.NAME` refers to: the first one of that name in event order (what
/// `longest_param` gives for an exact name). Extraction asks on every event, so the answer comes
/// from a table built once from the static event table.
pub fn rawarg_param(name: &str) -> Option<&'static ParamInfo> {
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static ParamInfo>> =
        std::sync::OnceLock::new();
    let table = BY_NAME.get_or_init(|| {
        let mut m = std::collections::HashMap::new();
        for t in 0..schema::SYSDIG_0_29_EVENT_MAX {
            let Some(info) = schema::event_info(t) else { continue };
            for p in info.params.iter().filter(|p| !p.name.is_empty()) {
                m.entry(p.name).or_insert(p);
            }
        }
        m
    });
    table.get(name).copied()
}

/// `[N]` right after a field name: (number, bytes consumed).
fn bracket_num(rest: &str, name: &str) -> Result<(i64, usize), FieldError> {
    let close = rest.find(']').ok_or_else(|| bad(name, "argument has no closing ']'"))?;
    let inner = &rest[1..close];
    let n = inner.trim().parse::<i64>().map_err(|_| bad(name, &format!("argument '{inner}' is not a number")))?;
    Ok((n, close + 1))
}

/// Resolves the field at the start of `text` (see `FieldRef::parse_prefix`).
pub fn parse_prefix(text: &str) -> Result<(FieldRef, usize), FieldError> {
    let groups = [
        Check::Gen,
        Check::Evt,
        Check::Thread,
        Check::User,
        Check::Group,
        Check::Container,
        Check::Fd,
        Check::Syslog,
        Check::Fdlist,
        Check::K8s,
    ];
    for g in groups {
        if let Some(r) = parse_in_group(g, text)? {
            return Ok(r);
        }
    }
    Err(err_unknown(text))
}

fn simple(id: Option<usize>, len: usize) -> Result<Option<(FieldRef, usize)>, FieldError> {
    Ok(id.map(|id| (FieldRef { id, arg: super::FieldArg::None }, len)))
}

fn with_arg(name: &str, arg: super::FieldArg, len: usize) -> Result<Option<(FieldRef, usize)>, FieldError> {
    let id = find(name).ok_or_else(|| err_unknown(name))?;
    Ok(Some((FieldRef { id, arg }, len)))
}

fn parse_in_group(g: Check, text: &str) -> Result<Option<(FieldRef, usize)>, FieldError> {
    use super::FieldArg as A;
    match g {
        Check::Evt => {
            if text.starts_with("evt.arg") && !text.starts_with("evt.args") {
                let rest = &text["evt.arg".len()..];
                if rest.starts_with('[') {
                    let (n, len) = bracket_num(rest, "evt.arg")?;
                    return with_arg("evt.arg", A::Index(n), "evt.arg".len() + len);
                }
                if let Some(after) = rest.strip_prefix('.') {
                    let p = longest_param(after)
                        .ok_or_else(|| bad("evt.arg", &format!("names unknown event argument '{after}'")))?;
                    return with_arg("evt.arg", A::Name(p.name.to_string()), "evt.arg.".len() + p.name.len());
                }
                return Err(bad("evt.arg", "needs an argument: evt.arg.NAME or evt.arg[N]"));
            }
            if let Some(rest) = text.strip_prefix("evt.rawarg") {
                if let Some(after) = rest.strip_prefix('.') {
                    let p = longest_param(after)
                        .ok_or_else(|| bad("evt.rawarg", &format!("names unknown event argument '{after}'")))?;
                    return with_arg("evt.rawarg", A::Name(p.name.to_string()), "evt.rawarg.".len() + p.name.len());
                }
                return Err(bad("evt.rawarg", "needs an argument name: evt.rawarg.NAME"));
            }
            if let Some(rest) = text.strip_prefix("evt.around") {
                if rest.starts_with('[') {
                    let (n, len) = bracket_num(rest, "evt.around")?;
                    return with_arg("evt.around", A::Index(n), "evt.around".len() + len);
                }
                return Err(bad("evt.around", "needs an argument: evt.around[MS]"));
            }
            if text.starts_with("evt.abspath") {
                if text.starts_with("evt.abspath.src") {
                    return with_arg("evt.abspath", A::Name("src".into()), "evt.abspath.src".len());
                }
                if text.starts_with("evt.abspath.dst") {
                    return with_arg("evt.abspath", A::Name("dst".into()), "evt.abspath.dst".len());
                }
                return with_arg("evt.abspath", A::None, "evt.abspath".len());
            }
            if let Some(rest) = text.strip_prefix("evt.type.is") {
                let Some(after) = rest.strip_prefix('.') else {
                    return Err(bad("evt.type.is", "needs an event type: evt.type.is.NAME"));
                };
                // sysdig reads the whole rest of the text as the type: a number, or an event
                // name. Anything else leaves the field with no type, spanning no text at all.
                let digits = after.trim_start().strip_prefix('+').unwrap_or(after.trim_start());
                if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
                    let n = digits.parse::<i64>().unwrap_or(0);
                    return with_arg("evt.type.is", A::Index(n), text.len());
                }
                let known =
                    (0..schema::SYSDIG_0_29_EVENT_MAX).any(|t| schema::event_info(t).is_some_and(|i| i.name == after));
                if known {
                    return with_arg("evt.type.is", A::Name(after.to_string()), text.len());
                }
                return with_arg("evt.type.is", A::None, 0);
            }
        }
        Check::Thread => {
            for name in ["proc.apid", "proc.aname"] {
                if let Some(rest) = text.strip_prefix(name) {
                    if rest.starts_with('[') {
                        let (n, len) = bracket_num(rest, name)?;
                        return with_arg(name, A::Index(n), name.len() + len);
                    }
                    // Without an index sysdig accepts the name only at the very end of the
                    // text; elsewhere the field spans no text (and the name prints as is).
                    return with_arg(name, A::None, if rest.is_empty() { name.len() } else { 0 });
                }
            }
            if text.starts_with("thread.cgroup") && !text.starts_with("thread.cgroups") {
                let rest = &text["thread.cgroup".len()..];
                let Some(after) = rest.strip_prefix('.') else {
                    return Err(bad("thread.cgroup", "needs a subsystem: thread.cgroup.NAME"));
                };
                let len = after.find(|c: char| !(c.is_ascii_alphabetic() || c == '_')).unwrap_or(after.len());
                return with_arg("thread.cgroup", A::Name(after[..len].to_string()), "thread.cgroup.".len() + len);
            }
        }
        Check::Container => {
            if let Some(rest) = text.strip_prefix("container.mount.") {
                for sub in ["source", "dest", "mode", "rdwr", "propagation"] {
                    if let Some(r) = rest.strip_prefix(sub) {
                        let name = format!("container.mount.{sub}");
                        let (arg, len) = mount_arg(r, &name)?;
                        return with_arg(&name, arg, name.len() + len);
                    }
                }
                return Err(err_unknown(text));
            }
            if let Some(rest) = text.strip_prefix("container.mount") {
                if !rest.starts_with('s') {
                    let (arg, len) = mount_arg(rest, "container.mount")?;
                    return with_arg("container.mount", arg, "container.mount".len() + len);
                }
            }
            // Newer libsinsp's container.label.KEY, and container.label[KEY].
            if let Some(rest) = text.strip_prefix("container.label") {
                let name = "container.label";
                if rest.starts_with('[') {
                    let (arg, len) = mount_arg(rest, name)?;
                    let arg = match arg {
                        A::Index(n) => A::Name(n.to_string()),
                        other => other,
                    };
                    return with_arg(name, arg, name.len() + len);
                }
                if let Some(after) = rest.strip_prefix('.') {
                    let len = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.')))
                        .unwrap_or(after.len());
                    return with_arg(name, A::Name(after[..len].to_string()), name.len() + 1 + len);
                }
            }
        }
        Check::K8s => {
            for kind in ["pod", "rc", "rs", "svc", "ns", "deployment"] {
                let name = format!("k8s.{kind}.label");
                if let Some(rest) = text.strip_prefix(name.as_str()) {
                    if rest.starts_with('s') {
                        break;
                    }
                    let Some(after) = rest.strip_prefix('.') else {
                        return Err(bad(&name, "needs a label name: .NAME"));
                    };
                    let len = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.')))
                        .unwrap_or(after.len());
                    return with_arg(&name, A::Name(after[..len].to_string()), name.len() + 1 + len);
                }
            }
        }
        _ => {}
    }
    // The generic rule: the longest field of the class whose name is a prefix of the text.
    let mut best: Option<(usize, usize)> = None;
    for (i, f) in FIELDS.iter().enumerate() {
        if f.check == g && text.starts_with(f.name) && best.is_none_or(|(_, l)| f.name.len() > l) {
            best = Some((i, f.name.len()));
        }
    }
    match best {
        Some((id, len)) => {
            if FIELDS[id].arg == ArgSpec::Required {
                return Err(bad(FIELDS[id].name, "requires an argument"));
            }
            simple(Some(id), len)
        }
        None => Ok(None),
    }
}

fn mount_arg(rest: &str, name: &str) -> Result<(super::FieldArg, usize), FieldError> {
    let start = rest.find('[').ok_or_else(|| bad(name, "needs an argument in brackets"))?;
    let end = rest[start..].find(']').ok_or_else(|| bad(name, "argument has no closing ']'"))? + start;
    let inner = &rest[start + 1..end];
    let arg = match inner.parse::<i64>() {
        Ok(n) => super::FieldArg::Index(n),
        Err(_) => super::FieldArg::Name(inner.to_string()),
    };
    Ok((arg, end + 1))
}

/// The known field names closest to `text`, for "did you mean" hints.
pub fn nearest(text: &str) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = FIELDS.iter().map(|f| (edit_distance(text, f.name), f.name)).collect();
    scored.sort();
    let limit = (text.len() / 3).max(2);
    scored.into_iter().filter(|(d, _)| *d <= limit).take(3).map(|(_, n)| n.to_string()).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
