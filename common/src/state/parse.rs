//! How each event changes the state, following libsinsp 0.29.3's parser event by event.
//!
//! Parameters are read by position, as libsinsp reads them, after checking the event type; every
//! historical layout of an event type (clone has four, execve nine) is handled by its own branch.
//! Missing parameters (old traces carry fewer) leave the state as it is instead of failing.

use super::paths::{self, concatenate_limited, until_nul, MAX_PATH};
use super::threads::{cl, EnterInfo, Thread};
use super::{fd_flags, l4, Fd, State, CANCELED_FD, FD_UNKNOWN};
use crate::event::{le_i64, le_u64, Event};
use crate::scap::blocks::fd_type;
use crate::schema::{ev, flags};

/// libscap socket families in event parameters.
const AF_UNIX: u8 = 1;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const AF_NETLINK: u8 = 16;

/// `PPM_AT_FDCWD`.
pub const AT_FDCWD: i64 = -100;
const PPM_O_DIRECTORY: u32 = 1 << 10;
const PPM_FCNTL_F_DUPFD: u8 = 1;
const PPM_FCNTL_F_DUPFD_CLOEXEC: u8 = 26;
const PPM_RLIMIT_NOFILE: u8 = 7;
const PPM_EXE_WRITABLE: u32 = 1;
const PPM_EXVAT_AT_EMPTY_PATH: u32 = 1;
const CLONE_STALE_TIME_NS: u64 = 2_000_000_000;
const EINPROGRESS: i64 = 115;

/// Finds an event parameter by name.
pub fn arg<'a>(e: &'a Event, name: &str) -> Option<&'a [u8]> {
    let idx = arg_index(e.event_type, name)?;
    e.param(idx)
}

/// The index of a parameter of an event type by name.
pub fn arg_index(event_type: u16, name: &str) -> Option<usize> {
    crate::schema::event_info(event_type)?.params.iter().position(|p| p.name == name)
}

fn p_i64(e: &Event, i: usize) -> Option<i64> {
    e.param(i).and_then(le_i64)
}

/// The first parameter as a signed integer, `p_i64(e, 0)` without the walk over the lengths:
/// it starts right after them (`large`: the event type's lengths are 32 bits wide).
#[inline(always)]
fn first_i64(e: &Event, large: bool) -> Option<i64> {
    let raw = e.raw.as_slice();
    let width = if large { 4 } else { 2 };
    let header = (e.n_params as usize).saturating_mul(width).min(raw.len());
    if header < width {
        return None;
    }
    let len = if width == 4 {
        u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize
    } else {
        usize::from(u16::from_le_bytes([raw[0], raw[1]]))
    };
    let end = header.saturating_add(len).min(raw.len());
    le_i64(&raw[header..end])
}

/// Parameters `first..first + N` as unsigned integers, in one walk over the lengths (what
/// `e.params().skip(first).map(le_u64)` gives, `None` past the last parameter).
#[inline]
fn u64_params<const N: usize>(e: &Event, large: bool, first: usize) -> [Option<u64>; N] {
    let raw = e.raw.as_slice();
    let width = if large { 4 } else { 2 };
    let header = (e.n_params as usize).saturating_mul(width).min(raw.len());
    let lens = &raw[..header];
    let mut out = [None; N];
    let mut off = header;
    for (i, c) in lens.chunks_exact(width).take(first + N).enumerate() {
        let len = if width == 4 {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize
        } else {
            usize::from(u16::from_le_bytes([c[0], c[1]]))
        };
        let end = off.saturating_add(len).min(raw.len());
        if i >= first {
            out[i - first] = le_u64(&raw[off..end]);
        }
        off = end;
    }
    out
}

fn p_u64(e: &Event, i: usize) -> Option<u64> {
    e.param(i).and_then(le_u64)
}

fn is_clone_exit(t: u16) -> bool {
    matches!(
        t,
        ev::SYSCALL_CLONE_11_X
            | ev::SYSCALL_CLONE_16_X
            | ev::SYSCALL_CLONE_17_X
            | ev::SYSCALL_CLONE_20_X
            | ev::SYSCALL_FORK_X
            | ev::SYSCALL_FORK_17_X
            | ev::SYSCALL_FORK_20_X
            | ev::SYSCALL_VFORK_X
            | ev::SYSCALL_VFORK_17_X
            | ev::SYSCALL_VFORK_20_X
            | ev::SYSCALL_CLONE3_X
    )
}

/// Runs the parser for one event: resolves its thread and fd, then applies its effect.
#[inline]
pub(super) fn process_event(st: &mut State, e: &Event) {
    let parser = parser_of(e.event_type);
    // An event without a parser of its own changes nothing after `reset`, so `reset` also does
    // the cleanup while it holds the thread (one lookup of the tid fewer).
    let cleaned = reset(st, e, parser.is_none());
    if let Some(parse) = parser {
        parse(st, e);
    }
    if e.is_hidden() {
        st.cur.filtered_out = true;
    }
    if !cleaned {
        event_cleanup(st, e);
    }
}

/// The parser of an event type, `None` for the types `reset` alone handles (context switches
/// included: `reset` parses them with the thread in hand).
fn parser_of(t: u16) -> Option<fn(&mut State, &Event)> {
    Some(match t {
        ev::SOCKET_SENDTO_E => parse_sendto_enter,
        ev::SYSCALL_OPEN_E
        | ev::SYSCALL_CREAT_E
        | ev::SYSCALL_OPENAT_E
        | ev::SYSCALL_OPENAT_2_E
        | ev::SYSCALL_OPENAT2_E
        | ev::SOCKET_SOCKET_E
        | ev::SYSCALL_EVENTFD_E
        | ev::SYSCALL_CHDIR_E
        | ev::SYSCALL_FCHDIR_E
        | ev::SOCKET_SHUTDOWN_E
        | ev::SYSCALL_GETRLIMIT_E
        | ev::SYSCALL_SETRLIMIT_E
        | ev::SYSCALL_PRLIMIT_E
        | ev::SOCKET_SENDMSG_E
        | ev::SYSCALL_SENDFILE_E
        | ev::SYSCALL_SETRESUID_E
        | ev::SYSCALL_SETRESGID_E
        | ev::SYSCALL_SETUID_E
        | ev::SYSCALL_SETGID_E
        | ev::SYSCALL_EXECVE_18_E
        | ev::SYSCALL_EXECVE_19_E
        | ev::SYSCALL_EXECVEAT_E
        | ev::SYSCALL_SETPGID_E => store_event,
        ev::SYSCALL_READ_X
        | ev::SYSCALL_WRITE_X
        | ev::SOCKET_RECV_X
        | ev::SOCKET_SEND_X
        | ev::SOCKET_RECVFROM_X
        | ev::SOCKET_RECVMSG_X
        | ev::SOCKET_SENDTO_X
        | ev::SOCKET_SENDMSG_X
        | ev::SYSCALL_READV_X
        | ev::SYSCALL_WRITEV_X
        | ev::SYSCALL_PREAD_X
        | ev::SYSCALL_PWRITE_X
        | ev::SYSCALL_PREADV_X
        | ev::SYSCALL_PWRITEV_X => parse_rw_exit,
        ev::SYSCALL_OPEN_X
        | ev::SYSCALL_CREAT_X
        | ev::SYSCALL_OPENAT_X
        | ev::SYSCALL_OPENAT_2_X
        | ev::SYSCALL_OPENAT2_X => parse_open_exit,
        _ if is_clone_exit(t) => parse_clone_exit,
        ev::SYSCALL_EXECVE_8_X
        | ev::SYSCALL_EXECVE_13_X
        | ev::SYSCALL_EXECVE_14_X
        | ev::SYSCALL_EXECVE_15_X
        | ev::SYSCALL_EXECVE_16_X
        | ev::SYSCALL_EXECVE_17_X
        | ev::SYSCALL_EXECVE_18_X
        | ev::SYSCALL_EXECVE_19_X
        | ev::SYSCALL_EXECVEAT_X => parse_execve_exit,
        ev::PROCEXIT_E | ev::PROCEXIT_1_E => parse_procexit,
        ev::SYSCALL_PIPE_X => parse_pipe_exit,
        ev::SOCKET_SOCKET_X => parse_socket_exit,
        ev::SOCKET_BIND_X => parse_bind_exit,
        ev::SOCKET_CONNECT_E => parse_connect_enter,
        ev::SOCKET_CONNECT_X => parse_connect_exit,
        ev::SOCKET_ACCEPT_X | ev::SOCKET_ACCEPT_5_X | ev::SOCKET_ACCEPT4_X | ev::SOCKET_ACCEPT4_5_X => {
            parse_accept_exit
        }
        ev::SYSCALL_CLOSE_E => parse_close_enter,
        ev::SYSCALL_CLOSE_X => parse_close_exit,
        ev::SYSCALL_FCNTL_E => parse_fcntl_enter,
        ev::SYSCALL_FCNTL_X => parse_fcntl_exit,
        ev::SYSCALL_EVENTFD_X => |st, e| add_simple_fd(st, e, fd_type::EVENT),
        ev::SYSCALL_SIGNALFD_X => |st, e| add_simple_fd(st, e, fd_type::SIGNALFD),
        ev::SYSCALL_TIMERFD_CREATE_X => |st, e| add_simple_fd(st, e, fd_type::TIMERFD),
        ev::SYSCALL_INOTIFY_INIT_X => |st, e| add_simple_fd(st, e, fd_type::INOTIFY),
        ev::SYSCALL_CHDIR_X => parse_chdir_exit,
        ev::SYSCALL_FCHDIR_X => parse_fchdir_exit,
        ev::SYSCALL_GETCWD_X => parse_getcwd_exit,
        ev::SYSCALL_DUP_X => parse_dup_exit,
        ev::SYSCALL_GETRLIMIT_X | ev::SYSCALL_SETRLIMIT_X => parse_rlimit_exit,
        ev::SYSCALL_PRLIMIT_X => parse_prlimit_exit,
        ev::SOCKET_SOCKETPAIR_X => parse_socketpair_exit,
        ev::SYSCALL_BRK_4_X | ev::SYSCALL_MMAP_X | ev::SYSCALL_MMAP2_X | ev::SYSCALL_MUNMAP_X => parse_memory_exit,
        ev::SYSCALL_SETRESUID_X | ev::SYSCALL_SETUID_X => |st, e| parse_setid_exit(st, e, true),
        ev::SYSCALL_SETRESGID_X | ev::SYSCALL_SETGID_X => |st, e| parse_setid_exit(st, e, false),
        ev::CONTAINER_E => parse_container_evt,
        ev::K8S_E => parse_k8s_evt,
        ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E => parse_container_json_evt,
        ev::SYSCALL_CHROOT_X => parse_chroot_exit,
        ev::SYSCALL_SETSID_X => parse_setsid_exit,
        ev::SOCKET_GETSOCKOPT_X => parse_getsockopt_exit,
        _ => return None,
    })
}

