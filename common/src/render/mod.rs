//! Rendering event parameters as sysdig prints them: `evt.info`, `evt.args`, `evt.arg.NAME`.
//!
//! `param` renders one parameter into its text and, when sysdig shows one, its resolved form
//! (`3` and `<f>/etc/passwd` for an fd, `-2` and `ENOENT` for an errno). `args` joins them the
//! way `evt.args` does: `name=value(resolved) ` for each parameter. Everything writes into
//! caller-owned buffers, so printing does not allocate per event.
//!
//! Quirks of libsinsp 0.29.3 are kept on purpose, since the output must match byte for byte:
//! unsigned 32-bit parameters print through `%d`, relative paths resolve against the thread's
//! working directory, data buffers are cut to 80 bytes with `...` in the default format only.

pub mod buffer;
pub mod json;
pub mod names;
pub mod num;

pub use buffer::BufFmt;

use std::borrow::Cow;

use crate::event::{le_i64, le_u64, Event};
use crate::schema::{self, Extra, ParamInfo, ParamType, PrintFormat};
use crate::state::{self, paths, State, Thread};

pub use names::{errno_name, signal_name};

/// What parameter rendering needs besides the event.
#[derive(Clone, Copy)]
pub struct ParamCtx<'a> {
    /// The event.
    pub event: &'a Event,
    /// The state after the event was parsed.
    pub state: &'a State,
    /// How data buffers are shown.
    pub fmt: BufFmt,
    /// The longest data buffer shown in the default format, 0 for no limit.
    pub max_len: u32,
    /// Bytes of each data buffer considered at all, 0 for all of them (`-s`).
    pub snaplen: u32,
}

impl<'a> ParamCtx<'a> {
    fn thread(&self) -> Option<&'a Thread> {
        self.state.event_thread(self.event)
    }
}

/// The parameters an event carries, bounded by what its schema describes.
pub fn n_params(e: &Event) -> usize {
    let described = e.info().map_or(0, |i| i.params.len());
    (e.n_params as usize).min(described)
}

/// Renders parameter `idx` of the event: its text into `val`, its resolved form (or nothing)
/// into `resolved`. Both buffers are cleared first.
pub fn param(ctx: &ParamCtx<'_>, idx: usize, val: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    val.clear();
    resolved.clear();
    let e = ctx.event;
    let Some(info) = e.info() else { return };
    let Some(outer) = info.params.get(idx) else { return };
    let Some(payload) = e.param(idx) else { return };
    append_param(ctx, outer, payload, val, resolved);
}

