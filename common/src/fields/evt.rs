//! The `evt` fields: event numbers, times, types, parameters, results and I/O classification.

use std::borrow::Cow;

use super::time::{push_iso8601, push_local, push_secs_ns, TimeMode};
use super::{Ctx, FieldArg, Value};
use crate::event::{le_i64, le_u64};
use crate::render::json::Json;
use crate::render::{self, Scratch};
use crate::scap::blocks::fd_type;
use crate::schema::{self, category as cat, ev, flags, ParamType};

const NS: u64 = 1_000_000_000;

/// A field with no value here (plugin fields, filter-only fields).
pub fn none<'a>(_: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    None
}

pub fn num<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.event.num))
}
/// `evt.num` as `FieldRef::write` prints it (`%u`), without a value (`FieldRef::direct_writer`).
pub fn w_num(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    crate::state::push_u64(out, c.event.num);
    true
}

fn text_of(f: fn(&Ctx<'_>, &FieldArg, &mut Vec<u8>, &mut Scratch) -> bool, c: &Ctx<'_>) -> Option<Value<'static>> {
    let mut out = Vec::new();
    f(c, &FieldArg::None, &mut out, &mut Scratch::default()).then(|| Value::bytes(out))
}

pub fn w_time(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    push_local(out, c.event.ts, &c.opts.tz, false, true);
    true
}
pub fn w_time_s(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    push_local(out, c.event.ts, &c.opts.tz, false, false);
    true
}
pub fn w_time_iso(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    push_iso8601(out, c.event.ts);
    true
}
pub fn w_datetime(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    push_local(out, c.event.ts, &c.opts.tz, true, true);
    true
}
pub fn w_datetime_s(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    push_local(out, c.event.ts, &c.opts.tz, true, false);
    true
}
pub fn time_ns<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_time, c)
}
pub fn time_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_time_s, c)
}
pub fn time_iso<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_time_iso, c)
}
pub fn datetime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_datetime, c)
}
pub fn datetime_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_datetime_s, c)
}

/// sysdig writes time fields to JSON as the raw timestamp.
pub fn j_ts(c: &Ctx<'_>, _: &FieldArg) -> Option<Json> {
    Some(Json::Int(c.event.ts as i64))
}

pub fn rawtime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.event.ts))
}
pub fn rawtime_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.event.ts / NS))
}
pub fn rawtime_ns<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.event.ts % NS))
}
fn rel(c: &Ctx<'_>) -> u64 {
    c.event.ts.wrapping_sub(c.state.first_ts.unwrap_or(0))
}
pub fn reltime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(rel(c)))
}
pub fn reltime_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(rel(c) / NS))
}
pub fn reltime_ns<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(rel(c) % NS))
}
fn j_u(v: Option<Value<'_>>) -> Option<Json> {
    Some(Json::Int(v?.as_u64()? as i64))
}
pub fn j_rawtime(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(rawtime(c, a))
}
pub fn j_rawtime_s(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(rawtime_s(c, a))
}
pub fn j_rawtime_ns(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(rawtime_ns(c, a))
}
pub fn j_reltime(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(reltime(c, a))
}
pub fn j_reltime_s(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(reltime_s(c, a))
}
pub fn j_reltime_ns(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(reltime_ns(c, a))
}

fn is_internal(c: &Ctx<'_>) -> bool {
    c.event.info().is_some_and(|i| i.category & cat::INTERNAL != 0)
}

/// The thread the parser resolved for the event (libsinsp's `m_tinfo`), if any.
fn parsed_thread<'a>(c: &Ctx<'a>) -> Option<&'a crate::state::Thread> {
    if c.state.cur.container_thread {
        return c.state.container_thread.as_ref();
    }
    c.state.thread(c.state.cur.tid?)
}

/// The latency libsinsp keeps on the event's thread: 0 without one, none for internal events.
fn lat(c: &Ctx<'_>) -> Option<u64> {
    let Some(t) = parsed_thread(c) else { return Some(0) };
    if is_internal(c) {
        return None;
    }
    Some(t.latency)
}

