//! The `fd` fields (the fd an event uses) and the `fdlist` fields (the fds a poll watches).

use std::borrow::Cow;

use super::{Ctx, FieldArg, Value};
use crate::render::{self};
use crate::scap::blocks::fd_type;
use crate::schema::{ev, flags};
use crate::state::{l4proto_name, paths, Fd, State, Thread};

/// A field with no value here (filter-only fields, DNS names).
pub fn none<'a>(_: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    None
}

/// The thread and fd the fd fields look at: only events that create, use or destroy an fd; the
/// event's fd, or the thread's last fd.
fn fd_ctx<'a>(c: &Ctx<'a>) -> Option<(&'a Thread, Option<&'a Fd>)> {
    let fl = c.event.info().map_or(0, |i| i.flags);
    if fl & (flags::CREATES_FD | flags::USES_FD | flags::DESTROYS_FD) == 0 {
        return None;
    }
    let t = c.thread()?;
    let mut fd = c.state.cur_fd();
    if fd.is_none() && t.lastevent_fd != -1 {
        fd = fd_of(c.state, t, t.lastevent_fd, c.state.cur.container_thread);
    }
    Some((t, fd))
}

/// The fd the fd fields look at (`Ctx::fd`).
pub(super) fn event_fd<'a>(c: &Ctx<'a>) -> Option<&'a Fd> {
    fd_ctx(c)?.1
}

fn fd_of<'a>(s: &'a State, t: &'a Thread, fd: i64, container: bool) -> Option<&'a Fd> {
    if container {
        return t.fds.get(fd);
    }
    s.fd(t.tid, fd)
}

pub fn num<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (t, _) = fd_ctx(c)?;
    Some(Value::Int(t.lastevent_fd))
}

pub fn ftype<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, fd) = fd_ctx(c)?;
    Some(Value::text(fd?.type_name().as_bytes()))
}

pub fn typechar<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, fd) = fd_ctx(c)?;
    let ch: &'static [u8; 1] = match fd {
        Some(f) => type_char_str(f.type_char()),
        None => match c.event.event_type & !1 {
            ev::SYSCALL_OPEN_E
            | ev::SYSCALL_OPENAT_E
            | ev::SYSCALL_OPENAT_2_E
            | ev::SYSCALL_OPENAT2_E
            | ev::SYSCALL_CREAT_E => b"f",
            ev::SOCKET_SOCKET_E
            | ev::SOCKET_ACCEPT_E
            | ev::SOCKET_ACCEPT_5_E
            | ev::SOCKET_ACCEPT4_E
            | ev::SOCKET_ACCEPT4_5_E => b"4",
            ev::SYSCALL_PIPE_E => b"p",
            ev::SYSCALL_EVENTFD_E => b"e",
            ev::SYSCALL_SIGNALFD_E => b"s",
            ev::SYSCALL_TIMERFD_CREATE_E => b"t",
            ev::SYSCALL_INOTIFY_INIT_E => b"i",
            _ => b"o",
        },
    };
    Some(Value::text(ch))
}

fn type_char_str(c: u8) -> &'static [u8; 1] {
    match c {
        b'f' => b"f",
        b'4' => b"4",
        b'6' => b"6",
        b'd' => b"d",
        b'p' => b"p",
        b'u' => b"u",
        b'e' => b"e",
        b'o' => b"o",
        b'X' => b"X",
        b's' => b"s",
        b'l' => b"l",
        b'i' => b"i",
        b't' => b"t",
        b'n' => b"n",
        _ => b"?",
    }
}