/// Renders a parameter described by `outer` whose value is `payload`: its text appended to
/// `val`, its resolved form (if any) to `resolved`.
fn append_param(ctx: &ParamCtx<'_>, outer: &ParamInfo, mut payload: &[u8], val: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    let mut pinfo: &ParamInfo = outer;
    if outer.ty == ParamType::Dyn {
        if let (Extra::Dynamic(variants), Some((&sel, rest))) = (outer.extra, payload.split_first()) {
            if let Some(v) = variants.get(usize::from(sel)) {
                pinfo = v;
                payload = rest;
            }
        }
    }
    let pf = outer.fmt;
    match pinfo.ty {
        ParamType::Int8 => num::c_int(val, payload.first().map_or(0, |&b| i64::from(b as i8)), 32, pf),
        ParamType::Uint8 => num::c_int(val, payload.first().map_or(0, |&b| i64::from(b)), 32, pf),
        ParamType::Int16 => num::c_int(val, le_i64(payload).unwrap_or(0), 32, pf),
        ParamType::Uint16 => num::c_int(val, le_u64(payload).unwrap_or(0) as i64, 32, pf),
        ParamType::Int32 => num::c_int(val, le_i64(payload).unwrap_or(0), 32, pf),
        ParamType::Uint32 => num::c_int(val, le_u64(payload).unwrap_or(0) as u32 as i32 as i64, 32, pf),
        ParamType::Int64 | ParamType::Uint64 => num::c_int(val, le_i64(payload).unwrap_or(0), 64, pf),
        ParamType::Fd | ParamType::Fd32 => {
            let fd = le_i64(payload).unwrap_or(0);
            render_fd(ctx, fd, val, resolved);
        }
        ParamType::Pid | ParamType::Pid32 => {
            let pid = le_i64(payload).unwrap_or(0);
            state::push_i64(val, pid);
            if let Some(t) = ctx.state.thread(pid) {
                resolved.extend_from_slice(paths::until_nul(&t.comm));
            }
        }
        ParamType::Errno => {
            let v = le_i64(payload).unwrap_or(0);
            state::push_i64(val, v);
            if v < 0 {
                if let Some(n) = errno_name(v as i32) {
                    resolved.extend_from_slice(n.as_bytes());
                }
            }
        }
        ParamType::Charbuf => val.extend_from_slice(paths::until_nul(payload)),
        ParamType::Fspath | ParamType::Fsrelpath => {
            paths::push_sanitized(val, paths::until_nul(payload));
            if let Some(t) = ctx.thread() {
                if !payload.is_empty() && !payload.starts_with(b"<NA>") {
                    let base = base_dir(ctx, t, pinfo);
                    let (joined, relative) = paths::concatenate(&base, payload);
                    if relative {
                        resolved.extend_from_slice(&joined);
                    }
                }
            }
        }
        ParamType::Bytebuf => {
            let mut payload = match ctx.snaplen {
                0 => payload,
                n => &payload[..payload.len().min(n as usize)],
            };
            let start = val.len();
            let max = ctx.max_len as usize;
            let cut = max != 0 && ctx.fmt == BufFmt::NORMAL;
            if cut {
                // One byte of text per byte of data: what lies past the cut is never seen.
                payload = &payload[..payload.len().min(max + 1)];
            }
            buffer::render(val, payload, ctx.fmt);
            if cut && val.len() - start > max {
                val.truncate(start + max);
                if max > 3 {
                    val[start + max - 3..].copy_from_slice(b"...");
                }
            }
        }
        ParamType::Sockaddr | ParamType::Socktuple => {
            let start = val.len();
            if pinfo.ty == ParamType::Sockaddr {
                sockaddr_into(val, payload);
            } else {
                socktuple_into(val, payload);
            }
            // With -R, the ports of IP addresses are shown by name, with the protocol of the
            // event's socket (TCP unless it is UDP).
            if let (Some(ports), Some(2 | 10)) = (&ctx.state.port_names, payload.first()) {
                let udp = ctx.state.cur_fd().is_some_and(|f| f.l4proto() == state::l4::UDP);
                if let Cow::Owned(named) = ports.rewrite(&val[start..], udp) {
                    val.truncate(start);
                    val.extend_from_slice(&named);
                }
            }
        }
        ParamType::Fdlist => fdlist_into(ctx, val, payload),
        ParamType::SyscallId => {
            let id = le_u64(payload).unwrap_or(0) as u16;
            state::push_u64(val, u64::from(id));
            if let Some((name, _)) = schema::syscall_info(id) {
                resolved.extend_from_slice(name.as_bytes());
            }
        }
        ParamType::Sigtype => {
            let sig = payload.first().copied().unwrap_or(0);
            state::push_u64(val, u64::from(sig));
            if let Some(n) = signal_name(sig) {
                resolved.extend_from_slice(n.as_bytes());
            }
        }
        ParamType::Reltime => {
            let v = le_u64(payload).unwrap_or(0);
            if v == u64::MAX {
                val.extend_from_slice(b"none");
            } else {
                state::push_u64(val, v);
                num::push_g(resolved, v as f64 / 1e9);
                resolved.push(b's');
            }
        }
        ParamType::Flags8
        | ParamType::Flags16
        | ParamType::Flags32
        | ParamType::EnumFlags8
        | ParamType::EnumFlags16
        | ParamType::EnumFlags32 => {
            let v = le_u64(payload).unwrap_or(0) as u32;
            state::push_u64(val, u64::from(v));
            if let Extra::Flags(table) = outer.extra {
                flag_names(resolved, table, v);
            }
        }
        ParamType::Mode => {
            let v = le_u64(payload).unwrap_or(0) as u32;
            num::c_int(val, i64::from(v as i32), 32, pf);
            if let Extra::Flags(table) = outer.extra {
                flag_names(resolved, table, v);
            }
        }
        ParamType::Uid | ParamType::Gid => {
            let v = le_u64(payload).unwrap_or(0) as u32;
            if v < u32::MAX {
                state::push_i64(val, i64::from(v as i32));
                let name = if pinfo.ty == ParamType::Uid {
                    ctx.state.user("", v).map(|u| u.name.as_bytes())
                } else {
                    ctx.state.group("", v).map(|g| g.name.as_bytes())
                };
                match name {
                    Some(n) => paths::push_sanitized(resolved, n),
                    None => resolved.extend_from_slice(b"<NA>"),
                }
            } else {
                val.extend_from_slice(b"-1");
                resolved.extend_from_slice(b"<NONE>");
            }
        }
        ParamType::Sigset => {
            let v = le_u64(payload).unwrap_or(0) as u32;
            let mut first = true;
            for sig in 0..32u8 {
                if v & (1 << sig) != 0 {
                    if let Some(n) = signal_name(sig + 1) {
                        if !first {
                            val.push(b' ');
                        }
                        val.extend_from_slice(n.as_bytes());
                        first = false;
                    }
                }
            }
        }
        ParamType::Abstime | ParamType::Dyn => val.extend_from_slice(b"INVALID DYNAMIC PARAMETER"),
        ParamType::Ipv4Addr | ParamType::IpAddr => {
            if payload.len() >= 4 {
                let mut a = [0u8; 4];
                a.copy_from_slice(&payload[..4]);
                state::push_ipv4(val, &a);
            }
        }
        ParamType::Port => state::push_u64(val, le_u64(payload).unwrap_or(0)),
        ParamType::L4Proto | ParamType::SockFamily | ParamType::Bool => {
            state::push_u64(val, le_u64(payload).unwrap_or(0))
        }
        _ => val.extend_from_slice(b"(n.a.)"),
    }
}

