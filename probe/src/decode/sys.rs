//! Syscall records to libscap events: which event type a syscall number routes to, and where
//! each of its parameters comes from (a register, the return value, or an item the probe read).
//!
//! The table below is keyed by libscap's event name and direction. A parameter it does not
//! name is filled from the return value when it is `res`, else with a zero of its type, so every
//! event has exactly the parameters its layout lists.

use scap_common::schema::{self, ev, ParamType};

use super::{flags, net, Generic, SysRecord};
use crate::abi::{self, arg};

/// Where one parameter's value comes from.
#[derive(Clone, Copy, Debug)]
enum Src {
    /// The return value.
    Ret,
    /// Raw register `i`.
    Arg(u8),
    /// Register `i` as a C `int` (fds, pids, signals): the low 32 bits, sign-extended.
    Int(u8),
    /// Register `i` converted.
    Conv(u8, fn(u64) -> u32),
    /// open-style mode: flags in register `.0`, mode in `.1`.
    OpenMode(u8, u8),
    /// The string the probe read for register `i`, NUL-terminated.
    Str(u8),
    /// The bytes the probe read for register `i` (buffers, iovecs, msghdr data).
    Data(u8),
    /// The byte total the probe summed for register `i` (iovecs, a msghdr's iovecs).
    Total(u8),
    /// The accept queue of the listening socket: 0 length, 1 maximum, 2 percent used.
    Backlog(u8),
    /// A user sockaddr read for register `i`, in SOCKADDR layout.
    Sockaddr(u8),
    /// The tuple of the socket behind the fd in register `.0`; `.1` inbound.
    Tuple(u8, bool),
    /// The tuple of the socket behind the returned fd.
    RetTuple,
    /// Element `.1` of the int pair read for register `.0`.
    Pair(u8, u8),
    /// The inode of the file the probe looked at for register `i`.
    Ino(u8),
    /// The device of the returned fd's file.
    RetDev,
    /// `u32` at byte `.1` of the memory read for register `.0`.
    Mem32(u8, u8),
    /// `u64` at byte `.1` of the memory read for register `.0`.
    Mem64(u8, u8),
    /// A timespec read for register `i`, as nanoseconds.
    Timespec(u8),
    /// A timeout: the timespec read for register `i`, or all ones (none) when it is NULL.
    Timeout(u8),
    /// The pollfd array read for register `.0`; `.1` true for the exit (revents).
    Fdlist(u8, bool),
    /// The kernel address of the first socket of a socketpair (`.0` false) or its peer.
    PairSock(bool),
    /// A field of the process item.
    Proc(ProcField),
    /// A memory counter item field (0 size, 1 rss, 2 swap).
    Vm(u8),
    /// bpf's result: an fd (index 0) or an errno (index 1).
    DynFdOrErrno,
    /// setsockopt/getsockopt's option name (`PPM_SOCKOPT_*`, from the level and the name).
    SockoptName,
    /// setsockopt/getsockopt's option value, typed by level and name as the driver does.
    SockoptVal,
    /// setsockopt's optlen register, or the int getsockopt's optlen points to after the call.
    SockoptLen,
    /// ptrace's `addr` (`false`) or `data` (`true`), typed by the request as the driver does.
    Ptrace(bool),
    /// semctl's value: the fourth argument for SETVAL, else 0.
    SemctlVal,
    /// semop: field `.1` (0 sem_num, 1 sem_op, 2 sem_flg) of sembuf `.0` (0 or 1) of the array
    /// read for register 1; 0 past nsops.
    Sembuf(u8, u8),
    /// Zero of the parameter's type.
    Zero,
}

#[derive(Clone, Copy, Debug)]
enum ProcField {
    Exe,
    Args,
    Tid,
    Pid,
    Ptid,
    Cwd,
    Fdlimit,
    PgftMaj,
    PgftMin,
    VmSize,
    VmRss,
    VmSwap,
    Comm,
    Cgroups,
    Env,
    Tty,
    Pgid,
    Loginuid,
    ExecFlags,
    CloneFlags,
    Uid,
    Gid,
    Vtid,
    Vpid,
}

use ProcField as P;
use Src::*;

const CLONE_EXIT: &[Src] = &[
    Ret,
    Proc(P::Exe),
    Proc(P::Args),
    Proc(P::Tid),
    Proc(P::Pid),
    Proc(P::Ptid),
    Proc(P::Cwd),
    Proc(P::Fdlimit),
    Proc(P::PgftMaj),
    Proc(P::PgftMin),
    Proc(P::VmSize),
    Proc(P::VmRss),
    Proc(P::VmSwap),
    Proc(P::Comm),
    Proc(P::Cgroups),
    Proc(P::CloneFlags),
    Proc(P::Uid),
    Proc(P::Gid),
    Proc(P::Vtid),
    Proc(P::Vpid),
];