/// Whether parsing an event of this type can rename the fd `reset` resolved for it, so that its
/// name before parsing is kept for `fd.name_changed` (others cannot change it: the name is not
/// copied for them).
fn renames_event_fd(t: u16) -> bool {
    matches!(
        t,
        ev::SOCKET_BIND_X
            | ev::SOCKET_CONNECT_E
            | ev::SOCKET_CONNECT_X
            | ev::SOCKET_RECVFROM_X
            | ev::SOCKET_RECVMSG_X
            | ev::SOCKET_SENDTO_X
            | ev::SOCKET_SENDMSG_X
            | ev::SYSCALL_DUP_X
            | ev::SYSCALL_FCNTL_X
    )
}

fn parse_sendto_enter(st: &mut State, e: &Event) {
    if st.cur.fd.is_none() && st.cur.tid.is_some() {
        infer_sendto_fdinfo(st, e);
    }
    store_event(st, e);
}

fn parse_procexit(st: &mut State, e: &Event) {
    if let Some(tid) = st.cur.tid {
        if let Some(th) = st.threads.get_mut(&tid) {
            th.flags |= cl::CLOSED;
        }
        st.tid_to_remove = Some(e.tid);
    }
}

fn parse_fcntl_enter(st: &mut State, e: &Event) {
    let cmd = e.param(1).and_then(|b| b.first().copied());
    if st.cur.tid.is_some() && matches!(cmd, Some(PPM_FCNTL_F_DUPFD) | Some(PPM_FCNTL_F_DUPFD_CLOEXEC)) {
        store_event(st, e);
    }
}

fn parse_chdir_exit(st: &mut State, e: &Event) {
    if let (Some(tid), Some(res)) = (st.cur.tid, p_i64(e, 0)) {
        if res >= 0 {
            if let Some(path) = e.param(1) {
                set_cwd(st, tid, path);
            }
        }
    }
}

fn parse_fchdir_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    if let (Some(tid), Some(name)) = (st.cur.tid, st.cur_fd().map(|f| f.name.clone())) {
        set_cwd(st, tid, &name);
    }
}

fn parse_getcwd_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    if let (Some(tid), Some(path)) = (st.cur.tid, e.param(1)) {
        set_cwd(st, tid, path);
    }
}

fn parse_memory_exit(st: &mut State, e: &Event) {
    if let Some(th) = st.cur.tid.and_then(|tid| st.threads.get_mut(&tid)) {
        // One walk over the parameters: vm_size, vm_rss, vm_swap after the first.
        let large = e.info().is_some_and(|i| i.flags & flags::LARGE_PAYLOAD != 0);
        if let [Some(a), Some(b), Some(c)] = u64_params::<3>(e, large, 1) {
            th.vmsize_kb = a as u32;
            th.vmrss_kb = b as u32;
            th.vmswap_kb = c as u32;
        }
    }
}

fn parse_k8s_evt(st: &mut State, e: &Event) {
    if let Some(json) = e.param(0) {
        st.k8s.apply_json(json.strip_suffix(b"\0").unwrap_or(json));
    }
}

fn parse_setsid_exit(st: &mut State, e: &Event) {
    if let Some(res) = p_i64(e, 0).filter(|&r| r >= 0) {
        if let Some(th) = st.threads.get_mut(&e.tid) {
            th.sid = res;
        }
    }
}

/// What libsinsp does after an event has been seen: the stored enter event is forgotten once
/// an exit event was parsed, and the thread's last-event time moves on.
fn event_cleanup(st: &mut State, e: &Event) {
    let switch = e.event_type == ev::SCHEDSWITCH_1_E || e.event_type == ev::SCHEDSWITCH_6_E;
    if e.is_enter() && switch {
        return; // nothing to do: no stored event to forget, no time to move on
    }
    let Some(tid) = st.cur.tid else { return };
    let Some(th) = st.threads.get_mut(&tid) else { return };
    cleanup_thread(th, e);
}

fn cleanup_thread(th: &mut Thread, e: &Event) {
    if !e.is_enter() && th.lastevent_data.is_some() {
        th.lastevent_data = None;
        th.lastevent_valid = false;
    }
    if e.event_type != ev::SCHEDSWITCH_1_E && e.event_type != ev::SCHEDSWITCH_6_E {
        th.prevevent_ts = th.lastevent_ts;
        th.lastevent_ts = e.ts;
    }
}

/// Looks up an fd of a thread as the event's fd (its name is not kept: see `renames_event_fd`).
fn lookup_fd(st: &mut State, tid: i64, fd: i64) -> Option<(i64, i64)> {
    if fd < 0 {
        return None;
    }
    let owner = owner_creating(st, tid)?;
    st.threads.get(&owner)?.fds.get(fd)?;
    Some((owner, fd))
}

/// The owner of a thread's fd table, creating the placeholder main thread libsinsp creates when
/// a thread sharing files has none.
fn owner_creating(st: &mut State, tid: i64) -> Option<i64> {
    let th = st.threads.get(&tid)?;
    if !th.shares_files() {
        return Some(tid);
    }
    main_creating(st, tid)
}

/// The main thread of a thread, creating a placeholder for it like libsinsp's `get_main_thread`.
fn main_creating(st: &mut State, tid: i64) -> Option<i64> {
    let th = st.threads.get(&tid)?;
    if th.is_main() {
        return Some(tid);
    }
    let pid = th.pid;
    Some(st.get_or_create(pid))
}

/// What `reset` asks of an event type, one bit each (`RESET_*`), from the event table.
fn reset_bits(t: u16) -> u8 {
    static BITS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let bits = BITS.get_or_init(|| {
        (0..=u16::MAX)
            .map_while(|t| {
                let info = crate::schema::event_info(t)?;
                let mut b = 0;
                if info.flags & flags::SKIPPARSERESET != 0 {
                    b |= RESET_SKIP;
                }
                if t == ev::CONTAINER_JSON_E || t == ev::CONTAINER_JSON_2_E {
                    b |= RESET_NO_THREAD;
                }
                if is_clone_exit(t) || t == ev::SCHEDSWITCH_6_E {
                    b |= RESET_NO_QUERY;
                }
                if info.flags & flags::USES_FD != 0 {
                    b |= RESET_USES_FD;
                }
                if info.params.first().is_some_and(|p| p.name == "res" || p.name == "fd") {
                    b |= RESET_RESULT_FIRST;
                }
                if info.flags & flags::LARGE_PAYLOAD != 0 {
                    b |= RESET_LARGE;
                }
                Some(b)
            })
            .collect()
    });
    bits.get(usize::from(t)).copied().unwrap_or(0)
}

/// libscap's `EF_SKIPPARSERESET`.
const RESET_SKIP: u8 = 1;
/// Container events, which have no thread.
const RESET_NO_THREAD: u8 = 1 << 1;
/// Events for which libsinsp does not ask the OS about an unknown thread (clone exits, switches).
const RESET_NO_QUERY: u8 = 1 << 2;
/// libscap's `EF_USES_FD`.
const RESET_USES_FD: u8 = 1 << 3;
/// The first parameter is the result (`res` or `fd`).
const RESET_RESULT_FIRST: u8 = 1 << 4;
/// libscap's `EF_LARGE_PAYLOAD`.
const RESET_LARGE: u8 = 1 << 5;