/// The name sysdig derives for an fd-creating exit whose fd is not (or no longer) known.
fn name_from_creator(c: &Ctx<'_>) -> Option<Vec<u8>> {
    let e = c.event;
    if e.is_enter() {
        return None;
    }
    match e.event_type {
        ev::SYSCALL_OPEN_X
        | ev::SOCKET_ACCEPT_X
        | ev::SOCKET_ACCEPT_5_X
        | ev::SOCKET_ACCEPT4_X
        | ev::SOCKET_ACCEPT4_5_X
        | ev::SYSCALL_CREAT_X
        | ev::SOCKET_CONNECT_X => {
            if render::n_params(e) < 2 {
                return Some(Vec::new());
            }
            let mut val = Vec::new();
            let mut resolved = Vec::new();
            render::param(&c.param_ctx(), 1, &mut val, &mut resolved);
            Some(if resolved.is_empty() { val } else { resolved })
        }
        ev::SYSCALL_OPENAT_X | ev::SYSCALL_OPENAT_2_X | ev::SYSCALL_OPENAT2_X => {
            let t = c.thread()?;
            let (name, dirfd) = if e.event_type == ev::SYSCALL_OPENAT_X {
                // The enter event is gone once the exit has been parsed.
                if !crate::state::enter_available(c.state, e) {
                    return None;
                }
                let enter = t.lastevent_data.as_ref()?;
                (enter.param(1).unwrap_or_default().to_vec(), enter.param_i64(0).unwrap_or(0))
            } else {
                (e.param(2).unwrap_or_default().to_vec(), e.param_i64(1).unwrap_or(0))
            };
            let sdir: Vec<u8> = if name.first() == Some(&b'/') {
                b".".to_vec()
            } else if dirfd == crate::state::AT_FDCWD {
                c.state.cwd(t).to_vec()
            } else {
                match c.state.fd(t.tid, dirfd) {
                    None => b"<UNKNOWN>".to_vec(),
                    Some(f) => {
                        let mut d = f.name.clone();
                        d.push(b'/');
                        d
                    }
                }
            };
            Some(paths::concatenate_limited(&sdir, &name, paths::MAX_PATH).0)
        }
        _ => Some(Vec::new()),
    }
}

fn fd_name<'a>(c: &Ctx<'a>) -> Option<Cow<'a, [u8]>> {
    let (_, fd) = fd_ctx(c)?;
    let connect_failed = c.event.event_type == ev::SOCKET_CONNECT_X && c.event.param_i64(0).is_some_and(|r| r < 0);
    let name = match fd {
        Some(f) if !connect_failed => Cow::Borrowed(f.name.as_slice()),
        _ => Cow::Owned(name_from_creator(c)?),
    };
    match (&c.state.port_names, fd) {
        (Some(ports), Some(f)) => Some(match name {
            Cow::Borrowed(n) => ports.fd_name(f, n),
            Cow::Owned(n) => Cow::Owned(ports.fd_name(f, &n).into_owned()),
        }),
        _ => Some(name),
    }
}

pub fn name<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fd_name(c).map(Value::Str)
}

pub fn containername<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (t, _) = fd_ctx(c)?;
    let n = fd_name(c)?;
    let mut out = t.container_id.as_bytes().to_vec();
    out.push(b':');
    out.extend_from_slice(&n);
    Some(Value::bytes(out))
}

fn dirname(mut s: Vec<u8>) -> Vec<u8> {
    match s.iter().rposition(|&c| c == b'/') {
        Some(pos) if pos != 0 => {
            if pos < s.len() - 1 {
                s.truncate(pos);
            }
            s
        }
        _ => b"/".to_vec(),
    }
}

fn directory_of(c: &Ctx<'_>) -> Option<Vec<u8>> {
    let (_, fd) = fd_ctx(c)?;
    match fd {
        None => name_from_creator(c).map(|n| dirname(paths::sanitize(&n).into_owned())),
        Some(f) => {
            if f.is_file() {
                Some(dirname(paths::sanitize(&f.name).into_owned()))
            } else if f.is_directory() {
                Some(f.name.clone())
            } else {
                None
            }
        }
    }
}

pub fn directory<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    directory_of(c).map(Value::bytes)
}

pub fn containerdirectory<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (t, _) = fd_ctx(c)?;
    let d = directory_of(c)?;
    let mut out = t.container_id.as_bytes().to_vec();
    out.push(b':');
    out.extend_from_slice(&d);
    Some(Value::bytes(out))
}