const EXECVE_EXIT: &[Src] = &[
    Ret,
    Proc(P::Exe),
    Proc(P::Args),
    Proc(P::Tid),
    Proc(P::Pid),
    Proc(P::Ptid),
    Proc(P::Cwd),
    Proc(P::Fdlimit),
    Proc(P::PgftMaj),
    Proc(P::PgftMin),
    Proc(P::VmSize),
    Proc(P::VmRss),
    Proc(P::VmSwap),
    Proc(P::Comm),
    Proc(P::Cgroups),
    Proc(P::Env),
    Proc(P::Tty),
    Proc(P::Pgid),
    Proc(P::Loginuid),
    Proc(P::ExecFlags),
];

const VM_EXIT: &[Src] = &[Ret, Vm(0), Vm(1), Vm(2)];

/// Parameter sources by event name and direction (true = enter).
/// `sources` by event type, looked up once per type (matching the name costs tens of string
/// comparisons, and this runs for every event).
fn cached_sources(event_type: u16, name: &str, enter: bool) -> Option<&'static [Src]> {
    type Table = Vec<[Option<&'static [Src]>; 2]>;
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..schema::EVENT_MAX)
            .map(|t| match schema::event_info(t) {
                Some(info) => [sources(info.name, false), sources(info.name, true)],
                None => [None, None],
            })
            .collect()
    });
    match table.get(usize::from(event_type)) {
        Some(row) => row[usize::from(enter)],
        None => sources(name, enter),
    }
}