/// Resolves the event's thread and fd, as libsinsp's `sinsp_parser::reset`. With `cleanup`, also
/// does `event_cleanup`'s work on the thread when it has it in hand; returns whether it did.
fn reset(st: &mut State, e: &Event, cleanup: bool) -> bool {
    st.cur.clear();
    let etype = e.event_type;
    let tid = e.tid;
    let bits = reset_bits(etype);
    if bits & RESET_SKIP != 0 {
        if etype == ev::PROCINFO_E && st.threads.contains_key(&tid) {
            st.cur.tid = Some(tid);
        }
        return false;
    }
    if bits & RESET_NO_THREAD != 0 {
        return false;
    }
    let query_os = bits & RESET_NO_QUERY == 0;
    let large = bits & RESET_LARGE != 0;
    // A context switch counts the CPU time since the previous one on its CPU, thread or not.
    let exectime = if etype == ev::SCHEDSWITCH_6_E { st.switch_exectime(e) } else { 0 };
    // Find the thread, creating the placeholder libsinsp creates when the OS would be asked.
    let mut found = st.threads.get_mut(&tid);
    if found.is_none() {
        if !query_os {
            return false;
        }
        st.get_or_create(tid);
        found = st.threads.get_mut(&tid);
    }
    let Some(th) = found else { return false };
    st.cur.tid = Some(tid);
    if etype == ev::SCHEDSWITCH_6_E {
        // libsinsp's parse of a context switch (its cleanup moves nothing for one).
        // One walk over the parameters: next_tid, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap.
        let [maj, min, size, rss, swap] = u64_params::<5>(e, large, 1);
        if let Some(v) = maj {
            th.pfmajor = v;
        }
        if let Some(v) = min {
            th.pfminor = v;
        }
        th.totexectime = th.totexectime.wrapping_add(exectime);
        // The main thread, created as a placeholder when unknown (`main_creating`).
        let m = if th.is_main() {
            th
        } else {
            let pid = th.pid;
            let main = st.get_or_create(pid);
            let Some(m) = st.threads.get_mut(&main) else { return cleanup };
            m
        };
        if let (Some(a), Some(b), Some(c)) = (size, rss, swap) {
            m.vmsize_kb = a as u32;
            m.vmrss_kb = b as u32;
            m.vmswap_kb = c as u32;
        }
        return cleanup;
    }
    if query_os {
        th.flags |= cl::ACTIVE;
    }
    let exit = !e.is_enter();
    let fd = if !exit {
        let fd = if bits & RESET_USES_FD != 0 { first_i64(e, large) } else { None };
        th.lastevent_fd = fd.unwrap_or(-1);
        th.lastevent_type = etype;
        th.latency = 0;
        th.last_latency_entertime = e.ts;
        fd
    } else {
        if th.last_latency_entertime != 0 {
            th.latency = e.ts.wrapping_sub(th.last_latency_entertime);
        }
        let mut resolve = true;
        if etype == th.lastevent_type.wrapping_add(1) {
            th.lastevent_valid = true;
        } else {
            th.lastevent_valid = false;
            resolve = th.lastevent_type == ev::TRACER_E;
        }
        if resolve && bits & RESET_RESULT_FIRST != 0 && e.n_params > 0 {
            if let Some(res) = first_i64(e, large).filter(|&r| r < 0) {
                st.cur.errorcode = res.wrapping_neg() as i32;
            }
        }
        if resolve && bits & RESET_USES_FD != 0 {
            if etype == ev::SYSCALL_COPY_FILE_RANGE_X {
                if let Some(fd) = p_i64(e, 1) {
                    th.lastevent_fd = fd;
                }
            }
            Some(th.lastevent_fd)
        } else {
            None
        }
    };
    if cleanup {
        cleanup_thread(th, e);
    }
    let Some(fd) = fd.filter(|&fd| fd >= 0) else { return cleanup };
    // The fd table: the thread's own, or its main thread's (created if unknown) when it shares
    // files.
    let (owner, table) = if !th.shares_files() || th.is_main() {
        (tid, &mut th.fds)
    } else {
        let pid = th.pid;
        let owner = st.get_or_create(pid);
        let Some(m) = st.threads.get_mut(&owner) else { return cleanup };
        (owner, &mut m.fds)
    };
    let Some(f) = table.get_mut(fd) else { return cleanup };
    st.cur.fd = Some((owner, fd));
    if renames_event_fd(etype) {
        st.cur.keep_old_name(&f.name);
    }
    if exit {
        // A close canceled by a new fd of the same number: the parked fd goes at the next event.
        let canceled = f.flags & fd_flags::CLOSE_CANCELED != 0;
        f.flags &= !fd_flags::CLOSE_CANCELED;
        if canceled && table.get(CANCELED_FD).is_some() {
            st.tid_of_fds_to_remove = tid;
            st.fds_to_remove.push(CANCELED_FD);
        }
    }
    cleanup
}

/// Keeps an enter event so its exit can read its parameters.
fn store_event(st: &mut State, e: &Event) {
    let Some(th) = st.cur.tid.and_then(|tid| st.threads.get_mut(&tid)) else { return };
    th.lastevent_data.get_or_insert_with(EnterInfo::default).set_from(e);
}

/// The stored enter event matching an exit event, if libsinsp could retrieve it.
fn retrieve_enter(st: &mut State, e: &Event) -> Option<EnterInfo> {
    let th = st.threads.get_mut(&st.cur.tid?)?;
    if !th.lastevent_valid {
        return None;
    }
    let data = th.lastevent_data.as_ref()?;
    if data.event_type != e.event_type.wrapping_sub(1) {
        th.lastevent_valid = false;
        return None;
    }
    Some(data.clone())
}

/// Whether the stored enter event of the event's thread would be retrieved now (no copy).
pub fn enter_available(st: &State, e: &Event) -> bool {
    let Some(th) = st.threads.get(&e.tid) else { return false };
    th.lastevent_valid && th.lastevent_data.as_ref().is_some_and(|d| d.event_type == e.event_type.wrapping_sub(1))
}

/// Adds an fd to the event thread's table and makes it the event's fd.
fn add_fd(st: &mut State, tid: i64, num: i64, fd: Fd, old_name: &[u8]) {
    let Some(owner) = owner_creating(st, tid) else { return };
    let Some(t) = st.threads.get_mut(&owner) else { return };
    if t.fds.add(num, fd) {
        st.cur.fd = Some((owner, num));
        st.cur.keep_old_name(old_name);
    } else {
        st.cur.fd = None;
    }
    if let Some(t) = st.threads.get_mut(&tid) {
        t.lastevent_fd = num;
    }
}

fn event_fd_mut(st: &mut State) -> Option<&mut Fd> {
    let (owner, num) = st.cur.fd?;
    st.threads.get_mut(&owner)?.fds.get_mut(num)
}

fn add_simple_fd(st: &mut State, e: &Event, ty: u8) {
    let Some(tid) = st.cur.tid else { return };
    let Some(fd) = p_i64(e, 0).filter(|&f| f >= 0) else { return };
    add_fd(st, tid, fd, Fd::new(ty, Vec::new()), b"");
}

fn set_cwd(st: &mut State, tid: i64, path: &[u8]) {
    let Some(main) = main_creating(st, tid) else { return };
    let Some(m) = st.threads.get_mut(&main) else { return };
    let (mut cwd, _) = concatenate_limited(&m.cwd, path, MAX_PATH);
    if !cwd.ends_with(b"/") {
        cwd.push(b'/');
    }
    m.cwd = cwd;
}

fn cwd_of(st: &mut State, tid: i64) -> Vec<u8> {
    match main_creating(st, tid).and_then(|m| st.threads.get(&m)) {
        Some(m) => m.cwd.clone(),
        None => b"./".to_vec(),
    }
}