/// Cuts a rendered buffer to `len` bytes, the last three replaced by dots.
pub fn truncate_dots(val: &mut Vec<u8>, len: usize) {
    val.truncate(len);
    if len > 3 {
        val[len - 3..].copy_from_slice(b"...");
    }
}

/// The directory a path parameter is relative to: the thread's working directory, or for a
/// `*at` path with a directory fd, that directory.
fn base_dir(ctx: &ParamCtx<'_>, t: &Thread, pinfo: &ParamInfo) -> Vec<u8> {
    let cwd = ctx.state.cwd(t).to_vec();
    if pinfo.ty != ParamType::Fsrelpath {
        return cwd;
    }
    let Extra::DirFd(idx) = pinfo.extra else { return cwd };
    let e = ctx.event;
    let Some(dinfo) = e.info().and_then(|i| i.params.get(usize::from(idx))) else { return cwd };
    if dinfo.ty != ParamType::Fd {
        return cwd;
    }
    let Some(dirfd) = e.param(usize::from(idx)).and_then(le_i64) else { return cwd };
    if dirfd == crate::state::AT_FDCWD {
        return cwd;
    }
    let name = fd_of_thread(ctx, t, dirfd).map(|f| f.name.as_slice()).unwrap_or_default();
    if name.is_empty() {
        return Vec::new();
    }
    let mut base = paths::sanitize(name).into_owned();
    base.push(b'/');
    base
}

fn fd_of_thread<'a>(ctx: &ParamCtx<'a>, t: &'a Thread, fd: i64) -> Option<&'a state::Fd> {
    if ctx.state.cur.container_thread {
        return t.fds.get(fd);
    }
    ctx.state.fd(t.tid, fd)
}