fn sources(name: &str, enter: bool) -> Option<&'static [Src]> {
    let s: &'static [Src] = match (name, enter) {
        ("read" | "write" | "recv" | "send", true) => &[Int(0), Arg(2)],
        ("read" | "write" | "pread" | "pwrite" | "sendto" | "pwritev" | "writev", false) => &[Ret, Data(1)],
        ("pread" | "pwrite", true) => &[Int(0), Arg(2), Arg(3)],
        ("readv", true) => &[Int(0)],
        ("readv" | "preadv", false) => &[Ret, Ret, Data(1)],
        ("writev", true) => &[Int(0), Total(1)],
        ("preadv", true) => &[Int(0), Arg(3)],
        ("pwritev", true) => &[Int(0), Total(1), Arg(3)],
        ("open", true) => &[Str(0), Conv(1, flags::open_flags), OpenMode(1, 2)],
        ("open", false) => &[Ret, Str(0), Conv(1, flags::open_flags), OpenMode(1, 2), RetDev],
        ("creat", true) => &[Str(0), Conv(1, flags::mode)],
        ("creat", false) => &[Ret, Str(0), Conv(1, flags::mode), RetDev],
        ("openat", true) => &[Int(0), Str(1), Conv(2, flags::open_flags), OpenMode(2, 3)],
        ("openat", false) => &[Ret, Int(0), Str(1), Conv(2, flags::open_flags), OpenMode(2, 3), RetDev],
        ("openat2", true) => &[Int(0), Str(1), Mem64(2, 0), Mem64(2, 8), Mem64(2, 16)],
        ("openat2", false) => &[Ret, Int(0), Str(1), Mem64(2, 0), Mem64(2, 8), Mem64(2, 16)],
        ("close" | "fstat" | "fchdir" | "getdents" | "getdents64" | "dup" | "bind" | "recvmsg" | "fstat64", true) => {
            &[Int(0)]
        }
        ("stat" | "lstat" | "chdir" | "rmdir" | "unlink" | "getcwd" | "chroot" | "mkdir" | "umount", false) => {
            &[Ret, Str(0)]
        }
        ("access", true) => &[Arg(1)],
        ("access", false) => &[Ret, Str(0)],
        ("poll", true) => &[Fdlist(0, false), Arg(2)],
        ("poll" | "ppoll", false) => &[Ret, Fdlist(0, true)],
        ("ppoll", true) => &[Fdlist(0, false), Timeout(2), Mem32(3, 0)],
        ("lseek", true) => &[Int(0), Arg(1), Arg(2)],
        ("mmap", true) => &[Arg(0), Arg(1), Conv(2, flags::prot), Conv(3, flags::mmap_flags), Int(4), Arg(5)],
        ("mmap" | "munmap" | "brk", false) => VM_EXIT,
        ("mprotect", true) => &[Arg(0), Arg(1), Conv(2, flags::prot)],
        ("munmap", true) => &[Arg(0), Arg(1)],
        ("brk", true) => &[Arg(0)],
        ("ioctl", true) => &[Int(0), Arg(1), Arg(2)],
        ("pipe", false) => &[Ret, Pair(0, 0), Pair(0, 1), Ino(0)],
        ("nanosleep", true) => &[Timespec(0)],
        ("sendfile", true) => &[Int(0), Int(1), Mem64(2, 0), Arg(3)],
        ("sendfile", false) => &[Ret, Mem64(2, 0)],
        ("socket" | "socketpair", true) => &[Arg(0), Arg(1), Arg(2)],
        ("connect", true) => &[Int(0), Sockaddr(1)],
        ("connect", false) => &[Ret, Tuple(0, false)],
        ("accept", true) => &[Arg(3)],
        ("accept", false) => &[Ret, RetTuple, Backlog(2), Backlog(0), Backlog(1)],
        ("sendto", true) => &[Int(0), Arg(2), Tuple(0, false)],
        ("recvfrom", true) => &[Int(0), Arg(2)],
        ("recvfrom", false) => &[Ret, Data(1), Tuple(0, true)],
        ("sendmsg", true) => &[Int(0), Total(1), Tuple(0, false)],
        ("sendmsg", false) => &[Ret, Data(1)],
        ("recvmsg", false) => &[Ret, Ret, Data(1), Tuple(0, true)],
        ("shutdown", true) => &[Int(0), Arg(1)],
        ("bind", false) => &[Ret, Sockaddr(1)],
        ("listen", true) => &[Int(0), Arg(1)],
        ("socketpair", false) => &[Ret, Pair(3, 0), Pair(3, 1), PairSock(false), PairSock(true)],
        ("setsockopt" | "getsockopt", false) => {
            &[Ret, Int(0), Conv(1, flags::sockopt_level), SockoptName, SockoptVal, SockoptLen]
        }
        ("clone" | "fork" | "vfork" | "clone3", false) => CLONE_EXIT,
        ("execve" | "execveat", false) => EXECVE_EXIT,
        ("execve", true) => &[Str(0)],
        ("execveat", true) => &[Int(0), Str(1), Conv(4, flags::execveat_flags)],
        ("kill" | "tkill", true) => &[Int(0), Arg(1)],
        ("tgkill", true) => &[Int(0), Int(1), Arg(2)],
        ("fcntl", true) => &[Int(0), Conv(1, flags::fcntl_cmd)],
        ("flock", true) => &[Int(0), Arg(1)],
        ("rename" | "link" | "symlink", false) => &[Ret, Str(0), Str(1)],
        ("mkdir", true) => &[Arg(1)],
        ("chmod", false) => &[Ret, Str(0), Conv(1, flags::mode)],
        ("fchmod", false) => &[Ret, Int(0), Conv(1, flags::mode)],
        ("getrlimit" | "setrlimit", true) => &[Conv(0, flags::rlimit_resource)],
        ("getrlimit" | "setrlimit", false) => &[Ret, Mem64(1, 0), Mem64(1, 8)],
        ("prlimit", true) => &[Int(0), Conv(1, flags::rlimit_resource)],
        ("prlimit", false) => &[Ret, Mem64(2, 0), Mem64(2, 8), Mem64(3, 0), Mem64(3, 8)],
        ("ptrace", true) => &[Conv(0, flags::ptrace_request), Int(1)],
        ("ptrace", false) => &[Ret, Ptrace(false), Ptrace(true)],
        ("getuid" | "getgid" | "geteuid" | "getegid", false) => &[Ret],
        ("setuid" | "setgid", true) => &[Arg(0)],
        ("setresuid" | "setresgid", true) => &[Arg(0), Arg(1), Arg(2)],
        ("getresuid" | "getresgid", false) => &[Ret, Mem32(0, 0), Mem32(1, 0), Mem32(2, 0)],
        ("setpgid", true) => &[Int(0), Int(1)],
        ("mount", true) => &[Conv(3, flags::mount_flags)],
        ("mount", false) => &[Ret, Str(0), Str(1), Str(2)],
        ("umount", true) => &[Arg(1)],
        ("unshare", true) => &[Conv(0, flags::clone_flags)],
        ("setns", true) => &[Int(0), Conv(1, flags::clone_flags)],
        ("mkdirat", false) => &[Ret, Int(0), Str(1), Arg(2)],
        ("unlinkat", false) => &[Ret, Int(0), Str(1), Arg(2)],
        ("renameat", false) => &[Ret, Int(0), Str(1), Int(2), Str(3)],
        ("renameat2" | "linkat", false) => &[Ret, Int(0), Str(1), Int(2), Str(3), Arg(4)],
        ("symlinkat", false) => &[Ret, Str(0), Int(1), Str(2)],
        ("fchmodat", false) => &[Ret, Int(0), Str(1), Conv(2, flags::mode)],
        ("splice", true) => &[Int(0), Int(2), Arg(4), Arg(5)],
        // eventfd has no flags and eventfd2's are not decoded: the driver sends 0 for both.
        ("eventfd", true) => &[Arg(0), Zero],
        // The mask's first 32 signals (the driver leaves it 0); flags stay 0 as the driver
        // sends them: signalfd4's SFD_* flags do not fit the event's FLAGS8.
        ("signalfd", true) => &[Int(0), Mem32(1, 0), Zero],
        ("timerfd_create", true) => &[Arg(0), Arg(1)],
        ("inotify_init", true) => &[Arg(0)],
        ("epoll_wait", true) => &[Arg(2)],
        ("futex", true) => &[Arg(0), Arg(1), Arg(2)],
        ("userfaultfd", false) => &[Ret, Arg(0)],
        ("copy_file_range", true) => &[Int(0), Mem64(1, 0), Arg(4)],
        ("copy_file_range", false) => &[Ret, Int(2), Mem64(3, 0)],
        ("seccomp", true) => &[Arg(0)],
        ("bpf", true) => &[Arg(0)],
        ("bpf", false) => &[DynFdOrErrno],
        ("semget", true) => &[Arg(0), Arg(1), Conv(2, flags::semget_flags)],
        ("semctl", true) => &[Arg(0), Arg(1), Conv(2, flags::semctl_cmd), SemctlVal],
        ("semop", true) => &[Arg(0)],
        ("semop", false) => {
            &[Ret, Arg(2), Sembuf(0, 0), Sembuf(0, 1), Sembuf(0, 2), Sembuf(1, 0), Sembuf(1, 1), Sembuf(1, 2)]
        }
        ("quotactl", true) => &[Arg(0), Zero, Arg(2), Zero],
        _ => return None,
    };
    Some(s)
}

