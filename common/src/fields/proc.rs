//! The process and thread fields (`proc.*`, `thread.*`).

use std::borrow::Cow;

use super::{Ctx, FieldArg, Value};
use crate::render::Scratch;
use crate::schema::ev;
use crate::state::{Category, State, Thread};

fn join(parts: &[Vec<u8>], sep: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.extend_from_slice(p);
    }
    out
}

fn cstr(b: &[u8]) -> &[u8] {
    crate::state::paths::until_nul(b)
}

/// A field with no value in a trace (CPU shares need live procinfo accounting).
pub fn none<'a>(_: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    None
}

pub fn pid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(c.thread()?.pid))
}
/// `proc.pid` as `FieldRef::write` prints it, without a value (`FieldRef::direct_writer`).
pub fn w_pid(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    let Some(t) = c.thread() else { return false };
    crate::state::push_i64(out, t.pid);
    true
}
pub fn exe<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(cstr(&c.thread()?.exe)))
}
pub fn name<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(cstr(&c.thread()?.comm)))
}
/// `proc.name` as `FieldRef::write` prints it.
pub fn w_name(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    let Some(t) = c.thread() else { return false };
    out.extend_from_slice(cstr(&t.comm));
    true
}
pub fn exepath<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(cstr(&c.thread()?.exepath)))
}
pub fn args<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::bytes(join(&c.thread()?.args, b' ')))
}

/// A thread's environment: its main thread's.
fn env_of<'a>(s: &'a State, t: &'a Thread) -> &'a [Vec<u8>] {
    if t.is_main() {
        return &t.env;
    }
    s.main_thread(t).map_or(&t.env, |m| &m.env)
}

pub fn env<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::bytes(join(env_of(c.state, t), b' ')))
}

/// The command name followed by the arguments.
pub fn cmdline_of(t: &Thread) -> Vec<u8> {
    let mut out = cstr(&t.comm).to_vec();
    for a in &t.args {
        out.push(b' ');
        out.extend_from_slice(a);
    }
    out
}

pub fn cmdline<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::bytes(cmdline_of(c.thread()?)))
}
pub fn exeline<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    let mut out = cstr(&t.exe).to_vec();
    out.push(b' ');
    out.extend_from_slice(&join(&t.args, b' '));
    Some(Value::bytes(out))
}
pub fn cwd<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::text(c.state.cwd(t)))
}
pub fn nthreads<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    let m = c.state.main_thread(t)?;
    Some(Value::Uint(m.nchilds + 1))
}
pub fn nchilds<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.thread()?.nchilds))
}
pub fn ppid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    if t.is_main() {
        return Some(Value::Int(t.ptid));
    }
    Some(Value::Int(c.state.main_thread(t)?.ptid))
}
pub fn pname<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let p = c.state.thread(c.thread()?.ptid)?;
    Some(Value::text(cstr(&p.comm)))
}
pub fn pcmdline<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let p = c.state.thread(c.thread()?.ptid)?;
    Some(Value::bytes(cmdline_of(p)))
}

/// The main thread `n` generations up from the event's process.
fn ancestor<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<&'a Thread> {
    let t = c.thread()?;
    let mut mt = c.state.main_thread(t)?;
    let n = match a {
        FieldArg::Index(n) => *n,
        _ => 0,
    };
    for _ in 0..n.max(0) {
        mt = c.state.parent(mt)?;
    }
    Some(mt)
}

pub fn apid<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(ancestor(c, a)?.pid))
}
pub fn aname<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(cstr(&ancestor(c, a)?.comm)))
}

/// Visits the ancestors of a main thread, stopping at loops as libsinsp does.
pub fn for_each_ancestor<'a>(s: &'a State, start: &'a Thread, mut visit: impl FnMut(&'a Thread) -> bool) {
    let mut slow = s.parent(start);
    let mut fast = slow.and_then(|f| s.parent(f));
    while let Some(cur) = slow {
        if cur.tid == -1 || !visit(cur) {
            break;
        }
        slow = s.parent(cur);
        for _ in 0..2 {
            fast = fast.and_then(|f| s.parent(f));
            if let Some(sl) = slow {
                if fast.is_some_and(|f| std::ptr::eq(f, sl)) || sl.tid == sl.ptid {
                    return;
                }
            }
        }
    }
}