fn parse_clone_exit(st: &mut State, e: &Event) {
    let etype = e.event_type;
    let mut tid = e.tid;
    let Some(mut childtid) = p_i64(e, 0) else { return };
    let is_20 =
        matches!(etype, ev::SYSCALL_CLONE_20_X | ev::SYSCALL_FORK_20_X | ev::SYSCALL_VFORK_20_X | ev::SYSCALL_CLONE3_X);
    let (flags_idx, uid_idx, gid_idx) = match etype {
        ev::SYSCALL_CLONE_11_X => (8, 9, 10),
        ev::SYSCALL_CLONE_16_X | ev::SYSCALL_FORK_X | ev::SYSCALL_VFORK_X => (13, 14, 15),
        ev::SYSCALL_CLONE_17_X | ev::SYSCALL_FORK_17_X | ev::SYSCALL_VFORK_17_X => (14, 15, 16),
        _ => (15, 16, 17),
    };
    let clone_flags = p_u64(e, flags_idx).unwrap_or(0) as u32;
    if childtid < 0 {
        return;
    }
    let (mut vtid, mut vpid) = (tid, -1);
    if is_20 {
        vtid = p_i64(e, 18).unwrap_or(tid);
        vpid = p_i64(e, 19).unwrap_or(-1);
    }
    let in_container = clone_flags & cl::CHILD_IN_PIDNS != 0 || tid != vtid;
    let mut inverted = false;
    let mut tid_collision = false;
    if childtid == 0 {
        if let Some(ctid) = st.cur.tid {
            let stale = st
                .threads
                .get(&ctid)
                .is_some_and(|t| t.clone_ts != 0 && e.ts.wrapping_sub(t.clone_ts) > CLONE_STALE_TIME_NS);
            if stale {
                st.remove_thread(tid, true);
                st.cur.tid = None;
            }
        }
        let parenttid = if clone_flags & cl::CLONE_THREAD != 0 { p_i64(e, 4) } else { p_i64(e, 5) };
        let Some(parenttid) = parenttid else { return };
        match st.cur.tid {
            None => {
                inverted = true;
                childtid = tid;
                tid = parenttid;
            }
            Some(ctid) => {
                if in_container {
                    if let Some(t) = st.threads.get_mut(&ctid) {
                        t.vtid = vtid;
                        t.vpid = vpid;
                    }
                }
                return;
            }
        }
    } else if in_container {
        return;
    }

    st.get_or_create(tid);
    let valid_parent = st.threads.get(&tid).is_some_and(|p| !p.is_placeholder());
    if let Some(child) = st.threads.get(&childtid) {
        if child.flags & cl::CLONE_INVERTED != 0 {
            return;
        }
        st.remove_thread(childtid, true);
        tid_collision = true;
    }

    let mut t = Thread { tid: childtid, ptid: tid, ..Thread::default() };
    let exe = e.param(1).map(|b| until_nul(b).to_vec()).unwrap_or_default();
    let comm = match etype {
        ev::SYSCALL_CLONE_11_X | ev::SYSCALL_CLONE_16_X | ev::SYSCALL_FORK_X | ev::SYSCALL_VFORK_X => exe.clone(),
        _ => e.param(13).map(|b| until_nul(b).to_vec()).unwrap_or_default(),
    };
    let args = e.param(2).unwrap_or_default();
    if valid_parent {
        if let Some(p) = st.threads.get(&tid) {
            t.exepath = p.exepath.clone();
            t.exe_writable = p.exe_writable;
            t.root = p.root.clone();
            t.sid = p.sid;
            t.vpgid = p.vpgid;
            t.tty = p.tty;
            t.loginuid = p.loginuid;
            if clone_flags & cl::CLONE_THREAD == 0 {
                t.env = p.env.clone();
            }
        }
    } else {
        st.remove_thread(tid, true);
        tid_collision = true;
        st.get_or_create(tid);
        if let Some(p) = st.threads.get_mut(&tid) {
            p.comm = comm.clone();
            p.exe = exe.clone();
            p.exepath = Vec::new();
            p.set_args(args);
        }
    }
    t.pid = p_i64(e, 4).unwrap_or(childtid);
    t.flags = clone_flags;
    if clone_flags & cl::CLONE_THREAD == 0 {
        t.pid = childtid;
        if let Some(owner) = owner_creating(st, tid) {
            if let Some(p) = st.threads.get(&owner) {
                t.fds = p.fds.clone();
                for (_, f) in t.fds.iter_mut() {
                    f.flags |= fd_flags::IS_CLONED;
                }
            }
        }
        t.cwd = cwd_of(st, tid);
    }
    if inverted {
        t.flags |= cl::CLONE_INVERTED;
    }
    t.exe = exe;
    t.comm = comm;
    t.set_args(args);
    if let Some(v) = p_i64(e, 7) {
        t.fdlimit = v;
    }
    if etype != ev::SYSCALL_CLONE_11_X {
        t.pfmajor = p_u64(e, 8).unwrap_or(0);
        t.pfminor = p_u64(e, 9).unwrap_or(0);
        t.vmsize_kb = p_u64(e, 10).unwrap_or(0) as u32;
        t.vmrss_kb = p_u64(e, 11).unwrap_or(0) as u32;
        t.vmswap_kb = p_u64(e, 12).unwrap_or(0) as u32;
    }
    t.uid = p_u64(e, uid_idx).unwrap_or(0) as u32;
    t.gid = p_u64(e, gid_idx).unwrap_or(0) as u32;
    if in_container {
        t.vtid = vtid;
        t.vpid = vpid;
    } else {
        t.vtid = t.tid;
        t.vpid = t.pid;
    }
    if is_20 {
        if let Some(cg) = e.param(14) {
            st.event_cgroups.apply(&mut t, cg);
        }
    }
    t.clone_ts = e.ts;
    st.add_thread(t);
    if is_20 {
        st.resolve_container(childtid);
    }
    if tid_collision {
        reset(st, e, false);
    }
}

fn parse_execve_exit(st: &mut State, e: &Event) {
    let etype = e.event_type;
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(tid) = st.cur.tid else { return };
    let enter = match etype {
        ev::SYSCALL_EXECVE_18_X | ev::SYSCALL_EXECVE_19_X | ev::SYSCALL_EXECVEAT_X => retrieve_enter(st, e),
        _ => None,
    };
    let Some(t) = st.threads.get_mut(&tid) else { return };
    if let Some(v) = e.param(1) {
        t.exe = until_nul(v).to_vec();
    }
    match etype {
        ev::SYSCALL_EXECVE_8_X | ev::SYSCALL_EXECVE_13_X | ev::SYSCALL_EXECVE_14_X => t.comm = t.exe.clone(),
        _ => {
            if let Some(v) = e.param(13) {
                t.comm = until_nul(v).to_vec();
            }
        }
    }
    if let Some(v) = e.param(2) {
        t.set_args(v);
    }
    if let Some(v) = p_i64(e, 4) {
        t.pid = v;
    }
    if t.ptid == -1 {
        if let Some(v) = p_i64(e, 5) {
            t.ptid = v;
        }
    }
    if let Some(v) = p_i64(e, 7) {
        t.fdlimit = v;
    }
    if etype != ev::SYSCALL_EXECVE_8_X {
        if let (Some(a), Some(b), Some(c), Some(d), Some(f)) =
            (p_u64(e, 8), p_u64(e, 9), p_u64(e, 10), p_u64(e, 11), p_u64(e, 12))
        {
            t.pfmajor = a;
            t.pfminor = b;
            t.vmsize_kb = c as u32;
            t.vmrss_kb = d as u32;
            t.vmswap_kb = f as u32;
        }
    }
    let mut resolve = false;
    match etype {
        ev::SYSCALL_EXECVE_8_X | ev::SYSCALL_EXECVE_13_X => {}
        ev::SYSCALL_EXECVE_14_X => {
            if let Some(v) = e.param(13) {
                t.set_env(v);
            }
        }
        ev::SYSCALL_EXECVE_15_X => {
            if let Some(v) = e.param(14) {
                t.set_env(v);
            }
        }
        _ => {
            if let Some(v) = e.param(15) {
                t.set_env(v);
            }
            if let Some(v) = e.param(14) {
                st.event_cgroups.apply(t, v);
            }
            resolve = true;
        }
    }
    if matches!(
        etype,
        ev::SYSCALL_EXECVE_17_X | ev::SYSCALL_EXECVE_18_X | ev::SYSCALL_EXECVE_19_X | ev::SYSCALL_EXECVEAT_X
    ) {
        if let Some(v) = p_u64(e, 16) {
            t.tty = v as u32;
        }
    }
    if resolve {
        st.resolve_container(tid);
    }
    let cwd = cwd_of(st, tid);
    match (etype, enter) {
        (ev::SYSCALL_EXECVE_18_X | ev::SYSCALL_EXECVE_19_X, Some(enter)) => {
            let path = enter.param(0).unwrap_or_default();
            let exepath =
                if path.starts_with(b"<NA>") { b"<NA>".to_vec() } else { concatenate_limited(&cwd, path, MAX_PATH).0 };
            if let Some(t) = st.threads.get_mut(&tid) {
                t.exepath = exepath;
            }
        }
        (ev::SYSCALL_EXECVEAT_X, Some(enter)) => {
            let dirfd = enter.param_i64(0).unwrap_or(0);
            let path = enter.param(1).unwrap_or_default();
            let exepath = if path.starts_with(b"<NA>") {
                b"<NA>".to_vec()
            } else {
                let fl = enter.param_u64(2).unwrap_or(0) as u32;
                let sdir = parse_dirfd(st, tid, path, dirfd);
                if fl & PPM_EXVAT_AT_EMPTY_PATH != 0 && until_nul(path).is_empty() {
                    concatenate_limited(&sdir, &sdir, MAX_PATH).0
                } else {
                    concatenate_limited(&sdir, path, MAX_PATH).0
                }
            };
            if let Some(t) = st.threads.get_mut(&tid) {
                t.exepath = exepath;
            }
        }
        _ => {}
    }
    let Some(t) = st.threads.get_mut(&tid) else { return };
    if matches!(etype, ev::SYSCALL_EXECVE_19_X | ev::SYSCALL_EXECVEAT_X) {
        if let Some(v) = p_i64(e, 17) {
            t.vpgid = v;
        }
    }
    if e.n_params > 18 {
        if let Some(v) = p_u64(e, 18) {
            t.loginuid = v as u32;
        }
    }
    if e.n_params > 19 {
        if let Some(v) = p_u64(e, 19) {
            t.exe_writable = v as u32 & PPM_EXE_WRITABLE != 0;
        }
    }
    let keep = t.flags & (cl::PIPE_SRC | cl::PIPE_DST | cl::IS_MAIN_THREAD);
    let inverted = t.flags & cl::CLONE_INVERTED;
    t.flags = cl::ACTIVE | keep | inverted | cl::NAME_CHANGED;
}

/// The directory a `*at` path is relative to (libsinsp's `parse_dirfd`); it also makes the
/// directory fd the event's fd, as libsinsp does.
fn parse_dirfd(st: &mut State, tid: i64, name: &[u8], dirfd: i64) -> Vec<u8> {
    if name.first() == Some(&b'/') {
        return b".".to_vec();
    }
    if dirfd == AT_FDCWD {
        return cwd_of(st, tid);
    }
    st.cur.fd = lookup_fd(st, tid, dirfd);
    match st.cur_fd() {
        None => b"<UNKNOWN>".to_vec(),
        Some(f) => {
            let mut d = f.name.clone();
            d.push(b'/');
            d
        }
    }
}