/// A syscall record that routes to a generic event, decoded without intermediate buffers (the
/// hot path: most syscalls of a busy process are generic). `None` for every other record.
pub(super) fn generic(bytes: &[u8], enter: bool, ts: u64) -> Option<Generic> {
    let sys: abi::SysHead = abi::read(bytes)?;
    let nr = sys.nr;
    let (_, e, x, sc) = schema::x86_64_syscall(nr).unwrap_or((0, 0, 0, 0));
    let event_type = if enter { e } else { x.max(ev::GENERIC_X) };
    if event_type != ev::GENERIC_E && event_type != ev::GENERIC_X {
        return None;
    }
    let mut raw = [0u8; 8];
    let (n_params, raw_len) = if enter {
        raw[0..2].copy_from_slice(&2u16.to_le_bytes());
        raw[2..4].copy_from_slice(&2u16.to_le_bytes());
        raw[4..6].copy_from_slice(&sc.to_le_bytes());
        raw[6..8].copy_from_slice(&(nr as u16).to_le_bytes());
        (2, 8)
    } else {
        raw[0..2].copy_from_slice(&2u16.to_le_bytes());
        raw[2..4].copy_from_slice(&sc.to_le_bytes());
        (1, 4)
    };
    Some(Generic { ts, tid: sys.h.tid, cpu: sys.h.cpu, event_type, n_params, raw, raw_len })
}

/// Lays out the parameters of a syscall record in libscap's layout (lengths, then values) into
/// `raw`, using `vals` as scratch; returns the event type and the number of parameters.
pub(super) fn layout(r: &SysRecord<'_>, enter: bool, raw: &mut Vec<u8>, vals: &mut Vec<u8>) -> (u16, u32) {
    raw.clear();
    vals.clear();
    let nr = r.sys.nr;
    let (_, e, x, sc) = schema::x86_64_syscall(nr).unwrap_or((0, 0, 0, 0));
    let event_type = if enter { e } else { x.max(ev::GENERIC_X) };
    if event_type == ev::GENERIC_E || event_type == ev::GENERIC_X {
        raw.extend_from_slice(&2u16.to_le_bytes());
        if enter {
            raw.extend_from_slice(&2u16.to_le_bytes());
        }
        raw.extend_from_slice(&sc.to_le_bytes());
        if enter {
            raw.extend_from_slice(&(nr as u16).to_le_bytes());
        }
        return (event_type, if enter { 2 } else { 1 });
    }
    let Some(info) = schema::event_info(event_type) else { return (event_type, 0) };
    let table = cached_sources(event_type, info.name, enter);
    let large = schema::has_large_params(event_type);
    for (i, p) in info.params.iter().enumerate() {
        let src = match table.and_then(|t| t.get(i)) {
            Some(s) => *s,
            None if p.name == "res" => Ret,
            None => Zero,
        };
        let before = vals.len();
        value(r, src, p.ty, vals);
        let len = vals.len() - before;
        if large {
            raw.extend_from_slice(&(len as u32).to_le_bytes());
        } else {
            raw.extend_from_slice(&(len as u16).to_le_bytes());
        }
    }
    raw.extend_from_slice(vals);
    (event_type, info.params.len() as u32)
}