pub fn latency<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    lat(c).map(Value::Uint)
}
pub fn latency_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    lat(c).map(|l| Value::Uint(l / NS))
}
pub fn latency_ns<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    lat(c).map(|l| Value::Uint(l % NS))
}
pub fn j_latency(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(latency(c, a))
}
pub fn j_latency_s(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(latency_s(c, a))
}
pub fn j_latency_ns(c: &Ctx<'_>, a: &FieldArg) -> Option<Json> {
    j_u(latency_ns(c, a))
}
pub fn latency_quantized<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    parsed_thread(c)?;
    let l = lat(c)?;
    if l == 0 {
        return None;
    }
    // sysdig scales by the terminal width, which is unset (-1) outside csysdig.
    let q = (-(l as f64).log10().min(11.0) / 11.0) as i64 + 1;
    Some(Value::Uint(q as u64))
}

/// A duration the way sysdig's `evt.latency.human` writes it (`10.30ms`, `1:05`).
pub fn human_duration(out: &mut Vec<u8>, val: u64) {
    use std::io::Write;
    let u = |v: u64| v as u32;
    let _ = if val >= 3600 * NS {
        write!(out, "{:02}:{:02}:{:02}", u(val / (3600 * NS)), u(val / (60 * NS) % 60), u(val / NS % 60))
    } else if val >= 60 * NS {
        write!(out, "{}:{}", u(val / (60 * NS)), u(val / NS % 60))
    } else if val >= NS {
        write!(out, "{}.{:02}s", u(val / NS), u(val % NS / 10_000_000))
    } else if val >= NS / 100 {
        write!(out, "{}ms", u(val / 1_000_000))
    } else if val >= NS / 1000 {
        write!(out, "{}.{:02}ms", u(val / 1_000_000), u(val % 1_000_000 / 10_000))
    } else if val >= NS / 100_000 {
        write!(out, "{}us", u(val / 1000))
    } else if val >= NS / 1_000_000 {
        write!(out, "{}.{:02}us", u(val / 1000), u(val % 1000 / 10))
    } else {
        write!(out, "{}ns", u(val))
    };
}

/// Without a thread, sysdig repeats the previous text (the field is `STICKY`).
pub fn latency_human<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let mut out = Vec::new();
    parsed_thread(c)?;
    human_duration(&mut out, lat(c)?);
    Some(Value::bytes(out))
}

fn delta(c: &Ctx<'_>) -> u64 {
    if c.opts.prev_ts == 0 {
        0
    } else {
        c.event.ts.wrapping_sub(c.opts.prev_ts)
    }
}
pub fn deltatime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(delta(c)))
}
pub fn deltatime_s<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(delta(c) / NS))
}
pub fn deltatime_ns<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(delta(c) % NS))
}
/// sysdig evaluates these twice per event in JSON mode, so the second reading is always 0.
pub fn j_zero(_: &Ctx<'_>, _: &FieldArg) -> Option<Json> {
    Some(Json::Int(0))
}

pub fn w_outputtime(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    let ts = c.event.ts;
    match c.opts.time_mode {
        TimeMode::Human => push_local(out, ts, &c.opts.tz, false, true),
        TimeMode::Absolute => push_secs_ns(out, ts, false),
        TimeMode::Relative => push_secs_ns(out, rel(c), true),
        TimeMode::Delta => match parsed_thread(c) {
            Some(t) => push_secs_ns(out, t.latency, true),
            None => out.extend_from_slice(b"0.000000000"),
        },
        TimeMode::DeltaPrevious => push_secs_ns(out, delta(c), true),
    }
    true
}
pub fn outputtime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    text_of(w_outputtime, c)
}

pub fn dir<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(if c.event.is_enter() { b">" } else { b"<" }))
}
/// `evt.dir` as `FieldRef::write` prints it.
pub fn w_dir(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    out.push(if c.event.is_enter() { b'>' } else { b'<' });
    true
}

/// The name `evt.type` shows: the schema name, or the syscall name for generic events.
pub fn type_name(e: &crate::event::Event) -> Option<&'static str> {
    if e.event_type == ev::GENERIC_E || e.event_type == ev::GENERIC_X {
        let id = e.param_u64(0)? as u16;
        return Some(schema::syscall_info(id).map_or("", |(n, _)| n));
    }
    e.info().map(|i| i.name)
}