pub fn loginshellid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    let mt = c.state.main_thread(t)?;
    let is_shell = |t: &Thread| cstr(&t.comm).ends_with(b"sh");
    let mut res = is_shell(mt).then_some(mt.pid);
    for_each_ancestor(c.state, mt, |p| {
        if is_shell(p) {
            res = Some(p.pid);
        }
        true
    });
    res.map(Value::Int)
}
pub fn duration<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    if t.clone_ts == 0 {
        return None;
    }
    Some(Value::Uint(c.event.ts.wrapping_sub(t.clone_ts)))
}
fn fd_count(c: &Ctx<'_>, t: &Thread) -> u64 {
    c.state.main_thread(t).map_or(0, |m| m.fds.len() as u64)
}
pub fn fdopencount<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Uint(fd_count(c, t)))
}
pub fn fdlimit<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Int(c.state.main_thread(t)?.fdlimit))
}
pub fn fdusage<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    let limit = c.state.main_thread(t)?.fdlimit;
    let v = if limit > 0 {
        let open = fd_count(c, t);
        if open <= limit as u64 {
            open as f64 * 100.0 / limit as f64
        } else {
            100.0
        }
    } else {
        0.0
    };
    Some(Value::Double(v))
}
pub fn vmsize<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(c.thread()?.vmsize_kb)))
}
pub fn vmrss<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(c.thread()?.vmrss_kb)))
}
pub fn vmswap<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(c.thread()?.vmswap_kb)))
}
pub fn pfmajor<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.thread()?.pfmajor))
}
pub fn pfminor<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.thread()?.pfminor))
}
pub fn tid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(c.event.tid))
}
/// `thread.tid` as `FieldRef::write` prints it.
pub fn w_tid(c: &Ctx<'_>, _: &FieldArg, out: &mut Vec<u8>, _: &mut Scratch) -> bool {
    crate::state::push_i64(out, c.event.tid);
    true
}
pub fn ismain<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(c.thread()?.is_main()))
}
fn is_switch(c: &Ctx<'_>) -> bool {
    matches!(c.event.event_type, ev::SCHEDSWITCH_1_E | ev::SCHEDSWITCH_6_E)
}
/// On context switches, the time since the previous switch on the same CPU; 0 otherwise.
pub fn exectime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(if is_switch(c) { c.state.cur.exectime } else { 0 }))
}
pub fn totexectime<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(c.thread()?.totexectime))
}
pub fn cgroups<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    if t.cgroups.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (i, (k, v)) in t.cgroups.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(k);
        out.push(b'=');
        out.extend_from_slice(v);
    }
    Some(Value::bytes(out))
}
pub fn cgroup<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    let FieldArg::Name(sub) = a else { return None };
    let t = c.thread()?;
    let (_, path) = t.cgroups.iter().find(|(k, _)| k == sub.as_bytes())?;
    Some(Value::Str(Cow::Borrowed(path)))
}
pub fn vtid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    (t.vtid != -1).then_some(Value::Int(t.vtid))
}
pub fn vpid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    (t.vpid != -1).then_some(Value::Int(t.vpid))
}
pub fn thread_vmsize<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Uint(if t.is_main() { u64::from(t.vmsize_kb) } else { 0 }))
}
pub fn thread_vmrss<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Uint(if t.is_main() { u64::from(t.vmrss_kb) } else { 0 }))
}
pub fn thread_vmsize_b<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Uint(if t.is_main() { u64::from(t.vmsize_kb.wrapping_mul(1024)) } else { 0 }))
}
pub fn thread_vmrss_b<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::Uint(if t.is_main() { u64::from(t.vmrss_kb.wrapping_mul(1024)) } else { 0 }))
}
pub fn sid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(c.thread()?.sid))
}
pub fn sname<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    if let Some(leader) = c.state.thread(t.sid) {
        return Some(Value::text(cstr(&leader.comm)));
    }
    let mut mt = c.state.main_thread(t)?;
    let sid = mt.sid;
    for_each_ancestor(c.state, mt, |p| {
        if p.sid != sid {
            return false;
        }
        mt = p;
        true
    });
    Some(Value::text(cstr(&mt.comm)))
}
pub fn tty<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(i64::from(c.thread()?.tty as i32)))
}
pub fn nametid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let mut out = cstr(&c.thread()?.comm).to_vec();
    out.extend_from_slice(c.event.tid.to_string().as_bytes());
    Some(Value::bytes(out))
}
pub fn vpgid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(c.thread()?.vpgid))
}
pub fn is_healthcheck<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(c.thread()?.category == Category::Healthcheck))
}
pub fn is_liveness<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(c.thread()?.category == Category::LivenessProbe))
}
pub fn is_readiness<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(c.thread()?.category == Category::ReadinessProbe))
}
pub fn is_exe_writable<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Bool(c.thread()?.exe_writable))
}