/// Bytes a numeric parameter of type `ty` occupies, or `None` for variable-size types.
fn width(ty: ParamType) -> Option<usize> {
    use ParamType as T;
    Some(match ty {
        T::Int8 | T::Uint8 | T::Flags8 | T::Sigtype | T::L4Proto | T::SockFamily | T::EnumFlags8 => 1,
        T::Int16 | T::Uint16 | T::Flags16 | T::SyscallId | T::Port | T::EnumFlags16 => 2,
        T::Int32
        | T::Uint32
        | T::Flags32
        | T::Uid
        | T::Gid
        | T::Mode
        | T::Bool
        | T::Ipv4Addr
        | T::EnumFlags32
        | T::Fd32
        | T::Pid32
        | T::Sigset => 4,
        T::Int64 | T::Uint64 | T::Errno | T::Fd | T::Pid | T::Reltime | T::Abstime | T::Double => 8,
        _ => return None,
    })
}

fn num(ty: ParamType, v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    put_num(&mut out, ty, v);
    out
}

fn put_num(out: &mut Vec<u8>, ty: ParamType, v: i64) {
    if let Some(w) = width(ty) {
        out.extend_from_slice(&v.to_le_bytes()[..w]);
    }
}

fn cstring(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    put_cstring(&mut out, b);
    out
}

fn put_cstring(out: &mut Vec<u8>, b: &[u8]) {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    out.extend_from_slice(&b[..end]);
    out.push(0);
}

fn le_u64_at(b: &[u8], at: usize, w: usize) -> Option<u64> {
    let s = b.get(at..at + w)?;
    let mut buf = [0u8; 8];
    buf[..w].copy_from_slice(s);
    Some(u64::from_le_bytes(buf))
}

/// The data item of register `i`: whichever data-carrying kind the probe wrote.
fn data_item<'a>(r: &SysRecord<'a>, i: u8) -> Option<&'a [u8]> {
    r.items
        .iter()
        .find(|it| {
            it.arg == i
                && matches!(
                    it.kind,
                    arg::BUF_RET | arg::BUF_LEN | arg::BUF_LENPTR | arg::IOV_RET | arg::IOV_LEN | arg::ITEM_IOV
                )
        })
        .map(|it| it.data)
}

/// Appends the value of one parameter to `out`.
fn value(r: &SysRecord<'_>, src: Src, ty: ParamType, out: &mut Vec<u8>) {
    let a = &r.sys.args;
    let reg = |i: u8| a.get(usize::from(i)).copied().unwrap_or(0);
    let int = |i: u8| i64::from(reg(i) as u32 as i32);
    // The common sources first; only sockets, poll lists, processes and a few rare ones build
    // their bytes apart before appending them.
    match src {
        Ret => return put_num(out, ty, r.sys.ret),
        Arg(i) => return put_num(out, ty, reg(i) as i64),
        Int(i) => return put_num(out, ty, int(i)),
        Conv(i, f) => return put_num(out, ty, i64::from(f(reg(i)))),
        OpenMode(f, m) => return put_num(out, ty, i64::from(flags::open_mode(reg(f), reg(m)))),
        Str(i) => {
            if let Some(b) = r.item(arg::STR, i) {
                put_cstring(out, b);
            }
            return;
        }
        Data(i) => return out.extend_from_slice(data_item(r, i).unwrap_or_default()),
        Zero => {
            if !matches!(ty, ParamType::Charbuf | ParamType::Fspath | ParamType::Fsrelpath) {
                put_num(out, ty, 0);
            }
            return;
        }
        _ => {}
    }
    value_rest(r, src, ty, out)
}