/// An fd number and its resolved form: `<f>/etc/passwd`, `<4t>1.2.3.4:5->6.7.8.9:80`,
/// `AT_FDCWD`, or the errno name of a negative value.
fn render_fd(ctx: &ParamCtx<'_>, fd: i64, val: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    state::push_i64(val, fd);
    let Some(t) = ctx.thread() else { return };
    if fd >= 0 {
        if let Some(f) = fd_of_thread(ctx, t, fd) {
            push_fd_tag(resolved, f, ctx.fmt.0 & BufFmt::SIMPLE.0 != 0);
            match &ctx.state.port_names {
                Some(ports) => paths::push_sanitized(resolved, &ports.fd_name(f, &f.name)),
                None => paths::push_sanitized(resolved, &f.name),
            }
        }
    } else if fd == crate::state::AT_FDCWD {
        resolved.extend_from_slice(b"AT_FDCWD");
    } else if let Some(n) = errno_name(fd as i32) {
        resolved.extend_from_slice(n.as_bytes());
    }
}

/// Appends `<tp>`: the fd type character and, for IP sockets, the protocol letter.
pub fn push_fd_tag(out: &mut Vec<u8>, f: &state::Fd, simple: bool) {
    out.push(b'<');
    if !simple {
        out.push(f.type_char());
    }
    if let Some(c) = l4_char(f) {
        out.push(c);
    }
    out.push(b'>');
}

/// The protocol letter sysdig adds after an IP socket's type character.
pub fn l4_char(f: &state::Fd) -> Option<u8> {
    if !f.is_ip() {
        return None;
    }
    match f.l4proto() {
        state::l4::TCP => Some(b't'),
        state::l4::UDP => Some(b'u'),
        state::l4::ICMP => Some(b'i'),
        state::l4::RAW => Some(b'r'),
        _ => None,
    }
}

/// Appends the names of the flags set in `v` as libsinsp lists them: in table order, each
/// flag's bits removed once named, a zero-valued name only for zero, and the loop stopping at an
/// entry equal to the whole value (which is then named).
pub fn flag_names(out: &mut Vec<u8>, table: &[(&str, u32)], v: u32) {
    let initial = v;
    let mut rest = v;
    let mut sep = false;
    for (name, fv) in table {
        if *fv == initial {
            if sep {
                out.push(b'|');
            }
            out.extend_from_slice(name.as_bytes());
            return;
        }
        if (*fv == 0 && initial == 0) || (*fv != 0 && rest & fv == *fv && rest != 0) {
            if sep {
                out.push(b'|');
            }
            out.extend_from_slice(name.as_bytes());
            sep = true;
            rest &= !fv;
        }
    }
}

fn push_port(out: &mut Vec<u8>, port: u16) {
    out.push(b':');
    state::push_u64(out, u64::from(port));
}

fn arr4(b: &[u8]) -> [u8; 4] {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    a
}

fn arr16(b: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    a
}

fn port_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn family_text(out: &mut Vec<u8>, family: u8) {
    out.extend_from_slice(b"family ");
    state::push_i64(out, i64::from(family as i8));
}

/// A socket address parameter as sysdig prints it.
pub fn sockaddr_into(out: &mut Vec<u8>, p: &[u8]) {
    let Some(&family) = p.first() else {
        out.extend_from_slice(b"NULL");
        return;
    };
    match family {
        1 => paths::push_sanitized(out, paths::until_nul(&p[1..])),
        2 => {
            if p.len() == 7 {
                state::push_ipv4(out, &arr4(&p[1..5]));
                push_port(out, port_at(p, 5));
            } else {
                out.extend_from_slice(b"INVALID IPv4");
            }
        }
        10 => {
            if p.len() == 19 {
                state::push_ipv6(out, &arr16(&p[1..17]));
                push_port(out, port_at(p, 17));
            } else {
                out.extend_from_slice(b"INVALID IPv6");
            }
        }
        f => family_text(out, f),
    }
}