pub fn filename<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, fd) = fd_ctx(c)?;
    let f = fd?;
    if !f.is_file() {
        return None;
    }
    let s = paths::sanitize(&f.name).into_owned();
    Some(Value::bytes(match s.iter().rposition(|&c| c == b'/') {
        Some(pos) if pos < s.len() - 1 => s[pos + 1..].to_vec(),
        Some(_) => s,
        None => b"/".to_vec(),
    }))
}

fn ip4(a: [u8; 4]) -> Value<'static> {
    Value::Ip(Cow::Owned(a.to_vec()))
}

fn ip6(a: [u8; 16]) -> Value<'static> {
    Value::Ip(Cow::Owned(a.to_vec()))
}

/// Whether an address belongs to this machine (or the thread's container), as libsinsp decides.
fn is_local_v4(s: &State, t: &Thread, addr: [u8; 4]) -> bool {
    if !t.container_id.is_empty() {
        if let Some(ci) = s.containers.get(&t.container_id) {
            if ci.ip != 0 {
                if addr == ci.ip.to_ne_bytes() {
                    return true;
                }
            } else if s.containers.values().any(|o| o.ip.to_ne_bytes() == addr) {
                // Any container's address, zero included (so a socket with no peer yet is local
                // when some container's address is unknown).
                return true;
            }
        }
    }
    s.interfaces.iter().any(|i| i.addr.len() == 4 && i.addr.as_slice() == addr)
}

fn is_local_v6(s: &State, t: &Thread, addr: [u8; 16]) -> bool {
    if !t.container_id.is_empty() {
        return false;
    }
    s.interfaces.iter().any(|i| i.addr.len() == 16 && i.addr[..8] == addr[..8])
}

fn sock<'a>(c: &Ctx<'a>) -> Option<(&'a Thread, &'a Fd)> {
    let (t, fd) = fd_ctx(c)?;
    Some((t, fd?))
}

pub fn cip<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    if f.is_role_none() {
        return None;
    }
    match f.fd_type {
        fd_type::IPV4_SOCK => Some(ip4(f.sock.v4_sip())),
        fd_type::IPV6_SOCK => Some(ip6(f.sock.v6_sip())),
        _ => None,
    }
}

pub fn sip<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    if f.is_role_none() {
        return None;
    }
    match f.fd_type {
        fd_type::IPV4_SOCK => Some(ip4(f.sock.v4_dip())),
        fd_type::IPV4_SERVSOCK => Some(ip4(f.sock.v4srv_ip())),
        fd_type::IPV6_SOCK => Some(ip6(f.sock.v6_dip())),
        fd_type::IPV6_SERVSOCK => Some(ip6(f.sock.v6srv_ip())),
        _ => None,
    }
}

/// (is the source local, the fd) for connected IP sockets with a known role.
fn local_side<'a>(c: &Ctx<'a>) -> Option<(bool, &'a Fd)> {
    let (t, f) = sock(c)?;
    if f.fd_type != fd_type::IPV4_SOCK && f.fd_type != fd_type::IPV6_SOCK {
        return None;
    }
    if f.is_role_none() {
        return None;
    }
    let local = if f.fd_type == fd_type::IPV4_SOCK {
        is_local_v4(c.state, t, f.sock.v4_sip())
    } else {
        is_local_v6(c.state, t, f.sock.v6_sip())
    };
    Some((local, f))
}

fn side_ip(f: &Fd, source: bool) -> Value<'static> {
    match (f.fd_type, source) {
        (fd_type::IPV4_SOCK, true) => ip4(f.sock.v4_sip()),
        (fd_type::IPV4_SOCK, false) => ip4(f.sock.v4_dip()),
        (_, true) => ip6(f.sock.v6_sip()),
        (_, false) => ip6(f.sock.v6_dip()),
    }
}