pub fn etype<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    type_name(c.event).map(|n| Value::text(n.as_bytes()))
}
/// `evt.type` as `FieldRef::write` prints it (names hold no NUL).
pub fn w_type(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    match type_name(c.event) {
        Some(n) => {
            out.extend_from_slice(n.as_bytes());
            true
        }
        None => false,
    }
}

pub fn type_is<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let t = c.event.event_type;
    let hit = match a {
        FieldArg::Index(n) => i64::from(t) == *n,
        FieldArg::Name(name) => (0..schema::SYSDIG_0_29_EVENT_MAX)
            .find(|&i| schema::event_info(i).is_some_and(|info| info.name == name))
            .is_some_and(|first| t == first || t == first + 1),
        FieldArg::None => false,
    };
    Some(Value::Uint(u64::from(hit)))
}

pub fn syscall_type<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.event.event_type;
    let fl = c.event.info().map_or(0, |i| i.flags);
    // libsinsp tests the event flags against the internal category bit here, which is the same
    // bit as "skip parse reset".
    if t == ev::SCHEDSWITCH_6_E || fl & cat::INTERNAL != 0 || fl & flags::SKIPPARSERESET != 0 {
        return None;
    }
    etype(c, &FieldArg::None)
}

/// The category name and whether it is an I/O category refined by the fd kind.
pub fn category_name(c: &Ctx<'_>) -> &'static str {
    let e = c.event;
    let category = if e.event_type == ev::GENERIC_E || e.event_type == ev::GENERIC_X {
        e.param_u64(0).and_then(|id| schema::syscall_info(id as u16)).map_or(0, |(_, c)| c)
    } else {
        e.info().map_or(0, |i| i.category)
    };
    match category {
        cat::UNKNOWN => "unknown",
        cat::OTHER => "other",
        cat::FILE => "file",
        cat::NET => "net",
        cat::IPC => "IPC",
        cat::MEMORY => "memory",
        cat::PROCESS => "process",
        cat::SLEEP => "sleep",
        cat::SYSTEM => "system",
        cat::SIGNAL => "signal",
        cat::USER => "user",
        cat::TIME => "time",
        cat::PROCESSING => "processing",
        cat::IO_READ | cat::IO_WRITE | cat::IO_OTHER => match c.state.cur_fd().map(|f| f.fd_type) {
            None => "unknown",
            Some(fd_type::FILE | fd_type::FILE_V2 | fd_type::DIRECTORY) => "file",
            Some(fd_type::IPV4_SOCK | fd_type::IPV6_SOCK | fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK) => "net",
            Some(fd_type::FIFO | fd_type::UNIX_SOCK | fd_type::EVENT | fd_type::SIGNALFD | fd_type::INOTIFY) => "ipc",
            Some(_) => "unknown",
        },
        cat::WAIT => "wait",
        cat::SCHEDULER => "scheduler",
        _ => "unknown",
    }
}

pub fn category<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(category_name(c).as_bytes()))
}

pub fn cpu<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(i64::from(c.event.cpu as i16)))
}
/// `evt.cpu` as `FieldRef::write` prints it (an `int16`, `%d`).
pub fn w_cpu(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    crate::state::push_i64(out, i64::from(c.event.cpu as i16));
    true
}

pub fn w_args(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, s: &mut Scratch) -> bool {
    render::args(&c.param_ctx(), out, s);
    true
}
pub fn args<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let mut out = Vec::new();
    w_args(c, a, &mut out, &mut Scratch::default()).then(|| Value::bytes(out))
}
pub fn w_info(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, s: &mut Scratch) -> bool {
    render::info(&c.param_ctx(), out, s);
    true
}
pub fn info<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let mut out = Vec::new();
    w_info(c, a, &mut out, &mut Scratch::default()).then(|| Value::bytes(out))
}

fn param_index(c: &Ctx<'_>, a: &FieldArg) -> Option<usize> {
    let e = c.event;
    match a {
        FieldArg::Index(n) => {
            let n = usize::try_from(*n).ok()?;
            (n < render::n_params(e)).then_some(n)
        }
        FieldArg::Name(name) => {
            let idx = e.info()?.params.iter().position(|p| p.name == name)?;
            (idx < render::n_params(e)).then_some(idx)
        }
        FieldArg::None => None,
    }
}