fn value_rest(r: &SysRecord<'_>, src: Src, ty: ParamType, out: &mut Vec<u8>) {
    let a = &r.sys.args;
    let reg = |i: u8| a.get(usize::from(i)).copied().unwrap_or(0);
    match src {
        Ret | Arg(_) | Int(_) | Conv(..) | OpenMode(..) | Str(_) | Data(_) | Zero => value(r, src, ty, out),
        Total(i) => {
            let total = r.items.iter().find(|it| it.arg == i && matches!(it.kind, arg::IOV_TOTAL | arg::MSGHDR_TOTAL));
            put_num(out, ty, total.and_then(|it| le_u64_at(it.data, 0, 8)).unwrap_or(0) as i64)
        }
        Backlog(k) => {
            let v = r.item(arg::FD_BACKLOG, 0).and_then(|b| le_u64_at(b, 0, 8)).unwrap_or(0);
            let (len, max) = (v & 0xffff_ffff, v >> 32);
            let pct = (len * 100).checked_div(max).unwrap_or(0);
            put_num(out, ty, [len, max, pct][usize::from(k.min(2))] as i64)
        }
        Sockaddr(i) => out.extend_from_slice(&r.item(arg::SOCKADDR, i).map(net::sockaddr).unwrap_or_default()),
        Tuple(i, inbound) => {
            if let Some(s) = r.item(arg::FD_SOCK, i).and_then(abi::read::<abi::Sock>) {
                let user = r.item_any(arg::SOCKADDR);
                out.extend_from_slice(&net::tuple(&s, r.item_any(arg::ITEM_UNIX_PATH), inbound, user));
            }
        }
        RetTuple => {
            if let Some(s) = r.item_any(arg::RET_SOCK).and_then(abi::read::<abi::Sock>) {
                out.extend_from_slice(&net::tuple(&s, r.item_any(arg::ITEM_UNIX_PATH), true, None));
            }
        }
        Pair(i, k) => {
            let v = r.item(arg::INT2, i).and_then(|b| le_u64_at(b, usize::from(k) * 4, 4)).unwrap_or(u64::MAX);
            put_num(out, ty, i64::from(v as u32 as i32))
        }
        Ino(i) => {
            put_num(out, ty, r.item(arg::FD_FILE, i).and_then(abi::read::<abi::FileInfo>).map_or(0, |f| f.ino as i64))
        }
        RetDev => put_num(
            out,
            ty,
            r.item_any(arg::RET_FILE).and_then(abi::read::<abi::FileInfo>).map_or(0, |f| i64::from(f.dev)),
        ),
        Mem32(i, at) => {
            put_num(out, ty, r.item_any_mem(i).and_then(|b| le_u64_at(b, usize::from(at), 4)).unwrap_or(0) as i64)
        }
        Mem64(i, at) => {
            put_num(out, ty, r.item_any_mem(i).and_then(|b| le_u64_at(b, usize::from(at), 8)).unwrap_or(0) as i64)
        }
        Timespec(i) => {
            let ns = r.item(arg::MEM16, i).and_then(|b| Some((le_u64_at(b, 0, 8)?, le_u64_at(b, 8, 8)?)));
            put_num(out, ty, ns.map_or(0, |(s, n)| (s.wrapping_mul(1_000_000_000).wrapping_add(n)) as i64))
        }
        Timeout(i) if reg(i) == 0 => put_num(out, ty, -1),
        Timeout(i) => value_rest(r, Timespec(i), ty, out),
        Fdlist(i, exit) => out.extend_from_slice(&fdlist(r.item(arg::POLLFDS, i).unwrap_or_default(), exit)),
        PairSock(peer) => {
            let s = r.items_of(arg::FD_SOCK).next().and_then(abi::read::<abi::Sock>);
            put_num(out, ty, s.map_or(0, |s| if peer { s.peer } else { s.sk } as i64))
        }
        Proc(f) => out.extend_from_slice(&proc_value(r, f, ty)),
        Vm(k) => {
            let vm = r.item_any(arg::VM).and_then(abi::read::<abi::Vm>).unwrap_or_default();
            put_num(out, ty, i64::from([vm.vm_size_kb, vm.vm_rss_kb, vm.vm_swap_kb][usize::from(k.min(2))]))
        }
        DynFdOrErrno => {
            out.push(u8::from(r.sys.ret < 0));
            out.extend_from_slice(&r.sys.ret.to_le_bytes());
        }
        SockoptName => put_num(out, ty, i64::from(flags::sockopt_name(reg(1), reg(2)))),
        SockoptVal => out.extend_from_slice(&sockopt_value(reg(1), reg(2), data_item(r, 3).unwrap_or_default())),
        SockoptLen => {
            let len = if r.sys.nr as i64 == libc::SYS_getsockopt {
                r.item(arg::MEM4, 4).and_then(|b| le_u64_at(b, 0, 4)).unwrap_or(0)
            } else {
                reg(4)
            };
            put_num(out, ty, len as i64)
        }
        Ptrace(data) => out.extend_from_slice(&ptrace_value(r, data)),
        SemctlVal => put_num(out, ty, if reg(2) == 16 { reg(3) as i64 } else { 0 }),
        Sembuf(j, f) => {
            let field = (u64::from(j) < reg(2))
                .then(|| r.item(arg::MEM16, 1).and_then(|b| le_u64_at(b, usize::from(j) * 6 + usize::from(f) * 2, 2)))
                .flatten()
                .unwrap_or(0);
            let v = if f == 2 { u64::from(flags::semop_flags(field)) } else { field };
            put_num(out, ty, v as i64)
        }
    }
}