fn parse_open_exit(st: &mut State, e: &Event) {
    let Some(tid) = st.cur.tid else { return };
    let etype = e.event_type;
    let enter = retrieve_enter(st, e);
    let Some(fd) = p_i64(e, 0) else { return };
    let mut dev = 0u32;
    let (name, flags, sdir): (Vec<u8>, u32, Vec<u8>) = match etype {
        ev::SYSCALL_OPEN_X => {
            let mut name = e.param(1).unwrap_or_default().to_vec();
            let mut fl = p_u64(e, 2).unwrap_or(0) as u32;
            if e.n_params > 4 {
                dev = p_u64(e, 4).unwrap_or(0) as u32;
            }
            if let Some(en) = enter.as_ref().filter(|en| en.n_params >= 2) {
                let ename = en.param(0).unwrap_or_default();
                if !ename.is_empty() && until_nul(ename) != b"(NULL)" {
                    name = ename.to_vec();
                    fl = en.param_u64(1).unwrap_or(0) as u32;
                }
            }
            (name, fl, cwd_of(st, tid))
        }
        ev::SYSCALL_CREAT_X => {
            let mut name = e.param(1).unwrap_or_default().to_vec();
            if e.n_params > 3 {
                dev = p_u64(e, 3).unwrap_or(0) as u32;
            }
            if let Some(en) = enter.as_ref().filter(|en| en.n_params >= 1) {
                let ename = en.param(0).unwrap_or_default();
                if !ename.is_empty() && until_nul(ename) != b"(NULL)" {
                    name = ename.to_vec();
                }
            }
            (name, 0, cwd_of(st, tid))
        }
        ev::SYSCALL_OPENAT_X => {
            let Some(en) = enter.as_ref() else { return };
            let name = en.param(1).unwrap_or_default().to_vec();
            let fl = en.param_u64(2).unwrap_or(0) as u32;
            let dirfd = en.param_i64(0).unwrap_or(0);
            let sdir = parse_dirfd(st, tid, &name, dirfd);
            (name, fl, sdir)
        }
        _ => {
            let mut name = e.param(2).unwrap_or_default().to_vec();
            let mut fl = p_u64(e, 3).unwrap_or(0) as u32;
            let mut dirfd = p_i64(e, 1).unwrap_or(0);
            if etype == ev::SYSCALL_OPENAT_2_X && e.n_params > 5 {
                dev = p_u64(e, 5).unwrap_or(0) as u32;
            }
            if let Some(en) = enter.as_ref().filter(|en| en.n_params >= 3) {
                let ename = en.param(1).unwrap_or_default();
                if !ename.is_empty() && until_nul(ename) != b"(NULL)" {
                    name = ename.to_vec();
                    fl = en.param_u64(2).unwrap_or(0) as u32;
                    dirfd = en.param_i64(0).unwrap_or(0);
                }
            }
            let sdir = parse_dirfd(st, tid, &name, dirfd);
            (name, fl, sdir)
        }
    };
    let (fullpath, _) = concatenate_limited(&sdir, &name, MAX_PATH);
    if fd >= 0 {
        let mut f = Fd::new(if flags & PPM_O_DIRECTORY != 0 { fd_type::DIRECTORY } else { fd_type::FILE_V2 }, fullpath);
        f.open_flags = flags;
        f.dev = dev;
        f.flags |= if f.name == b"/dev/null" { fd_flags::IS_TRACER_FILE } else { fd_flags::IS_NOT_TRACER_FD };
        f.syslog = super::fds::contains(&f.name, b"/dev/log");
        add_fd(st, tid, fd, f, b"");
    }
}

fn add_socket(st: &mut State, tid: i64, fd: i64, domain: u32, sock_type: u32, protocol: u32) {
    const SOCK_STREAM: u32 = 1;
    const SOCK_DGRAM: u32 = 2;
    const SOCK_RAW: u32 = 3;
    let mut f = Fd::new(FD_UNKNOWN, Vec::new());
    match domain as u8 {
        _ if domain > 255 => {}
        AF_UNIX => f.fd_type = fd_type::UNIX_SOCK,
        AF_INET | AF_INET6 => {
            f.fd_type = if domain as u8 == AF_INET { fd_type::IPV4_SOCK } else { fd_type::IPV6_SOCK };
            let l4proto = match protocol {
                6 => {
                    if sock_type == SOCK_RAW {
                        l4::RAW
                    } else {
                        l4::TCP
                    }
                }
                17 => {
                    if sock_type == SOCK_RAW {
                        l4::RAW
                    } else {
                        l4::UDP
                    }
                }
                0 => match sock_type & 0xff {
                    SOCK_STREAM => l4::TCP,
                    SOCK_DGRAM => l4::UDP,
                    _ => l4::UNKNOWN,
                },
                1 => {
                    if sock_type == SOCK_RAW {
                        l4::RAW
                    } else {
                        l4::ICMP
                    }
                }
                255 => l4::RAW,
                _ => l4::UNKNOWN,
            };
            if domain as u8 == AF_INET {
                f.sock.set_v4_l4(l4proto);
            } else {
                f.sock.set_v6_l4(l4proto);
            }
        }
        AF_NETLINK => f.fd_type = fd_type::NETLINK,
        _ => {}
    }
    if f.fd_type == FD_UNKNOWN {
        return;
    }
    add_fd(st, tid, fd, f, b"");
}

fn infer_sendto_fdinfo(st: &mut State, e: &Event) {
    let Some(tid) = st.cur.tid else { return };
    let Some(fd) = p_i64(e, 0).filter(|&f| f >= 0) else { return };
    let family = e.param(2).and_then(|b| b.first().copied()).unwrap_or(0);
    // libsinsp compares against the host's AF_INET (2) and AF_INET6 (10).
    if family == AF_INET || family == AF_INET6 {
        add_socket(st, tid, fd, u32::from(family), 2, 17);
    }
}

fn parse_socket_exit(st: &mut State, e: &Event) {
    let Some(fd) = p_i64(e, 0).filter(|&f| f >= 0) else { return };
    let Some(tid) = st.cur.tid else { return };
    let Some(enter) = retrieve_enter(st, e) else { return };
    let domain = enter.param_u64(0).unwrap_or(0) as u32;
    let sock_type = enter.param_u64(1).unwrap_or(0) as u32;
    let protocol = enter.param_u64(2).unwrap_or(0) as u32;
    add_socket(st, tid, fd, domain, sock_type, protocol);
}

fn arr4(b: &[u8]) -> [u8; 4] {
    let mut a = [0; 4];
    a.copy_from_slice(&b[..4]);
    a
}