pub fn w_arg(c: &Ctx<'_>, a: &FieldArg, out: &mut Vec<u8>, s: &mut Scratch) -> bool {
    let Some(idx) = param_index(c, a) else { return false };
    render::param(&c.param_ctx(), idx, &mut s.val, &mut s.resolved);
    if s.resolved.is_empty() {
        out.extend_from_slice(&s.val);
    } else {
        out.extend_from_slice(&s.resolved);
    }
    true
}
pub fn arg<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let mut out = Vec::new();
    w_arg(c, a, &mut out, &mut Scratch::default()).then(|| Value::bytes(out))
}

/// Decodes raw parameter bytes as a value of a libscap type.
pub fn raw_value(b: &[u8], ty: ParamType) -> Value<'_> {
    use ParamType as P;
    let take = |n: usize| -> Option<&[u8]> { b.get(..n) };
    match ty {
        P::Int8 => Value::Int(take(1).and_then(le_i64).unwrap_or(0)),
        P::Int16 => Value::Int(take(2).and_then(le_i64).unwrap_or(0)),
        P::Int32 => Value::Int(take(4).and_then(le_i64).unwrap_or(0)),
        P::Int64 | P::Errno | P::Fd | P::Pid => Value::Int(take(8).and_then(le_i64).unwrap_or(0)),
        P::Uint8 | P::Flags8 | P::Sigtype | P::L4Proto | P::SockFamily | P::EnumFlags8 => {
            Value::Uint(take(1).and_then(le_u64).unwrap_or(0))
        }
        P::Uint16 | P::Flags16 | P::Port | P::SyscallId | P::EnumFlags16 => {
            Value::Uint(take(2).and_then(le_u64).unwrap_or(0))
        }
        P::Uint32 | P::Flags32 | P::Uid | P::Gid | P::Mode | P::Sigset | P::EnumFlags32 | P::Bool => {
            Value::Uint(take(4).and_then(le_u64).unwrap_or(0))
        }
        P::Fd32 | P::Pid32 => Value::Int(take(4).and_then(le_i64).unwrap_or(0)),
        P::Uint64 | P::Reltime | P::Abstime => Value::Uint(take(8).and_then(le_u64).unwrap_or(0)),
        P::Double => Value::Double(take(8).map_or(0.0, |x| {
            let mut a = [0u8; 8];
            a.copy_from_slice(x);
            f64::from_le_bytes(a)
        })),
        P::Ipv4Addr | P::Ipv6Addr | P::IpAddr => Value::Ip(Cow::Borrowed(b)),
        _ => Value::Str(Cow::Borrowed(b)),
    }
}

pub fn rawarg<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let FieldArg::Name(name) = a else { return None };
    let ty = super::registry::rawarg_param(name)?.ty;
    let e = c.event;
    let idx = e.info()?.params.iter().position(|p| p.name == name)?;
    if idx >= render::n_params(e) {
        return None;
    }
    Some(raw_value(e.param(idx)?, ty))
}

fn data_index(c: &Ctx<'_>) -> Option<usize> {
    let idx = c.event.info()?.params.iter().position(|p| p.name == "data")?;
    (idx < render::n_params(c.event)).then_some(idx)
}

pub fn w_buffer(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, s: &mut Scratch) -> bool {
    let Some(idx) = data_index(c) else { return false };
    render::param(&c.param_ctx(), idx, &mut s.val, &mut s.resolved);
    out.extend_from_slice(&s.val);
    true
}
pub fn buffer<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let idx = data_index(c)?;
    Some(Value::text(c.event.param(idx)?))
}

fn ev_flags(c: &Ctx<'_>) -> u32 {
    c.event.info().map_or(0, |i| i.flags)
}

fn ev_category(c: &Ctx<'_>) -> u32 {
    c.event.info().map_or(0, |i| i.category)
}