fn side_port(f: &Fd, source: bool) -> u16 {
    match (f.fd_type, source) {
        (fd_type::IPV4_SOCK, true) => f.sock.v4_sport(),
        (fd_type::IPV4_SOCK, false) => f.sock.v4_dport(),
        (_, true) => f.sock.v6_sport(),
        (_, false) => f.sock.v6_dport(),
    }
}

pub fn lip<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(side_ip(f, local))
}
pub fn rip<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(side_ip(f, !local))
}

pub fn cport<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    if f.is_role_none() {
        return None;
    }
    match f.fd_type {
        fd_type::IPV4_SOCK => Some(Value::Uint(u64::from(f.sock.v4_sport()))),
        fd_type::IPV6_SOCK => Some(Value::Uint(u64::from(f.sock.v6_sport()))),
        // libsinsp falls through to the protocol field here and returns an empty string, read
        // back as a port: its first byte is the terminating NUL.
        _ => Some(Value::Uint(0)),
    }
}

fn server_port(f: &Fd) -> Option<u16> {
    match f.fd_type {
        fd_type::IPV4_SOCK if !f.is_role_none() => Some(f.sock.v4_dport()),
        fd_type::IPV4_SERVSOCK => Some(f.sock.v4srv_port()),
        fd_type::IPV6_SOCK if !f.is_role_none() => Some(f.sock.v6_dport()),
        fd_type::IPV6_SERVSOCK => Some(f.sock.v6srv_port()),
        _ => None,
    }
}

pub fn sport<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    server_port(f).map(|p| Value::Uint(u64::from(p)))
}
pub fn lport<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(Value::Uint(u64::from(side_port(f, local))))
}
pub fn rport<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(Value::Uint(u64::from(side_port(f, !local))))
}

fn port_text(p: u16) -> Value<'static> {
    Value::owned(p.to_string())
}

pub fn cproto<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    if f.is_role_none() {
        return None;
    }
    Some(match f.fd_type {
        fd_type::IPV4_SOCK => port_text(f.sock.v4_sport()),
        fd_type::IPV6_SOCK => port_text(f.sock.v6_sport()),
        _ => Value::text(b""),
    })
}
pub fn sproto<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    let p = server_port(f)?;
    Some(match f.fd_type {
        fd_type::IPV4_SOCK | fd_type::IPV6_SOCK => port_text(p),
        _ => Value::text(b""),
    })
}
pub fn lproto<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(port_text(side_port(f, local)))
}
pub fn rproto<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (local, f) = local_side(c)?;
    Some(port_text(side_port(f, !local)))
}

pub fn l4proto<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    Some(Value::text(l4proto_name(f.l4proto()).as_bytes()))
}

pub fn sockfamily<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    if f.is_ip() {
        Some(Value::text(b"ip"))
    } else if f.fd_type == fd_type::UNIX_SOCK {
        Some(Value::text(b"unix"))
    } else {
        None
    }
}

pub fn is_server<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (t, f) = sock(c)?;
    let v = match f.fd_type {
        fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK => true,
        fd_type::IPV4_SOCK => is_local_v4(c.state, t, f.sock.v4_dip()),
        fd_type::IPV6_SOCK => is_local_v6(c.state, t, f.sock.v6_dip()),
        _ => false,
    };
    Some(Value::Bool(v))
}

pub fn uid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    if matches!(c.event.event_type, ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E) {
        return None;
    }
    let (t, _) = fd_ctx(c)?;
    Some(Value::owned(format!("{}{}", t.tid, t.lastevent_fd)))
}

pub fn connected<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    Some(Value::Bool(f.is_connected()))
}

pub fn name_changed<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    sock(c)?;
    Some(Value::Bool(c.state.fd_name_changed()))
}

pub fn dev<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    Some(Value::Uint(u64::from(f.dev)))
}
pub fn dev_major<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    Some(Value::Uint(u64::from(f.dev_major())))
}
pub fn dev_minor<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let (_, f) = sock(c)?;
    Some(Value::Uint(u64::from(f.dev_minor())))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Nums,
    Names,
    Cips,
    Sips,
    Cports,
    Sports,
}