fn arr16(b: &[u8]) -> [u8; 16] {
    let mut a = [0; 16];
    a.copy_from_slice(&b[..16]);
    a
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

fn parse_bind_exit(st: &mut State, e: &Event) {
    if st.cur.fd.is_none() || p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(addr) = e.param(1).filter(|a| !a.is_empty()) else { return };
    let name = crate::render::sockaddr_text(addr, l4::UNKNOWN);
    let Some(f) = event_fd_mut(st) else { return };
    match addr[0] {
        AF_INET if addr.len() >= 7 => {
            let (ip, port) = (arr4(&addr[1..5]), u16_at(addr, 5));
            if port > 0 {
                f.fd_type = fd_type::IPV4_SERVSOCK;
                let l4proto = f.sock.v4_l4();
                f.sock.set_v4srv(ip, port, l4proto);
                f.set_role_server();
            }
        }
        AF_INET6 if addr.len() >= 19 => {
            let ip = arr16(&addr[1..17]);
            let port = u16_at(addr, 17);
            if port > 0 {
                if super::is_ipv4_mapped(&ip) {
                    f.fd_type = fd_type::IPV4_SERVSOCK;
                    let l4proto = f.sock.v6_l4();
                    f.sock.set_v4srv(arr4(&addr[13..17]), port, l4proto);
                } else {
                    f.fd_type = fd_type::IPV6_SERVSOCK;
                    let l4proto = f.sock.v6_l4();
                    f.sock.set_v6srv(ip, port, l4proto);
                }
                f.set_role_server();
            }
        }
        _ => {}
    }
    f.name = name;
}

fn parse_connect_enter(st: &mut State, e: &Event) {
    if st.cur.fd.is_none() || e.n_params < 2 {
        return;
    }
    let Some(addr) = e.param(1).filter(|a| !a.is_empty()) else { return };
    let family = addr[0];
    let name = if family != AF_INET && family != AF_INET6 {
        Some(crate::render::sockaddr_text(addr, l4::UNKNOWN))
    } else {
        None
    };
    let Some(f) = event_fd_mut(st) else { return };
    match family {
        AF_INET if addr.len() >= 7 => {
            f.fd_type = fd_type::IPV4_SOCK;
            f.sock.set_v4_dip(arr4(&addr[1..5]));
            f.sock.set_v4_dport(u16_at(addr, 5));
        }
        AF_INET6 if addr.len() >= 19 => {
            let port = u16_at(addr, 17);
            let ip = arr16(&addr[1..17]);
            if super::is_ipv4_mapped(&ip) {
                f.fd_type = fd_type::IPV4_SOCK;
                f.sock.set_v4_dip(arr4(&addr[13..17]));
                f.sock.set_v4_dport(port);
            } else {
                f.fd_type = fd_type::IPV6_SOCK;
                f.sock.set_v6_dport(port);
                f.sock.set_v6_dip(ip);
            }
        }
        AF_INET | AF_INET6 => {}
        _ => {
            if let Some(n) = name {
                f.name = n;
            }
            if addr.len() >= 17 {
                f.sock.set_unix(u64_at(addr, 1), u64_at(addr, 9));
            }
        }
    }
}

/// Updates an IPv4 tuple from a socket tuple parameter; returns whether anything changed.
fn update_v4(f: &mut Fd, sip: [u8; 4], sport: u16, dip: [u8; 4], dport: u16) -> bool {
    let s = &mut f.sock;
    if f.fd_type == fd_type::IPV4_SOCK
        && ((sip == s.v4_sip() && sport == s.v4_sport() && dip == s.v4_dip() && dport == s.v4_dport())
            || (dip == s.v4_sip() && dport == s.v4_sport() && sip == s.v4_dip() && sport == s.v4_dport()))
    {
        return false;
    }
    let mut changed = false;
    if s.v4_sip() != sip {
        s.set_v4_sip(sip);
        changed = true;
    }
    if s.v4_sport() != sport {
        s.set_v4_sport(sport);
        changed = true;
    }
    if s.v4_dip() == [0; 4] {
        s.set_v4_dip(dip);
        changed = true;
    }
    if s.v4_dport() == 0 {
        s.set_v4_dport(dport);
        changed = true;
    }
    changed
}

fn set_v4_from_tuple(f: &mut Fd, t: &[u8]) -> bool {
    if t.len() < 13 {
        return false;
    }
    update_v4(f, arr4(&t[1..5]), u16_at(t, 5), arr4(&t[7..11]), u16_at(t, 11))
}

fn set_v4mapped_from_tuple(f: &mut Fd, t: &[u8]) -> bool {
    if t.len() < 37 {
        return false;
    }
    update_v4(f, arr4(&t[13..17]), u16_at(t, 17), arr4(&t[31..35]), u16_at(t, 35))
}

fn set_v6_from_tuple(f: &mut Fd, t: &[u8]) -> bool {
    if t.len() < 37 {
        return false;
    }
    let (sip, sport, dip, dport) = (arr16(&t[1..17]), u16_at(t, 17), arr16(&t[19..35]), u16_at(t, 35));
    let s = &mut f.sock;
    if f.fd_type == fd_type::IPV6_SOCK
        && ((sip == s.v6_sip() && sport == s.v6_sport() && dip == s.v6_dip() && dport == s.v6_dport())
            || (dip == s.v6_sip() && dport == s.v6_sport() && sip == s.v6_dip() && sport == s.v6_dport()))
    {
        return false;
    }
    let mut changed = false;
    if s.v6_sip() != sip {
        s.set_v6_sip(sip);
        changed = true;
    }
    if s.v6_sport() != sport {
        s.set_v6_sport(sport);
        changed = true;
    }
    if s.v6_dip() == [0; 16] {
        s.set_v6_dip(dip);
        changed = true;
    }
    if s.v6_dport() == 0 {
        s.set_v6_dport(dport);
        changed = true;
    }
    changed
}

fn swap_addresses(f: &mut Fd) {
    let s = &mut f.sock;
    if f.fd_type == fd_type::IPV4_SOCK {
        let (ip, port) = (s.v4_sip(), s.v4_sport());
        s.set_v4_sip(s.v4_dip());
        s.set_v4_sport(s.v4_dport());
        s.set_v4_dip(ip);
        s.set_v4_dport(port);
    } else {
        let (ip, port) = (s.v6_sip(), s.v6_sport());
        s.set_v6_sip(s.v6_dip());
        s.set_v6_sport(s.v6_dport());
        s.set_v6_dip(ip);
        s.set_v6_dport(port);
    }
}

/// The name libsinsp gives a connected socket (`sockinfo_to_str`).
fn sockinfo_name(f: &Fd) -> Vec<u8> {
    let mut out = Vec::new();
    match f.fd_type {
        fd_type::IPV4_SOCK => {
            let l4proto = f.sock.v4_l4();
            if l4proto == l4::TCP || l4proto == l4::UDP {
                return f.sock_name();
            } else if l4proto == l4::ICMP || l4proto == l4::RAW {
                super::push_ipv4(&mut out, &f.sock.v4_sip());
                out.extend_from_slice(b"->");
                super::push_ipv4(&mut out, &f.sock.v4_dip());
            } else {
                out.extend_from_slice(b"<unknown>");
            }
        }
        fd_type::IPV6_SOCK => {
            let l4proto = f.sock.v6_l4();
            let (sip, dip) = (f.sock.v6_sip(), f.sock.v6_dip());
            let mapped = super::is_ipv4_mapped(&sip) && super::is_ipv4_mapped(&dip);
            if l4proto == l4::TCP || l4proto == l4::UDP {
                if mapped {
                    // libsinsp reads the ports through the IPv4 view of the union here.
                    super::push_ipv4(&mut out, &arr4(&sip[12..]));
                    out.push(b':');
                    super::push_u64(&mut out, u64::from(f.sock.v4_sport()));
                    out.extend_from_slice(b"->");
                    super::push_ipv4(&mut out, &arr4(&dip[12..]));
                    out.push(b':');
                    super::push_u64(&mut out, u64::from(f.sock.v4_dport()));
                } else {
                    return f.sock_name();
                }
            } else if l4proto == l4::ICMP {
                if mapped {
                    super::push_ipv4(&mut out, &arr4(&sip[12..]));
                    out.extend_from_slice(b"->");
                    super::push_ipv4(&mut out, &arr4(&dip[12..]));
                } else {
                    super::push_ipv6(&mut out, &sip);
                    out.extend_from_slice(b"->");
                    super::push_ipv6(&mut out, &dip);
                }
            } else {
                out.extend_from_slice(b"<unknown>");
            }
        }
        _ => {}
    }
    out
}

fn fill_client_socket_info(st: &mut State, tuple: &[u8]) {
    let family = tuple[0];
    let unix_name = if family != AF_INET && family != AF_INET6 {
        Some(crate::render::socktuple_text(tuple, l4::UNKNOWN))
    } else {
        None
    };
    let Some(f) = event_fd_mut(st) else { return };
    if family == AF_INET || family == AF_INET6 {
        let changed = if family == AF_INET6 {
            if tuple.len() >= 37 && !(super::is_ipv4_mapped(&tuple[1..17]) && super::is_ipv4_mapped(&tuple[19..35])) {
                f.fd_type = fd_type::IPV6_SOCK;
                set_v6_from_tuple(f, tuple)
            } else {
                f.fd_type = fd_type::IPV4_SOCK;
                set_v4mapped_from_tuple(f, tuple)
            }
        } else {
            f.fd_type = fd_type::IPV4_SOCK;
            set_v4_from_tuple(f, tuple)
        };
        if changed && f.is_role_server() && f.is_udp_socket() {
            swap_addresses(f);
        }
        f.name = sockinfo_name(f);
    } else {
        if let Some(n) = unix_name {
            f.name = n;
        }
        if tuple.len() >= 17 {
            f.sock.set_unix(u64_at(tuple, 1), u64_at(tuple, 9));
        }
    }
    if f.is_role_none() {
        f.set_role_client();
    }
}

fn parse_connect_exit(st: &mut State, e: &Event) {
    if st.cur.fd.is_none() {
        return;
    }
    let Some(res) = p_i64(e, 0) else { return };
    if res < 0 && res != -EINPROGRESS {
        return;
    }
    if let Some(f) = event_fd_mut(st) {
        f.set_connected();
    }
    let Some(tuple) = e.param(1).filter(|t| !t.is_empty()) else { return };
    fill_client_socket_info(st, tuple);
    if let Some(f) = event_fd_mut(st) {
        f.syslog = f.syslog || super::fds::contains(&f.name, b"/dev/log");
    }
}

fn parse_accept_exit(st: &mut State, e: &Event) {
    let Some(tid) = st.cur.tid else { return };
    let Some(fd) = p_i64(e, 0).filter(|&f| f >= 0) else { return };
    if let Some(t) = st.threads.get_mut(&tid) {
        t.lastevent_fd = fd;
    }
    let Some(tuple) = e.param(1).filter(|t| !t.is_empty()) else { return };
    let mut f = Fd::default();
    match tuple[0] {
        AF_INET => {
            set_v4_from_tuple(&mut f, tuple);
            f.fd_type = fd_type::IPV4_SOCK;
            f.sock.set_v4_l4(l4::TCP);
        }
        AF_INET6 => {
            if tuple.len() >= 37 && super::is_ipv4_mapped(&tuple[1..17]) && super::is_ipv4_mapped(&tuple[19..35]) {
                set_v4mapped_from_tuple(&mut f, tuple);
                f.fd_type = fd_type::IPV4_SOCK;
                f.sock.set_v4_l4(l4::TCP);
            } else {
                set_v6_from_tuple(&mut f, tuple);
                f.fd_type = fd_type::IPV6_SOCK;
                f.sock.set_v6_l4(l4::TCP);
            }
        }
        AF_UNIX => {
            f.fd_type = fd_type::UNIX_SOCK;
            if tuple.len() >= 17 {
                f.sock.set_unix(u64_at(tuple, 1), u64_at(tuple, 9));
            }
        }
        _ => return,
    }
    f.name = crate::render::socktuple_text(tuple, l4::UNKNOWN);
    f.flags = 0;
    f.set_role_server();
    f.set_connected();
    add_fd(st, tid, fd, f, b"");
}

fn parse_close_enter(st: &mut State, _: &Event) {
    let Some(tid) = st.cur.tid else { return };
    let lastfd = st.threads.get(&tid).map_or(-1, |t| t.lastevent_fd);
    st.cur.fd = lookup_fd(st, tid, lastfd);
    if let Some(f) = event_fd_mut(st) {
        f.flags |= fd_flags::CLOSE_IN_PROGRESS;
    }
}

fn parse_close_exit(st: &mut State, e: &Event) {
    let Some(res) = p_i64(e, 0) else { return };
    if res >= 0 {
        let Some(tid) = st.cur.tid else { return };
        if st.cur.fd.is_none() {
            return;
        }
        let canceled = event_fd_mut(st).map(|f| {
            let c = f.flags & fd_flags::CLOSE_CANCELED != 0;
            f.flags &= !fd_flags::CLOSE_CANCELED;
            c
        });
        let fd = if canceled == Some(true) {
            if st.fd(tid, CANCELED_FD).is_none() {
                return;
            }
            CANCELED_FD
        } else {
            st.threads.get(&tid).map_or(-1, |t| t.lastevent_fd)
        };
        st.tid_of_fds_to_remove = tid;
        st.fds_to_remove.push(fd);
    } else if let Some(f) = event_fd_mut(st) {
        f.flags &= !fd_flags::CLOSE_IN_PROGRESS;
    }
}

fn parse_pipe_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let (Some(fd1), Some(fd2)) = (p_i64(e, 1), p_i64(e, 2)) else { return };
    let ino = p_u64(e, 3).unwrap_or(0);
    let Some(tid) = st.cur.tid else { return };
    for fd in [fd1, fd2] {
        let mut f = Fd::new(fd_type::FIFO, Vec::new());
        f.ino = ino;
        add_fd(st, tid, fd, f, b"");
    }
}