/// The first parameter of a successful exit, as the number of bytes transferred.
fn io_len(c: &Ctx<'_>) -> Option<Value<'static>> {
    if c.event.is_enter() {
        return None;
    }
    let res = c.event.param_i64(0)?;
    (res >= 0).then_some(Value::Uint(res as u64))
}

fn with_io_fd(c: &Ctx<'_>, cond: impl Fn(u32, u8) -> bool) -> Option<Value<'static>> {
    let fd = c.state.cur_fd()?;
    if !cond(ev_category(c), fd.fd_type) {
        return None;
    }
    io_len(c)
}

const IO_BASE: u32 = 32;

pub fn buflen<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, _| cat & IO_BASE != 0)
}
pub fn buflen_in<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, _| cat == cat::IO_READ)
}
pub fn buflen_out<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, _| cat == cat::IO_WRITE)
}
fn is_file(t: u8) -> bool {
    t == fd_type::FILE || t == fd_type::FILE_V2
}
fn is_net(t: u8) -> bool {
    (fd_type::IPV4_SOCK..=fd_type::IPV6_SERVSOCK).contains(&t)
}
pub fn buflen_file<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat & IO_BASE != 0 && is_file(t))
}
pub fn buflen_file_in<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat == cat::IO_READ && is_file(t))
}
pub fn buflen_file_out<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat == cat::IO_WRITE && is_file(t))
}
pub fn buflen_net<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat & IO_BASE != 0 && is_net(t))
}
pub fn buflen_net_in<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat == cat::IO_READ && is_net(t))
}
pub fn buflen_net_out<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    with_io_fd(c, |cat, t| cat == cat::IO_WRITE && is_net(t))
}

/// The index of the result parameter: `res`, or `fd` for exits that create an fd.
fn res_index(c: &Ctx<'_>) -> Option<usize> {
    let e = c.event;
    let info = e.info()?;
    let n = render::n_params(e);
    if let Some(i) = info.params.iter().position(|p| p.name == "res") {
        return (i < n).then_some(i);
    }
    if info.flags & flags::CREATES_FD != 0 && !e.is_enter() {
        let i = info.params.iter().position(|p| p.name == "fd")?;
        return (i < n).then_some(i);
    }
    None
}

pub fn res<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let idx = res_index(c)?;
    let v = c.event.param_i64(idx)?;
    if v >= 0 {
        return Some(Value::text(b"SUCCESS"));
    }
    let mut val = Vec::new();
    let mut resolved = Vec::new();
    render::param(&c.param_ctx(), idx, &mut val, &mut resolved);
    Some(Value::bytes(if resolved.is_empty() { val } else { resolved }))
}

pub fn rawres<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let idx = res_index(c)?;
    Some(Value::Int(c.event.param_i64(idx)?))
}

pub fn failed<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let v = res_index(c).and_then(|i| c.event.param_i64(i)).is_some_and(|r| r < 0);
    Some(Value::Bool(v))
}

pub fn is_io<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(ev_flags(c) & (flags::READS_FROM_FD | flags::WRITES_TO_FD) != 0))
}
pub fn is_io_read<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(ev_flags(c) & flags::READS_FROM_FD != 0))
}
pub fn is_io_write<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(ev_flags(c) & flags::WRITES_TO_FD != 0))
}
pub fn io_dir<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let f = ev_flags(c);
    if f & flags::WRITES_TO_FD != 0 {
        Some(Value::text(b"write"))
    } else if f & flags::READS_FROM_FD != 0 {
        Some(Value::text(b"read"))
    } else {
        None
    }
}
pub fn is_wait<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(ev_flags(c) & flags::WAITS != 0))
}
pub fn wait_latency<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    if ev_flags(c) & flags::WAITS == 0 || c.event.is_enter() {
        return None;
    }
    let l = parsed_thread(c).map_or(0, |t| t.latency);
    Some(Value::Uint(l))
}
pub fn is_syslog<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let v = ev_flags(c) & flags::WRITES_TO_FD != 0
        && c.state
            .cur_fd()
            .is_some_and(|f| crate::state::paths::until_nul(&f.name).windows(8).any(|w| w == b"/dev/log"));
    Some(Value::Bool(v))
}
pub fn count<'a>(_: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(1))
}
pub fn j_count(_: &Ctx<'_>, _: &FieldArg) -> Option<Json> {
    Some(Json::Uint(1))
}