/// The `fdlist` fields: one entry per fd of a poll's fd list, comma-separated.
fn fdlist<'a>(c: &Ctx<'a>, kind: ListKind) -> Option<Value<'a>> {
    let e = c.event;
    let payload = match e.event_type {
        ev::SYSCALL_POLL_E | ev::SYSCALL_PPOLL_E => e.param(0)?,
        ev::SYSCALL_POLL_X | ev::SYSCALL_PPOLL_X => e.param(1)?,
        _ => return None,
    };
    let t = c.thread()?;
    if payload.len() < 2 {
        return None;
    }
    let n = usize::from(u16::from_le_bytes([payload[0], payload[1]]));
    let mut out = Vec::new();
    let mut pos = 2;
    for _ in 0..n {
        let Some(entry) = payload.get(pos..pos + 8) else { break };
        let mut b = [0u8; 8];
        b.copy_from_slice(entry);
        let fd = i64::from_le_bytes(b);
        let f = fd_of(c.state, t, fd, c.state.cur.container_thread);
        let mut added = true;
        match kind {
            ListKind::Nums => out.extend_from_slice(fd.to_string().as_bytes()),
            ListKind::Names => match f {
                Some(f) if !f.name.is_empty() => out.extend_from_slice(&f.name),
                _ => out.extend_from_slice(b"<NA>"),
            },
            ListKind::Cips => match f {
                Some(f) if f.fd_type == fd_type::IPV4_SOCK => crate::state::push_ipv4(&mut out, &f.sock.v4_sip()),
                Some(f) if f.fd_type == fd_type::IPV6_SOCK => crate::state::push_ipv6(&mut out, &f.sock.v6_sip()),
                _ => added = false,
            },
            ListKind::Sips => match f {
                Some(f) if f.fd_type == fd_type::IPV4_SOCK => crate::state::push_ipv4(&mut out, &f.sock.v4_dip()),
                Some(f) if f.fd_type == fd_type::IPV6_SOCK => crate::state::push_ipv6(&mut out, &f.sock.v6_dip()),
                Some(f) if f.fd_type == fd_type::IPV4_SERVSOCK => crate::state::push_ipv4(&mut out, &f.sock.v4srv_ip()),
                Some(f) if f.fd_type == fd_type::IPV6_SERVSOCK => {
                    let ip = f.sock.v6srv_ip();
                    crate::state::push_ipv4(&mut out, &[ip[0], ip[1], ip[2], ip[3]]);
                }
                _ => added = false,
            },
            ListKind::Cports => match f {
                Some(f) if f.fd_type == fd_type::IPV4_SOCK => {
                    out.extend_from_slice(f.sock.v4_sport().to_string().as_bytes())
                }
                Some(f) if f.fd_type == fd_type::IPV6_SOCK => {
                    out.extend_from_slice(f.sock.v6_sport().to_string().as_bytes())
                }
                _ => added = false,
            },
            ListKind::Sports => match f {
                Some(f) if f.fd_type == fd_type::IPV4_SOCK => {
                    out.extend_from_slice(f.sock.v4_dport().to_string().as_bytes())
                }
                Some(f) if f.fd_type == fd_type::IPV6_SOCK => {
                    out.extend_from_slice(f.sock.v6_dport().to_string().as_bytes())
                }
                _ => added = false,
            },
        }
        if added {
            out.push(b',');
        }
        pos += 10;
    }
    if out.is_empty() {
        return None;
    }
    if out.last() == Some(&b',') {
        out.pop();
    }
    Some(Value::bytes(out))
}

pub fn list_nums<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Nums)
}
pub fn list_names<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Names)
}
pub fn list_cips<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Cips)
}
pub fn list_sips<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Sips)
}
pub fn list_cports<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Cports)
}
pub fn list_sports<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    fdlist(c, ListKind::Sports)
}