fn parse_socketpair_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(tid) = st.cur.tid else { return };
    let (Some(fd1), Some(fd2)) = (p_i64(e, 1), p_i64(e, 2)) else { return };
    let mut f = Fd::new(fd_type::UNIX_SOCK, Vec::new());
    f.sock.set_unix(p_u64(e, 3).unwrap_or(0), p_u64(e, 4).unwrap_or(0));
    add_fd(st, tid, fd1, f.clone(), b"");
    let saved = st.cur.fd;
    let saved_name = std::mem::take(&mut st.cur.old_name);
    let saved_kept = st.cur.old_name_kept;
    add_fd(st, tid, fd2, f, b"");
    st.cur.fd = saved;
    st.cur.old_name = saved_name;
    st.cur.old_name_kept = saved_kept;
    if let Some(t) = st.threads.get_mut(&tid) {
        t.lastevent_fd = fd2;
    }
}

fn parse_dup_exit(st: &mut State, e: &Event) {
    let Some(tid) = st.cur.tid else { return };
    let Some(res) = p_i64(e, 0).filter(|&r| r >= 0) else { return };
    if let Some(t) = st.threads.get_mut(&tid) {
        if res == 0 {
            t.flags |= cl::PIPE_DST;
        }
        if res == 1 {
            t.flags |= cl::PIPE_SRC;
        }
    }
    dup_into(st, tid, res);
}

/// Copies the event's fd to a new number (dup and fcntl's F_DUPFD).
fn dup_into(st: &mut State, tid: i64, newfd: i64) {
    // Replacing an fd whose close is in progress cancels that close; libsinsp marks the source
    // fd as well, since it hands its own fd object to the table.
    let in_progress = st.fd(tid, newfd).is_some_and(|f| f.flags & fd_flags::CLOSE_IN_PROGRESS != 0);
    if in_progress {
        if let Some(f) = event_fd_mut(st) {
            f.flags &= !fd_flags::CLOSE_IN_PROGRESS;
            f.flags |= fd_flags::CLOSE_CANCELED;
        }
    }
    let Some(src) = st.cur_fd().cloned() else { return };
    let old_name = if st.cur.old_name_kept { std::mem::take(&mut st.cur.old_name) } else { src.name.clone() };
    add_fd(st, tid, newfd, src, &old_name);
}

fn parse_fcntl_exit(st: &mut State, e: &Event) {
    let Some(res) = p_i64(e, 0) else { return };
    if retrieve_enter(st, e).is_none() {
        return;
    }
    let Some(tid) = st.cur.tid else { return };
    if res >= 0 {
        dup_into(st, tid, res);
    }
}

fn parse_rlimit_exit(st: &mut State, e: &Event) {
    let Some(tid) = st.cur.tid else { return };
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(enter) = retrieve_enter(st, e) else { return };
    if enter.param(0).and_then(|b| b.first().copied()) != Some(PPM_RLIMIT_NOFILE) {
        return;
    }
    let Some(cur) = p_i64(e, 1) else { return };
    if cur != -1 {
        if let Some(m) = main_creating(st, tid).and_then(|m| st.threads.get_mut(&m)) {
            m.fdlimit = cur;
        }
    }
}

fn parse_prlimit_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(enter) = retrieve_enter(st, e) else { return };
    if enter.param(1).and_then(|b| b.first().copied()) != Some(PPM_RLIMIT_NOFILE) {
        return;
    }
    let Some(newcur) = p_i64(e, 1) else { return };
    if newcur == -1 {
        return;
    }
    let mut tid = enter.param_i64(0).unwrap_or(0);
    if tid == 0 {
        tid = e.tid;
    }
    st.get_or_create(tid);
    if let Some(m) = main_creating(st, tid).and_then(|m| st.threads.get_mut(&m)) {
        m.fdlimit = newcur;
    }
}

fn parse_setid_exit(st: &mut State, e: &Event, user: bool) {
    if p_i64(e, 0).is_none_or(|r| r < 0) {
        return;
    }
    let Some(enter) = retrieve_enter(st, e) else { return };
    let res_variant = matches!(e.event_type, ev::SYSCALL_SETRESUID_X | ev::SYSCALL_SETRESGID_X);
    let Some(id) = enter.param_u64(if res_variant { 1 } else { 0 }) else { return };
    let id = id as u32;
    if res_variant && id == u32::MAX {
        return;
    }
    if let Some(t) = st.threads.get_mut(&e.tid) {
        if user {
            t.uid = id;
        } else {
            t.gid = id;
        }
    }
}

fn parse_chroot_exit(st: &mut State, e: &Event) {
    if p_i64(e, 0) != Some(0) {
        return;
    }
    let Some(tid) = st.cur.tid else { return };
    let Some(path) = e.param(1) else { return };
    let base = st.threads.get(&tid).map(|t| st.cwd(t).to_vec()).unwrap_or_default();
    let (resolved, relative) = paths::concatenate(&base, path);
    let root = if relative { resolved } else { paths::sanitize(until_nul(path)).into_owned() };
    if let Some(th) = st.threads.get_mut(&tid) {
        th.root = root;
    }
    st.resolve_container(tid);
}

fn parse_getsockopt_exit(st: &mut State, e: &Event) {
    if e.n_params == 0 {
        return;
    }
    let Some(tid) = st.cur.tid else { return };
    let Some(fd) = p_i64(e, 1) else { return };
    let main = main_creating(st, tid);
    st.cur.fd = None;
    if let Some(m) = main {
        if st.threads.get(&m).and_then(|t| t.fds.get(fd)).is_some() {
            st.cur.fd = Some((m, fd));
            if let Some(f) = st.threads.get(&m).and_then(|t| t.fds.get(fd)) {
                st.cur.old_name.clear();
                st.cur.old_name.extend_from_slice(&f.name);
                st.cur.old_name_kept = true;
            }
        }
    }
    if let Some(t) = st.threads.get_mut(&tid) {
        t.lastevent_fd = fd;
    }
}

fn parse_container_evt(st: &mut State, e: &Event) {
    if let Some(rec) = crate::scap::container::from_event(e) {
        st.containers.insert(rec.id.clone(), rec);
    }
}

fn parse_container_json_evt(st: &mut State, e: &Event) {
    let Some(json) = e.param(0) else { return };
    let text = String::from_utf8_lossy(until_nul(json));
    let Some(mut rec) = crate::scap::container::from_json(&text) else { return };
    // A lookup that had not finished when the trace was written never will: libsinsp treats
    // "started" as failed, and does not show the event.
    let state = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("container")?.get("lookup_state")?.as_u64());
    let successful = matches!(state, None | Some(1)) || !matches!(state, Some(0) | Some(2));
    if !successful {
        st.cur.filtered_out = true;
        rec.lookup_failed = true;
    }
    let mut t = Thread { tid: -1, pid: -1, vtid: -2, vpid: -2, ..Thread::default() };
    t.comm = format!("container:{}", rec.id).into_bytes();
    t.container_id = rec.id.clone();
    st.container_thread = Some(t);
    st.cur.container_thread = true;
    st.containers.insert(rec.id.clone(), rec);
}