/// 1 when the event's result says it failed, else no value.
fn error_count(c: &Ctx<'_>) -> Option<Value<'static>> {
    let e = c.event;
    let info = e.info()?;
    if let Some(i) = info.params.iter().position(|p| p.name == "res") {
        if i >= render::n_params(e) {
            return None;
        }
        return (e.param_i64(i)? < 0).then_some(Value::Uint(1));
    }
    if info.flags & flags::CREATES_FD != 0 && !e.is_enter() {
        let i = info.params.iter().position(|p| p.name == "fd")?;
        if i < render::n_params(e) && e.param_i64(i)? < 0 {
            return Some(Value::Uint(1));
        }
    }
    None
}

pub fn count_error<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    error_count(c)
}

fn opens(t: u16) -> bool {
    matches!(
        t,
        ev::SYSCALL_OPEN_X
            | ev::SYSCALL_CREAT_X
            | ev::SYSCALL_OPENAT_X
            | ev::SYSCALL_OPENAT_2_X
            | ev::SYSCALL_OPENAT2_X
    )
}
fn connects(t: u16) -> bool {
    matches!(
        t,
        ev::SOCKET_ACCEPT_X
            | ev::SOCKET_ACCEPT_5_X
            | ev::SOCKET_ACCEPT4_X
            | ev::SOCKET_ACCEPT4_5_X
            | ev::SOCKET_CONNECT_X
    )
}
fn file_fd(t: u8) -> bool {
    matches!(t, fd_type::FILE | fd_type::FILE_V2 | fd_type::DIRECTORY)
}
fn net_fd(t: u8) -> bool {
    is_net(t) || t == fd_type::UNIX_SOCK
}

pub fn count_error_file<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    match c.state.cur_fd() {
        Some(f) if file_fd(f.fd_type) => error_count(c),
        Some(_) => None,
        None if opens(c.event.event_type) => error_count(c),
        None => None,
    }
}
pub fn count_error_net<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    match c.state.cur_fd() {
        Some(f) if net_fd(f.fd_type) => error_count(c),
        Some(_) => None,
        None if connects(c.event.event_type) => error_count(c),
        None => None,
    }
}
pub fn count_error_memory<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    if ev_category(c) == cat::MEMORY {
        error_count(c)
    } else {
        None
    }
}
pub fn count_error_other<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    match c.state.cur_fd() {
        Some(f) if !(file_fd(f.fd_type) || net_fd(f.fd_type)) => error_count(c),
        Some(_) => None,
        None => {
            let t = c.event.event_type;
            if opens(t) || connects(t) || ev_category(c) == cat::MEMORY {
                None
            } else {
                error_count(c)
            }
        }
    }
}
pub fn count_exit<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    (!c.event.is_enter()).then_some(Value::Uint(1))
}
pub fn count_procinfo<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    if c.event.event_type != ev::PROCINFO_E {
        return None;
    }
    c.thread().filter(|t| t.is_main()).map(|_| Value::Uint(1))
}
pub fn count_threadinfo<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    (c.event.event_type == ev::PROCINFO_E).then_some(Value::Uint(1))
}