/// The DYNAMIC value of a socket option as the driver lays it out: an index into
/// `SOCKOPT_DYNAMIC_PARAM`, then the value. SOL_SOCKET options it knows are typed (an errno,
/// a timeval as nanoseconds, a u64 cookie, or a u32; 0 when the value could not be read, as
/// the driver clears it); everything else is the raw bytes.
fn sockopt_value(level: u64, name: u64, data: &[u8]) -> Vec<u8> {
    const BYTES: u8 = 0;
    const ERRNO: u8 = 1;
    const UINT32: u8 = 2;
    const UINT64: u8 = 3;
    const TIMEVAL: u8 = 4;
    let u32_at = |at: usize| le_u64_at(data, at, 4).unwrap_or(0);
    let u64_at = |at: usize| le_u64_at(data, at, 8).unwrap_or(0);
    let (idx, bytes) = match (level, flags::sockopt_name(level, name)) {
        (1, 4) => (ERRNO, (-i64::from(u32_at(0) as i32)).to_le_bytes().to_vec()),
        (1, 20 | 21) => {
            let (sec, usec) = (u64_at(0) as i64, u64_at(8) as i64);
            (TIMEVAL, sec.wrapping_mul(1_000_000_000).wrapping_add(usec.wrapping_mul(1000)).to_le_bytes().to_vec())
        }
        (1, 53) => (UINT64, u64_at(0).to_le_bytes().to_vec()),
        (1, o) if flags::sockopt_is_u32(o) => (UINT32, (u32_at(0) as u32).to_le_bytes().to_vec()),
        _ => (BYTES, data.to_vec()),
    };
    let mut v = vec![idx];
    v.extend_from_slice(&bytes);
    v
}

/// ptrace's `addr` or `data` as the driver lays them out (`PTRACE_DYNAMIC_PARAM`): both 0 as
/// u64 when the call failed; `addr` as u64; `data` as the word a PEEK request read, as the
/// signal that CONT, SINGLESTEP, DETACH and SYSCALL deliver, else as u64.
fn ptrace_value(r: &SysRecord<'_>, data: bool) -> Vec<u8> {
    const UINT64: u8 = 0;
    const SIGTYPE: u8 = 1;
    let a = &r.sys.args;
    let request = flags::ptrace_request(a[0]);
    let (idx, bytes) = if r.sys.ret < 0 {
        (UINT64, 0u64.to_le_bytes().to_vec())
    } else if !data {
        (UINT64, a[2].to_le_bytes().to_vec())
    } else {
        match request {
            2..=4 => {
                (UINT64, r.item(arg::PEEK8, 3).and_then(|b| le_u64_at(b, 0, 8)).unwrap_or(0).to_le_bytes().to_vec())
            }
            8 | 10 | 12 | 13 => (SIGTYPE, vec![a[3] as u8]),
            _ => (UINT64, a[3].to_le_bytes().to_vec()),
        }
    };
    let mut v = vec![idx];
    v.extend_from_slice(&bytes);
    v
}

impl<'a> SysRecord<'a> {
    /// A fixed-size memory item (MEM4/8/16/24) of register `i`.
    fn item_any_mem(&self, i: u8) -> Option<&'a [u8]> {
        self.items
            .iter()
            .find(|it| it.arg == i && matches!(it.kind, arg::MEM4 | arg::MEM8 | arg::MEM16 | arg::MEM24))
            .map(|it| it.data)
    }
}

/// A pollfd array in libscap's FDLIST layout: count, then (fd as u64, flags as u16) each.
fn fdlist(raw: &[u8], exit: bool) -> Vec<u8> {
    let n = raw.len() / 8;
    let mut v = (n as u16).to_le_bytes().to_vec();
    for pfd in raw.chunks_exact(8) {
        let fd = i64::from(i32::from_le_bytes([pfd[0], pfd[1], pfd[2], pfd[3]]));
        let events = u16::from_le_bytes(if exit { [pfd[6], pfd[7]] } else { [pfd[4], pfd[5]] });
        v.extend_from_slice(&fd.to_le_bytes());
        v.extend_from_slice(&poll_flags(events).to_le_bytes());
    }
    v
}