/// Reads a read or write exit: learns tuples of datagram sockets and decodes syslog writes.
fn parse_rw_exit(st: &mut State, e: &Event) {
    let Some(res) = p_i64(e, 0) else { return };
    if st.cur.fd.is_none() {
        return;
    }
    if res < 0 {
        return;
    }
    let etype = e.event_type;
    let eflags = e.info().map_or(0, |i| i.flags);
    let Some(tid) = st.cur.tid else { return };
    if let Some(f) = event_fd_mut(st) {
        if f.fd_type == fd_type::IPV4_SOCK || f.fd_type == fd_type::IPV6_SOCK {
            f.set_connected();
        }
    }
    if eflags & flags::READS_FROM_FD != 0 {
        let tupleparam = match etype {
            ev::SOCKET_RECVFROM_X => Some(2),
            ev::SOCKET_RECVMSG_X => Some(3),
            _ => None,
        };
        if let Some(idx) = tupleparam {
            let needs = st.cur_fd().is_some_and(|f| f.name.is_empty() || !f.is_tcp_socket());
            if needs {
                if let Some(tuple) = e.param(idx) {
                    apply_tuple(st, tid, tuple, true);
                }
            }
        }
    } else {
        let tupleparam = match etype {
            ev::SOCKET_SENDTO_X | ev::SOCKET_SENDMSG_X => Some(2),
            _ => None,
        };
        if let Some(idx) = tupleparam {
            let needs = st.cur_fd().is_some_and(|f| f.name.is_empty() || !f.is_tcp_socket());
            if needs {
                let Some(enter) = retrieve_enter(st, e) else { return };
                if let Some(tuple) = enter.param(idx) {
                    apply_tuple(st, tid, tuple, false);
                }
            }
        }
        // Writes to a syslog socket are decoded for evt.info and the syslog fields.
        if st.cur_fd().is_some_and(|f| f.syslog) {
            if let Some(data) = e.param(1) {
                st.syslog = decode_syslog(data);
            }
        }
    }
}

/// libsinsp's `update_fd` followed by the role guess and renaming of `parse_rw_exit`.
fn apply_tuple(st: &mut State, tid: i64, tuple: &[u8], incoming: bool) {
    if tuple.is_empty() {
        return;
    }
    let family = tuple[0];
    let unix_name =
        if family == AF_UNIX { Some(until_nul(tuple.get(17..).unwrap_or_default()).to_vec()) } else { None };
    let interfaces: Vec<([u8; 4], [u8; 4])> = st
        .interfaces
        .iter()
        .filter(|i| i.addr.len() == 4 && i.netmask.len() == 4)
        .map(|i| (arr4(&i.addr), arr4(&i.netmask)))
        .collect();
    let interfaces6: Vec<[u8; 16]> =
        st.interfaces.iter().filter(|i| i.addr.len() == 16).map(|i| arr16(&i.addr)).collect();
    let Some(f) = event_fd_mut(st) else { return };
    let updated = match family {
        AF_INET => {
            if f.fd_type == fd_type::IPV4_SERVSOCK {
                let l4proto = f.sock.v4srv_l4();
                f.sock.set_v4_l4(l4proto);
            }
            f.fd_type = fd_type::IPV4_SOCK;
            set_v4_from_tuple(f, tuple)
        }
        AF_INET6 => {
            if tuple.len() >= 37 && super::is_ipv4_mapped(&tuple[1..17]) && super::is_ipv4_mapped(&tuple[19..35]) {
                f.fd_type = fd_type::IPV4_SOCK;
                set_v4mapped_from_tuple(f, tuple)
            } else {
                set_v6_from_tuple(f, tuple)
            }
        }
        AF_UNIX => {
            f.fd_type = fd_type::UNIX_SOCK;
            if tuple.len() >= 17 {
                f.sock.set_unix(u64_at(tuple, 1), u64_at(tuple, 9));
            }
            if let Some(n) = unix_name {
                f.name = n;
            }
            f.syslog = super::fds::contains(&f.name, b"/dev/log");
            return;
        }
        _ => false,
    };
    if !updated {
        return;
    }
    if f.fd_type == fd_type::IPV4_SOCK && f.sock.v4_l4() == l4::UNKNOWN {
        f.sock.set_v4_l4(l4::UDP);
    } else if f.fd_type == fd_type::IPV6_SOCK && f.sock.v6_l4() == l4::UNKNOWN {
        f.sock.set_v6_l4(l4::UDP);
    }
    infer_local_address(f, &interfaces);
    infer_local_address6(f, &interfaces6);
    let fdtype = f.fd_type;
    if fdtype == fd_type::IPV4_SOCK || fdtype == fd_type::IPV6_SOCK {
        if f.is_role_none() {
            // A port this process listens on makes it the server, unless it also uses the
            // source port as a client.
            let dport = f.sock.v4_dport();
            let sport = f.sock.v4_sport();
            let (bound, client) = port_usage(st, tid, dport, sport);
            let Some(f) = event_fd_mut(st) else { return };
            if bound {
                if client {
                    if incoming {
                        f.set_role_server();
                    } else {
                        f.set_role_client();
                    }
                } else {
                    f.set_role_server();
                }
            } else {
                f.set_role_client();
            }
        }
        let Some(f) = event_fd_mut(st) else { return };
        if (incoming && f.is_role_client()) || (!incoming && f.is_role_server()) {
            swap_addresses(f);
        }
        f.name = sockinfo_name(f);
    } else {
        f.name = crate::render::socktuple_text(tuple, l4::UNKNOWN);
    }
    if let Some(f) = event_fd_mut(st) {
        f.syslog = super::fds::contains(&f.name, b"/dev/log");
    }
}

/// Whether the thread has an fd bound to `port` and whether it uses `client_port` as a client.
fn port_usage(st: &State, tid: i64, port: u16, client_port: u16) -> (bool, bool) {
    let Some(table) = st.fd_table(tid) else { return (false, false) };
    let mut bound = false;
    let mut client = false;
    for (_, f) in table.iter() {
        if f.fd_type == fd_type::IPV4_SOCK {
            if f.sock.v4_dport() == port {
                bound = true;
            }
            if f.sock.v4_sport() == client_port {
                client = true;
            }
        } else if f.fd_type == fd_type::IPV4_SERVSOCK && f.sock.v4srv_port() == port {
            bound = true;
        }
    }
    (bound, client)
}

/// Fills in a missing local address of a datagram socket from the interface list.
fn infer_local_address(f: &mut Fd, interfaces: &[([u8; 4], [u8; 4])]) {
    if f.fd_type != fd_type::IPV4_SOCK {
        return;
    }
    let (sip, dip) = (f.sock.v4_sip(), f.sock.v4_dip());
    if sip != [0; 4] && dip != [0; 4] {
        return;
    }
    let infer = |dest: [u8; 4]| -> [u8; 4] {
        if let Some((a, _)) = interfaces.iter().find(|(a, _)| *a == dest) {
            return *a;
        }
        let masked = |x: [u8; 4], m: [u8; 4]| [x[0] & m[0], x[1] & m[1], x[2] & m[2], x[3] & m[3]];
        if let Some((a, _)) = interfaces.iter().find(|(a, m)| masked(*a, *m) == masked(dest, *m)) {
            return *a;
        }
        interfaces.iter().find(|(a, _)| *a != [127, 0, 0, 1]).map_or([0; 4], |(a, _)| *a)
    };
    if sip == [0; 4] {
        let newaddr = infer(dip);
        if newaddr == dip && f.sock.v4_sport() == f.sock.v4_dport() {
            return;
        }
        f.sock.set_v4_sip(newaddr);
    } else {
        let newaddr = infer(sip);
        if newaddr == sip && f.sock.v4_sport() == f.sock.v4_dport() {
            return;
        }
        f.sock.set_v4_dip(newaddr);
    }
}

/// The IPv6 counterpart of `infer_local_address`; subnets are the first 64 bits.
fn infer_local_address6(f: &mut Fd, interfaces: &[[u8; 16]]) {
    if f.fd_type != fd_type::IPV6_SOCK {
        return;
    }
    let (sip, dip) = (f.sock.v6_sip(), f.sock.v6_dip());
    if sip != [0; 16] && dip != [0; 16] {
        return;
    }
    let mut loopback = [0u8; 16];
    loopback[15] = 1;
    let infer = |dest: [u8; 16]| -> [u8; 16] {
        if let Some(a) = interfaces.iter().find(|a| **a == dest) {
            return *a;
        }
        if let Some(a) = interfaces.iter().find(|a| a[..8] == dest[..8]) {
            return *a;
        }
        interfaces.iter().find(|a| **a != loopback).copied().unwrap_or([0; 16])
    };
    if sip == [0; 16] {
        let newaddr = infer(dip);
        if newaddr == dip && f.sock.v6_sport() == f.sock.v6_dport() {
            return;
        }
        f.sock.set_v6_sip(newaddr);
    } else {
        let newaddr = infer(sip);
        if newaddr == sip && f.sock.v6_sport() == f.sock.v6_dport() {
            return;
        }
        f.sock.set_v6_dip(newaddr);
    }
}

/// Decodes `<PRI>message` as libsinsp's syslog decoder does.
fn decode_syslog(data: &[u8]) -> Option<super::Syslog> {
    let mut pri = Vec::new();
    let mut i = 1;
    while i < data.len() && data[i] != b'>' && data[i] != 0 && pri.len() < 15 {
        pri.push(data[i]);
        i += 1;
    }
    if pri.is_empty() || data.len() < pri.len() + 2 {
        return None;
    }
    let text = std::str::from_utf8(&pri).ok()?;
    let priority: i32 = text.parse().ok()?;
    Some(super::Syslog { priority: priority as u32, msg: data[pri.len() + 2..].to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syslog_priority_is_parsed() {
        let s = decode_syslog(b"<14>Jan  1 hello").expect("decoded");
        assert_eq!(s.severity(), 6);
        assert_eq!(s.facility(), 1);
        assert_eq!(s.msg, b"Jan  1 hello");
        assert!(decode_syslog(b"plain").is_none());
    }
}