/// A socket tuple parameter as sysdig prints it.
pub fn socktuple_into(out: &mut Vec<u8>, p: &[u8]) {
    let Some(&family) = p.first() else {
        out.extend_from_slice(b"NULL");
        return;
    };
    match family {
        2 => {
            if p.len() == 13 {
                state::push_ipv4(out, &arr4(&p[1..5]));
                push_port(out, port_at(p, 5));
                out.extend_from_slice(b"->");
                state::push_ipv4(out, &arr4(&p[7..11]));
                push_port(out, port_at(p, 11));
            } else {
                out.extend_from_slice(b"INVALID IPv4");
            }
        }
        10 => {
            if p.len() == 37 {
                let (sip6, dip6) = (&p[1..17], &p[19..35]);
                if state::is_ipv4_mapped(sip6) && state::is_ipv4_mapped(dip6) {
                    state::push_ipv4(out, &arr4(&p[13..17]));
                    push_port(out, port_at(p, 17));
                    out.extend_from_slice(b"->");
                    state::push_ipv4(out, &arr4(&p[31..35]));
                    push_port(out, port_at(p, 35));
                } else {
                    state::push_ipv6(out, &arr16(sip6));
                    push_port(out, port_at(p, 17));
                    out.extend_from_slice(b"->");
                    state::push_ipv6(out, &arr16(dip6));
                    push_port(out, port_at(p, 35));
                }
            } else {
                out.extend_from_slice(b"INVALID IPv6");
            }
        }
        1 => {
            let u64_at = |at: usize| p.get(at..at + 8).and_then(le_u64).unwrap_or(0);
            use std::io::Write;
            let _ = write!(out, "{:x}->{:x} ", u64_at(1), u64_at(9));
            paths::push_sanitized(out, paths::until_nul(p.get(17..).unwrap_or_default()));
        }
        f => family_text(out, f),
    }
}

/// The text libsinsp names a bound or connected socket after (a sockaddr parameter).
pub fn sockaddr_text(p: &[u8], _l4proto: u8) -> Vec<u8> {
    let mut v = Vec::new();
    sockaddr_into(&mut v, p);
    v
}

/// The text libsinsp names a socket after from a tuple parameter.
pub fn socktuple_text(p: &[u8], _l4proto: u8) -> Vec<u8> {
    let mut v = Vec::new();
    socktuple_into(&mut v, p);
    v
}

fn fdlist_into(ctx: &ParamCtx<'_>, out: &mut Vec<u8>, p: &[u8]) {
    let Some(t) = ctx.thread() else { return };
    if p.len() < 2 {
        return;
    }
    let n = usize::from(u16::from_le_bytes([p[0], p[1]]));
    let mut pos = 2;
    for j in 0..n {
        let Some(entry) = p.get(pos..pos + 10) else { break };
        let fd = i64::from_le_bytes([entry[0], entry[1], entry[2], entry[3], entry[4], entry[5], entry[6], entry[7]]);
        let fl = i16::from_le_bytes([entry[8], entry[9]]) as i32 as u32;
        state::push_u64(out, fd as u64);
        out.push(b':');
        out.push(fd_of_thread(ctx, t, fd).map_or(b'?', |f| f.type_char()));
        use std::io::Write;
        let _ = write!(out, "{fl:x}");
        if j + 1 < n {
            out.push(b' ');
        }
        pos += 10;
    }
}

/// Scratch buffers for rendering parameters, reused across events.
#[derive(Default, Debug)]
pub struct Scratch {
    /// A parameter's text.
    pub val: Vec<u8>,
    /// A parameter's resolved text.
    pub resolved: Vec<u8>,
}

/// Appends text that is usually short (a parameter's name) with copies of constant size, done
/// inline, instead of a library call per copy; longer text is appended as usual.
#[inline]
fn push_short(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    let len = out.len();
    if (4..=16).contains(&n) {
        // Two overlapping copies of half the padded width cover any length in the range.
        let mut a = [0u8; 16];
        if n >= 8 {
            a[..8].copy_from_slice(&s[..8]);
            a[n - 8..n].copy_from_slice(&s[n - 8..]);
        } else {
            a[..4].copy_from_slice(&s[..4]);
            a[n - 4..n].copy_from_slice(&s[n - 4..]);
        }
        out.extend_from_slice(&a);
        out.truncate(len + n);
    } else if n < 4 {
        for &b in s {
            out.push(b);
        }
    } else {
        out.extend_from_slice(s);
    }
}