pub fn abspath<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let e = c.event;
    let which = match a {
        FieldArg::Name(n) if n == "dst" => 2,
        FieldArg::Name(n) if n == "src" => 1,
        _ => 0,
    };
    let (dirarg, patharg) = match e.event_type {
        ev::SYSCALL_RENAMEAT_X | ev::SYSCALL_RENAMEAT2_X => {
            if which == 2 {
                ("newdirfd", "newpath")
            } else {
                ("olddirfd", "oldpath")
            }
        }
        ev::SYSCALL_SYMLINKAT_X => ("linkdirfd", "linkpath"),
        ev::SYSCALL_OPENAT_E | ev::SYSCALL_OPENAT_2_X | ev::SYSCALL_OPENAT2_X => ("dirfd", "name"),
        ev::SYSCALL_LINKAT_E | ev::SYSCALL_LINKAT_2_X => {
            if which == 2 {
                ("newdir", "newpath")
            } else {
                ("olddir", "oldpath")
            }
        }
        ev::SYSCALL_UNLINKAT_E | ev::SYSCALL_UNLINKAT_2_X => ("dirfd", "name"),
        ev::SYSCALL_MKDIRAT_X => ("dirfd", "path"),
        ev::SYSCALL_FCHMODAT_X => ("dirfd", "filename"),
        _ => return None,
    };
    let t = parsed_thread(c)?;
    let info = e.info()?;
    let n = render::n_params(e);
    let di = info.params.iter().position(|p| p.name == dirarg).filter(|&i| i < n)?;
    let pi = info.params.iter().position(|p| p.name == patharg).filter(|&i| i < n)?;
    let dirfd = e.param_i64(di)?;
    let path = e.param(pi)?;
    let sdir: Vec<u8> = if path.first() == Some(&b'/') {
        b".".to_vec()
    } else if dirfd == crate::state::AT_FDCWD {
        c.state.cwd(t).to_vec()
    } else {
        match c.state.fd(t.tid, dirfd) {
            None => b"<UNKNOWN>/".to_vec(),
            Some(f) => {
                let mut d = f.name.clone();
                d.push(b'/');
                d
            }
        }
    };
    let (full, _) = crate::state::paths::concatenate_limited(&sdir, path, crate::state::paths::MAX_PATH);
    Some(Value::bytes(full))
}

fn open_flags(c: &Ctx<'_>) -> Option<(u32, Option<u32>)> {
    let e = c.event;
    let t = e.event_type;
    if matches!(t, ev::SYSCALL_OPEN_X | ev::SYSCALL_OPENAT_E | ev::SYSCALL_OPENAT_2_X | ev::SYSCALL_OPENAT2_X) {
        let newer = t == ev::SYSCALL_OPENAT_2_X || t == ev::SYSCALL_OPENAT2_X;
        let fl = e.param_u64(if newer { 3 } else { 2 }).unwrap_or(0) as u32;
        let mode = e.param_u64(if newer { 4 } else { 3 }).map(|m| m as u32);
        return Some((fl, mode));
    }
    None
}

const PPM_O_RDONLY: u32 = 1;
const PPM_O_WRONLY: u32 = 2;
const PPM_O_CREAT: u32 = 4;
const PPM_O_TMPFILE: u32 = 1 << 13;
const EXEC_MASK: u32 = 1 | 8 | 64;

pub fn is_open_read<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(open_flags(c).is_some_and(|(f, _)| f & PPM_O_RDONLY != 0)))
}
pub fn is_open_write<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(open_flags(c).is_some_and(|(f, _)| f & PPM_O_WRONLY != 0)))
}
pub fn is_open_exec<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let e = c.event;
    let v = match open_flags(c) {
        Some((f, mode)) => f & (PPM_O_TMPFILE | PPM_O_CREAT) != 0 && mode.is_some_and(|m| m & EXEC_MASK != 0),
        None => e.event_type == ev::SYSCALL_CREAT_X && e.param_u64(2).is_some_and(|m| m as u32 & EXEC_MASK != 0),
    };
    Some(Value::Bool(v))
}

fn infra_part(c: &Ctx<'_>, key: &str) -> Option<String> {
    if c.event.event_type != ev::INFRASTRUCTURE_EVENT_E {
        return None;
    }
    let desc = String::from_utf8_lossy(crate::state::paths::until_nul(c.event.param(2)?)).into_owned();
    for part in desc.split(';') {
        let e = part.trim();
        if e.starts_with(key) {
            let value = e.split(':').nth(1)?.trim().to_string();
            return Some(value);
        }
    }
    None
}

pub fn infra_name<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    infra_part(c, "Event").map(Value::owned)
}
pub fn infra_id<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    infra_part(c, "ID").map(|mut s| {
        s.truncate(12);
        Value::owned(s)
    })
}
pub fn infra_cname<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    infra_part(c, "name").map(Value::owned)
}
pub fn infra_image<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    infra_part(c, "Image").map(|s| Value::owned(s.split('@').next().unwrap_or_default().to_string()))
}