/// poll event bits to `PPM_POLL*`.
fn poll_flags(e: u16) -> u16 {
    let map: &[(u16, u16)] = &[
        (0x001, 1 << 0),
        (0x002, 1 << 1),
        (0x004, 1 << 2),
        (0x008, 1 << 3),
        (0x010, 1 << 4),
        (0x020, 1 << 5),
        (0x040, 1 << 6),
        (0x080, 1 << 7),
        (0x100, 1 << 8),
        (0x200, 1 << 9),
    ];
    map.iter().filter(|(l, _)| e & l != 0).fold(0, |acc, (_, p)| acc | p)
}

fn proc_value(r: &SysRecord<'_>, f: ProcField, ty: ParamType) -> Vec<u8> {
    let p = r.item_any(arg::PROC).and_then(abi::read::<abi::Proc>).unwrap_or_default();
    let args_area = r.item_any(arg::ITEM_ARGS).unwrap_or_default();
    let mut argv = args_area.split(|&c| c == 0);
    match f {
        P::Exe => cstring(argv.next().unwrap_or_default()),
        P::Args => {
            let first = args_area.iter().position(|&c| c == 0).map_or(args_area.len(), |i| i + 1);
            let rest = &args_area[first..];
            let mut v = rest.to_vec();
            if !v.is_empty() && v.last() != Some(&0) {
                v.push(0);
            }
            v
        }
        P::Tid => num(ty, i64::from(p.tid)),
        P::Pid => num(ty, i64::from(p.pid)),
        P::Ptid => num(ty, i64::from(p.ptid)),
        P::Cwd => match r.item_any(arg::ITEM_CWD) {
            Some(leaf_first) => {
                let mut path = components_to_path(leaf_first);
                path.push(0);
                path
            }
            None => Vec::new(),
        },
        P::Fdlimit => num(ty, p.fdlimit as i64),
        P::PgftMaj => num(ty, p.pgft_maj as i64),
        P::PgftMin => num(ty, p.pgft_min as i64),
        P::VmSize => num(ty, i64::from(p.vm_size_kb)),
        P::VmRss => num(ty, i64::from(p.vm_rss_kb)),
        P::VmSwap => num(ty, i64::from(p.vm_swap_kb)),
        P::Comm => cstring(&p.comm),
        P::Cgroups => cgroups(r.item_any(arg::ITEM_CGROUP).unwrap_or_default()),
        P::Env => {
            let mut v = r.item_any(arg::ITEM_ENV).unwrap_or_default().to_vec();
            if !v.is_empty() && v.last() != Some(&0) {
                v.push(0);
            }
            v
        }
        P::Tty => num(ty, i64::from(p.tty)),
        P::Pgid => num(ty, i64::from(p.pgid)),
        P::Loginuid => num(ty, i64::from(p.loginuid as i32)),
        P::ExecFlags => num(ty, i64::from(p.exe_writable != 0)),
        P::CloneFlags => {
            let raw = match r.sys.nr as i64 {
                libc::SYS_clone3 => r.item(arg::MEM8, 0).and_then(|b| le_u64_at(b, 0, 8)).unwrap_or(0),
                libc::SYS_clone => r.sys.args[0],
                libc::SYS_vfork => 0x4000 | 0x100,
                _ => 0,
            };
            num(ty, i64::from(flags::clone_flags(raw)))
        }
        P::Uid => num(ty, i64::from(p.uid)),
        P::Gid => num(ty, i64::from(p.gid)),
        P::Vtid => num(ty, i64::from(p.vtid)),
        P::Vpid => num(ty, i64::from(p.vpid)),
    }
}

/// Path components, leaf first and NUL separated, as an absolute path (`/` for none).
fn components_to_path(leaf_first: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = leaf_first.split(|&c| c == 0).filter(|p| !p.is_empty()).collect();
    parts.reverse();
    let mut path = Vec::new();
    for p in &parts {
        path.push(b'/');
        path.extend_from_slice(p);
    }
    if path.is_empty() {
        path.push(b'/');
    }
    path
}

/// The cgroup v2 path components (leaf first) as libscap's cgroups list: `subsys=path` entries.
/// A unified hierarchy has one path for every controller; like libscap we list the common ones.
fn cgroups(leaf_first: &[u8]) -> Vec<u8> {
    let path = components_to_path(leaf_first);
    let mut v = Vec::new();
    for subsys in ["cpuset", "cpu", "cpuacct", "io", "memory", "devices", "freezer", "net_cls", "perf_event", "pids"] {
        v.extend_from_slice(subsys.as_bytes());
        v.push(b'=');
        v.extend_from_slice(&path);
        v.push(0);
    }
    v
}