/// Appends `evt.args`: `name=value ` or `name=value(resolved) ` for each parameter; nothing for
/// generic syscall events.
pub fn args(ctx: &ParamCtx<'_>, out: &mut Vec<u8>, scratch: &mut Scratch) {
    let e = ctx.event;
    if e.event_type == schema::ev::GENERIC_E || e.event_type == schema::ev::GENERIC_X {
        return;
    }
    let Some(info) = e.info() else { return };
    // The values in one walk over the lengths (`Event::param` adds them up for each).
    let mut values = e.params();
    for pinfo in &info.params[..n_params(e)] {
        push_short(out, pinfo.name.as_bytes());
        out.push(b'=');
        scratch.resolved.clear();
        if let Some(payload) = values.next() {
            // The value goes straight into the line; only its resolved form waits.
            append_param(ctx, pinfo, payload, out, &mut scratch.resolved);
        }
        if !scratch.resolved.is_empty() {
            out.push(b'(');
            out.extend_from_slice(&scratch.resolved);
            out.push(b')');
        }
        out.push(b' ');
    }
}

/// The syslog severity names.
pub const SYSLOG_SEVERITIES: [&str; 8] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

/// The syslog facility names.
pub const SYSLOG_FACILITIES: [&str; 24] = [
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "clock", "authpriv", "ftp", "ntp",
    "logaudit", "logalert", "cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];

/// Appends `evt.info`: a decoded syslog message for writes to /dev/log, else `evt.args`.
pub fn info(ctx: &ParamCtx<'_>, out: &mut Vec<u8>, scratch: &mut Scratch) {
    if let (Some(msg), Some(fd)) = (&ctx.state.syslog, ctx.state.cur_fd()) {
        if fd.syslog {
            out.extend_from_slice(b"syslog sev=");
            let sev = msg.severity() as usize;
            out.extend_from_slice(SYSLOG_SEVERITIES.get(sev).copied().unwrap_or("<NA>").as_bytes());
            out.extend_from_slice(b" msg=");
            out.extend_from_slice(paths::until_nul(&msg.msg));
            return;
        }
    }
    args(ctx, out, scratch);
}

/// A parameter's print format, for callers rendering raw values.
pub fn param_format(e: &Event, idx: usize) -> Option<PrintFormat> {
    e.info()?.params.get(idx).map(|p| p.fmt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::generated::FILE_FLAGS;

    fn flags(v: u32) -> String {
        let mut out = Vec::new();
        flag_names(&mut out, FILE_FLAGS, v);
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn short_text_is_appended_whole() {
        let text = b"abcdefghijklmnopqrstuvwxyz";
        for n in 0..=text.len() {
            let mut out = b"x".to_vec();
            push_short(&mut out, &text[..n]);
            assert_eq!(&out[1..], &text[..n]);
            assert_eq!(out[0], b'x');
        }
    }

    #[test]
    fn open_flags_read_like_sysdig() {
        assert_eq!(flags(1), "O_RDONLY");
        assert_eq!(flags(4097), "O_RDONLY|O_CLOEXEC");
        assert_eq!(flags(262), "O_TRUNC|O_CREAT|O_WRONLY");
        assert_eq!(flags(0), "O_NONE");
        assert_eq!(flags(3), "O_RDWR");
    }

    #[test]
    fn tuples_print_like_sysdig() {
        let mut t = vec![2u8, 127, 0, 0, 1];
        t.extend_from_slice(&47192u16.to_le_bytes());
        t.extend_from_slice(&[127, 0, 0, 1]);
        t.extend_from_slice(&80u16.to_le_bytes());
        assert_eq!(socktuple_text(&t, 0), b"127.0.0.1:47192->127.0.0.1:80");
        assert_eq!(socktuple_text(&[], 0), b"NULL");
        let mut u = vec![1u8];
        u.extend_from_slice(&0xffff_8800_1234u64.to_le_bytes());
        u.extend_from_slice(&0u64.to_le_bytes());
        u.extend_from_slice(b"/run/x\0");
        assert_eq!(socktuple_text(&u, 0), b"ffff88001234->0 /run/x");
    }
}
