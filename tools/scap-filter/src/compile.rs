//! From `Expr` to `Node`: fields resolved once, constants parsed to each field's type.
//!
//! Most fields go through the registry (`scap_common::fields`). A few are compared in ways no
//! single value expresses, as sysdig does, and are handled here:
//! - `evt.type`: the test is run once per event type and syscall at compile time;
//! - `fd.ip`, `fd.net`, `fd.port`, `fd.proto`: either end of the connection;
//! - `fd.cnet`, `fd.snet`, `fd.lnet`, `fd.rnet`: one end's address against a network;
//! - `proc.apid`, `proc.aname` without an argument: any ancestor;
//! - `evt.rawarg.NAME`: the raw parameter, typed as the first parameter of that name in the
//!   event table;
//! - `evt.around[T]=D`: within D milliseconds of T;
//! - `thread.exectime`, `thread.totexectime`: each check keeps its own per-CPU switch times and
//!   per-thread totals, updated whenever it is evaluated (sysdig's filter checks do the same).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use scap_common::event::{le_i64, le_u64};
use scap_common::fields::{Ctx, FieldArg, FieldError, FieldRef, FieldType};
use scap_common::scap::blocks::fd_type;
use scap_common::schema::{self, ParamType};

use crate::ast::{Check, CmpOp, Expr, ListOp, Test};
use crate::eval::{path_components, Cmp, Net, NumOp, StrOp};
use crate::FilterError;

/// A compiled expression.
#[derive(Debug)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A registry field and its test.
    Field {
        field: FieldRef,
        cmp: Cmp,
    },
    /// `evt.type`: the answer per event type (non-generic) and per syscall code (generic events).
    EvtType {
        by_type: Box<[bool]>,
        by_syscall: Box<[bool]>,
    },
    /// `fd.ip` / `fd.net` / `fd.port` / `fd.proto`.
    Sock {
        what: SockField,
        cmp: Cmp,
        negate_all: bool,
    },
    /// `proc.apid` / `proc.aname` without an argument.
    Ancestors {
        pid: bool,
        cmp: Cmp,
    },
    /// `evt.rawarg.NAME`.
    RawArg {
        name: &'static str,
        width: usize,
        cmp: Cmp,
    },
    /// `evt.around[T]=D`.
    Around {
        ts: u64,
        delta: u64,
    },
    /// `thread.exectime` (`total: false`) / `thread.totexectime` (`total: true`), which keep state
    /// of their own, per check, as sysdig's do.
    ExecTime {
        total: bool,
        cmp: Cmp,
        times: Mutex<ExecTimes>,
    },
}

/// What one `thread.exectime`/`thread.totexectime` check has seen: the last context switch per
/// CPU, and per thread the sum of the run times it computed.
#[derive(Debug, Default)]
pub(crate) struct ExecTimes {
    last_switch: Vec<u64>,
    totals: HashMap<i64, u64>,
}

impl ExecTimes {
    /// sysdig's value: on a context switch, the time since the previous switch this check saw
    /// on the same CPU (0 for the first); 0 on any other event. Totals add it to the event's
    /// thread, and exist only for threads in the table.
    fn value(&mut self, ctx: &Ctx<'_>, total: bool) -> Option<u64> {
        let e = ctx.event;
        let mut run = 0;
        if matches!(e.event_type, schema::ev::SCHEDSWITCH_1_E | schema::ev::SCHEDSWITCH_6_E) {
            let cpu = usize::from(e.cpu);
            if self.last_switch.len() <= cpu {
                self.last_switch.resize(cpu + 1, 0);
            }
            let last = std::mem::replace(&mut self.last_switch[cpu], e.ts);
            if last != 0 {
                run = e.ts.wrapping_sub(last);
            }
        }
        if !total {
            return Some(run);
        }
        ctx.state.thread(e.tid)?;
        let sum = self.totals.entry(e.tid).or_insert(0);
        *sum = sum.wrapping_add(run);
        Some(*sum)
    }
}

/// Which either-end socket field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SockField {
    Ip,
    Port,
}

/// Puts `evt.type` checks (a table lookup) before the other operands of an `and` or `or`, so
/// they decide without a thread lookup when they can. Only when no operand keeps state of its
/// own (`thread.exectime`): the others' answers do not depend on what was evaluated before.
fn cheap_first(mut v: Vec<Node>) -> Vec<Node> {
    if !v.iter().any(Node::keeps_state) {
        v.sort_by_key(|n| !matches!(n, Node::EvtType { .. }));
    }
    v
}

impl Node {
    /// Whether evaluating the node changes what later evaluations give.
    fn keeps_state(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::keeps_state),
            Node::Not(n) => n.keeps_state(),
            Node::ExecTime { .. } => true,
            _ => false,
        }
    }

    /// Evaluates against an event and the state that includes it. `evt.type`, the test most
    /// filters start with (`cheap_first`), and the `and`/`or` around it are done in line, as a
    /// table lookup; other operands go through `eval_nested` and `eval_other`.
    #[inline]
    pub(crate) fn eval(&self, ctx: &Ctx<'_>) -> bool {
        match self {
            Node::EvtType { by_type, by_syscall } => eval_evt_type(ctx, by_type, by_syscall),
            Node::And(v) => v.iter().all(|n| n.eval_operand(ctx)),
            Node::Or(v) => v.iter().any(|n| n.eval_operand(ctx)),
            _ => self.eval_other(ctx),
        }
    }

    /// `eval` for an operand of `and`/`or`: `evt.type` in line, the rest out of line.
    #[inline(always)]
    fn eval_operand(&self, ctx: &Ctx<'_>) -> bool {
        match self {
            Node::EvtType { by_type, by_syscall } => eval_evt_type(ctx, by_type, by_syscall),
            _ => self.eval_nested(ctx),
        }
    }

    /// `eval`, out of line (it recurses).
    #[inline(never)]
    fn eval_nested(&self, ctx: &Ctx<'_>) -> bool {
        self.eval(ctx)
    }

    /// `eval` for every node but `evt.type`, `and` and `or`.
    #[inline(never)]
    fn eval_other(&self, ctx: &Ctx<'_>) -> bool {
        match self {
            Node::And(_) | Node::Or(_) | Node::EvtType { .. } => self.eval(ctx),
            Node::Not(n) => !n.eval(ctx),
            Node::Field { field, cmp } => field.extract(ctx).is_some_and(|v| cmp.test(&v)),
            Node::Sock { what, cmp, negate_all } => eval_sock(ctx, *what, cmp, *negate_all),
            Node::Ancestors { pid, cmp } => eval_ancestors(ctx, *pid, cmp),
            Node::RawArg { name, width, cmp } => eval_rawarg(ctx, name, *width, cmp),
            Node::ExecTime { total, cmp, times } => {
                let mut times = times.lock().unwrap_or_else(|e| e.into_inner());
                times.value(ctx, *total).is_some_and(|v| cmp.test(&scap_common::fields::Value::Uint(v)))
            }
            Node::Around { ts, delta } => {
                let t = ctx.event.ts;
                *ts >= t.wrapping_sub(*delta) && *ts <= t.wrapping_add(*delta)
            }
        }
    }
}

/// `evt.type`: the answer per event type, or per syscall for generic events.
#[inline(always)]
fn eval_evt_type(ctx: &Ctx<'_>, by_type: &[bool], by_syscall: &[bool]) -> bool {
    let t = ctx.event.event_type;
    if t == schema::ev::GENERIC_E || t == schema::ev::GENERIC_X {
        let id = ctx.event.param_u64(0).unwrap_or(u64::MAX);
        usize::try_from(id).ok().and_then(|i| by_syscall.get(i)).copied().unwrap_or(false)
    } else {
        by_type.get(usize::from(t)).copied().unwrap_or(false)
    }
}

/// Compiles a parsed expression. `text` is the filter, for error columns.
pub(crate) fn compile(expr: &Expr, text: &str) -> Result<Node, FilterError> {
    Ok(match expr {
        Expr::And(v) => Node::And(cheap_first(v.iter().map(|e| compile(e, text)).collect::<Result<_, _>>()?)),
        Expr::Or(v) => Node::Or(cheap_first(v.iter().map(|e| compile(e, text)).collect::<Result<_, _>>()?)),
        Expr::Not(e) => Node::Not(Box::new(compile(e, text)?)),
        Expr::Check(c) => compile_check(c, text)?,
    })
}

/// What the comparison needs to know about a failing check, for messages.
struct Site<'a> {
    field: &'a str,
    column: usize,
}

impl Site<'_> {
    fn err(&self, what: impl Into<String>) -> FilterError {
        FilterError::Invalid { field: self.field.to_string(), column: self.column, what: what.into() }
    }
}

fn compile_check(c: &Check, text: &str) -> Result<Node, FilterError> {
    let column = text.get(..c.offset).map_or(1, |s| s.chars().count() + 1);
    let site = Site { field: &c.field, column };
    let name = c.field.as_str();
    match name {
        "evt.type" => return compile_evt_type(&site, &c.test),
        "fd.ip" | "fd.net" | "fd.port" | "fd.proto" => return compile_sock(&site, &c.test),
        "proc.apid" => {
            return Ok(Node::Ancestors { pid: true, cmp: build_cmp(&site, Kind::Signed, &c.test)? });
        }
        "proc.aname" => {
            return Ok(Node::Ancestors { pid: false, cmp: build_cmp(&site, Kind::Str, &c.test)? });
        }
        "thread.exectime" | "thread.totexectime" => {
            return Ok(Node::ExecTime {
                total: name == "thread.totexectime",
                cmp: build_cmp(&site, Kind::Unsigned, &c.test)?,
                times: Mutex::default(),
            });
        }
        _ => {}
    }
    if let Some(ip) = match name {
        "fd.cnet" => Some("fd.cip"),
        "fd.snet" => Some("fd.sip"),
        "fd.lnet" => Some("fd.lip"),
        "fd.rnet" => Some("fd.rip"),
        _ => None,
    } {
        // The one-end networks test that end's address.
        let field = FieldRef::parse(ip).map_err(|e| site.err(e.to_string()))?;
        return Ok(Node::Field { cmp: build_cmp(&site, Kind::Net, &c.test)?, field });
    }
    if let Some(rest) = name.strip_prefix("evt.rawarg") {
        return compile_rawarg(&site, rest, &c.test);
    }
    if let Some(rest) = name.strip_prefix("evt.around") {
        return compile_around(&site, rest, &c.test);
    }
    let field = FieldRef::parse(name).map_err(|e| match e {
        FieldError::Unknown { name, suggestions } => FilterError::UnknownField { name, column, suggestions },
        FieldError::BadArg { what, .. } => site.err(what),
        other => site.err(other.to_string()),
    })?;
    let kind = kind_of(field.info().ftype);
    if field.info().ftype == FieldType::Dynamic && !matches!(field.arg, FieldArg::None) {
        // Fields whose type varies by event compare as the text they print.
        return Ok(Node::Field { cmp: build_cmp(&site, Kind::Str, &c.test)?, field });
    }
    Ok(Node::Field { cmp: build_cmp(&site, kind, &c.test)?, field })
}

/// How constants parse and which operators apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Signed,
    Unsigned,
    /// Unsigned 32-bit: negative constants wrap at 32 bits, as sysdig's `%u` does.
    Unsigned32,
    Port,
    Bool,
    Double,
    Str,
    Bytes,
    Ip,
    Net,
}

fn kind_of(t: FieldType) -> Kind {
    match t {
        FieldType::Int64 | FieldType::Errno | FieldType::Fd | FieldType::Pid => Kind::Signed,
        FieldType::Uint64
        | FieldType::RelTime
        | FieldType::AbsTime
        | FieldType::L4Proto
        | FieldType::SockFamily
        | FieldType::Sigtype => Kind::Unsigned,
        FieldType::Uid | FieldType::Gid | FieldType::Mode | FieldType::Flags => Kind::Unsigned32,
        FieldType::Port => Kind::Port,
        FieldType::Bool => Kind::Bool,
        FieldType::Double => Kind::Double,
        FieldType::String | FieldType::Dynamic => Kind::Str,
        FieldType::Bytes => Kind::Bytes,
        FieldType::IpAddr => Kind::Ip,
        FieldType::IpNet => Kind::Net,
    }
}

fn kind_of_param(t: ParamType) -> Option<Kind> {
    use ParamType as P;
    Some(match t {
        P::Int8 | P::Int16 | P::Int32 | P::Int64 | P::Errno | P::Fd | P::Pid | P::Fd32 | P::Pid32 => Kind::Signed,
        P::Uint8
        | P::Uint16
        | P::Uint64
        | P::SyscallId
        | P::Sigtype
        | P::Reltime
        | P::Abstime
        | P::L4Proto
        | P::Flags8
        | P::Flags16
        | P::EnumFlags8
        | P::EnumFlags16 => Kind::Unsigned,
        P::Uint32 | P::Flags32 | P::EnumFlags32 | P::Mode | P::Uid | P::Gid | P::Bool => Kind::Unsigned32,
        P::Port => Kind::Port,
        P::Double => Kind::Double,
        P::Charbuf | P::Fspath | P::Fsrelpath => Kind::Str,
        P::Bytebuf => Kind::Bytes,
        P::Ipv4Addr | P::Ipv6Addr | P::IpAddr => Kind::Ip,
        P::Ipv4Net | P::Ipv6Net | P::IpNet => Kind::Net,
        _ => return None,
    })
}

fn num_op(op: CmpOp) -> Option<NumOp> {
    Some(match op {
        CmpOp::Eq => NumOp::Eq,
        CmpOp::Ne => NumOp::Ne,
        CmpOp::Lt => NumOp::Lt,
        CmpOp::Le => NumOp::Le,
        CmpOp::Gt => NumOp::Gt,
        CmpOp::Ge => NumOp::Ge,
        _ => return None,
    })
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Signed | Kind::Unsigned | Kind::Unsigned32 | Kind::Double => "numeric",
        Kind::Port => "port",
        Kind::Bool => "boolean",
        Kind::Str => "string",
        Kind::Bytes => "buffer",
        Kind::Ip => "IP address",
        Kind::Net => "IP network",
    }
}

fn unsupported(site: &Site<'_>, op: &str, k: Kind) -> FilterError {
    site.err(format!("'{op}' is not supported for {} fields", kind_name(k)))
}

/// Builds the comparison for a field of a kind.
fn build_cmp(site: &Site<'_>, k: Kind, test: &Test) -> Result<Cmp, FilterError> {
    let (op, values) = match test {
        Test::Exists => return Ok(Cmp::Exists),
        Test::Cmp(op, v) => (Some(*op), std::slice::from_ref(v)),
        Test::List(ListOp::Pmatch, vs) => {
            if k != Kind::Str {
                return Err(site.err("pmatch needs a string field"));
            }
            return Ok(Cmp::Pmatch(vs.iter().map(|v| path_components(v)).collect()));
        }
        Test::List(_, vs) => (None, vs.as_slice()),
    };
    let op_text = op.map_or("in", CmpOp::as_str);
    match k {
        Kind::Signed => {
            let parsed = values.iter().map(|v| parse_signed(site, v)).collect::<Result<Vec<_>, _>>()?;
            numeric(site, k, op, parsed, Cmp::Signed, Cmp::SignedIn)
        }
        Kind::Unsigned | Kind::Unsigned32 | Kind::Bool | Kind::Port => {
            let parsed = values
                .iter()
                .map(|v| match k {
                    Kind::Bool => parse_bool(site, v),
                    Kind::Port => parse_port(site, v),
                    _ => parse_unsigned(site, v, k == Kind::Unsigned32),
                })
                .collect::<Result<Vec<_>, _>>()?;
            numeric(site, k, op, parsed, Cmp::Unsigned, Cmp::UnsignedIn)
        }
        Kind::Double => {
            let parsed = values
                .iter()
                .map(|v| {
                    let s = String::from_utf8_lossy(v);
                    s.trim().parse::<f64>().map_err(|_| site.err(format!("'{s}' is not a valid number")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            numeric(site, k, op, parsed, Cmp::Double, Cmp::DoubleIn)
        }
        Kind::Str => Ok(match op {
            None if values.len() > 8 => Cmp::StrSet(values.iter().map(|v| crate::eval::cstr(v).to_vec()).collect()),
            None => Cmp::StrIn(values.iter().map(|v| crate::eval::cstr(v).to_vec()).collect()),
            Some(op) => Cmp::Str(str_op(op), crate::eval::cstr(&values[0]).to_vec()),
        }),
        Kind::Bytes => Ok(match op {
            None => Cmp::BytesIn(values.to_vec()),
            Some(CmpOp::Eq | CmpOp::Ne | CmpOp::Contains | CmpOp::StartsWith | CmpOp::EndsWith) => {
                Cmp::Bytes(str_op(op.unwrap_or(CmpOp::Eq)), values[0].clone())
            }
            Some(_) => return Err(unsupported(site, op_text, k)),
        }),
        Kind::Ip => {
            let negate = match op {
                None | Some(CmpOp::Eq) => false,
                Some(CmpOp::Ne) => true,
                Some(_) => {
                    return Err(site.err(format!("'{op_text}' is not supported for IP addresses: use =, != or in")))
                }
            };
            let addrs = values.iter().map(|v| parse_ip(site, v)).collect::<Result<Vec<_>, _>>()?;
            Ok(Cmp::Ip { negate, addrs })
        }
        Kind::Net => {
            let negate = match op {
                None | Some(CmpOp::Eq) => false,
                Some(CmpOp::Ne) => true,
                Some(_) => {
                    return Err(site.err(format!("'{op_text}' is not supported for IP networks: use =, != or in")))
                }
            };
            let nets = values.iter().map(|v| parse_net(site, v)).collect::<Result<Vec<_>, _>>()?;
            Ok(Cmp::Net { negate, nets })
        }
    }
}

fn numeric<T: Copy>(
    site: &Site<'_>,
    k: Kind,
    op: Option<CmpOp>,
    values: Vec<T>,
    single: fn(NumOp, T) -> Cmp,
    list: fn(Vec<T>) -> Cmp,
) -> Result<Cmp, FilterError> {
    match op {
        None => Ok(list(values)),
        Some(op) => match (num_op(op), values.first()) {
            (Some(n), Some(&v)) => Ok(single(n, v)),
            _ => Err(unsupported(site, op.as_str(), k)),
        },
    }
}

fn str_op(op: CmpOp) -> StrOp {
    match op {
        CmpOp::Contains => StrOp::Contains,
        CmpOp::IContains => StrOp::IContains,
        CmpOp::StartsWith => StrOp::StartsWith,
        CmpOp::EndsWith => StrOp::EndsWith,
        CmpOp::Glob => StrOp::Glob,
        other => StrOp::Num(num_op(other).unwrap_or(NumOp::Eq)),
    }
}

fn text_of(v: &[u8]) -> String {
    String::from_utf8_lossy(v).into_owned()
}

/// A signed number as sysdig's `%d` reads it: leading blanks, an optional sign, digits, nothing after.
fn parse_signed(site: &Site<'_>, v: &[u8]) -> Result<i64, FilterError> {
    let s = text_of(v);
    s.trim_start().parse::<i64>().map_err(|_| site.err(format!("'{s}' is not a valid number")))
}

/// An unsigned number as `%u` reads it: a negative one wraps around.
fn parse_unsigned(site: &Site<'_>, v: &[u8], bits32: bool) -> Result<u64, FilterError> {
    let s = text_of(v);
    let t = s.trim_start();
    let bad = || site.err(format!("'{s}' is not a valid number"));
    if t.starts_with('-') {
        let n = t.parse::<i64>().map_err(|_| bad())?;
        Ok(if bits32 { u64::from(n as u32) } else { n as u64 })
    } else {
        t.parse::<u64>().map_err(|_| bad())
    }
}

fn parse_bool(site: &Site<'_>, v: &[u8]) -> Result<u64, FilterError> {
    match v {
        b"true" => Ok(1),
        b"false" => Ok(0),
        _ => Err(site.err(format!("'{}' is not a boolean: use true or false", text_of(v)))),
    }
}

/// A port: a number, or a service name looked up in /etc/services as getservbyname(3) would.
fn parse_port(site: &Site<'_>, v: &[u8]) -> Result<u64, FilterError> {
    let s = text_of(v);
    if s.is_empty() {
        return Ok(0);
    }
    if s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<u64>().map(|n| n & 0xffff).map_err(|_| site.err(format!("'{s}' is not a valid port")));
    }
    service_port(&s).map(u64::from).ok_or_else(|| site.err(format!("unknown service name '{s}'")))
}

/// Looks up a service name: /etc/services first, then a few well-known names.
fn service_port(name: &str) -> Option<u16> {
    static SERVICES: OnceLock<Vec<(String, u16)>> = OnceLock::new();
    let table = SERVICES.get_or_init(|| {
        let mut v = Vec::new();
        if let Ok(text) = std::fs::read_to_string("/etc/services") {
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("");
                let mut words = line.split_whitespace();
                let (Some(svc), Some(port_proto)) = (words.next(), words.next()) else { continue };
                let Some(port) = port_proto.split('/').next().and_then(|p| p.parse::<u16>().ok()) else { continue };
                v.push((svc.to_string(), port));
                for alias in words {
                    v.push((alias.to_string(), port));
                }
            }
        }
        for (n, p) in [
            ("ftp", 21u16),
            ("ssh", 22),
            ("telnet", 23),
            ("smtp", 25),
            ("domain", 53),
            ("http", 80),
            ("pop3", 110),
            ("ntp", 123),
            ("imap", 143),
            ("snmp", 161),
            ("ldap", 389),
            ("https", 443),
            ("mysql", 3306),
            ("postgresql", 5432),
        ] {
            v.push((n.to_string(), p));
        }
        v
    });
    table.iter().find(|(n, _)| n == name).map(|(_, p)| *p)
}

fn parse_ip(site: &Site<'_>, v: &[u8]) -> Result<Vec<u8>, FilterError> {
    let s = text_of(v);
    let ip: std::net::IpAddr = s.trim().parse().map_err(|_| site.err(format!("'{s}' is not an IP address")))?;
    Ok(match ip {
        std::net::IpAddr::V4(a) => a.octets().to_vec(),
        std::net::IpAddr::V6(a) => a.octets().to_vec(),
    })
}

fn parse_net(site: &Site<'_>, v: &[u8]) -> Result<Net, FilterError> {
    let s = text_of(v);
    let bad = || site.err(format!("'{s}' is not an IP network (like 10.0.0.0/8)"));
    let (addr, prefix) = match s.trim().split_once('/') {
        Some((a, p)) => (a, Some(p.trim().parse::<u32>().map_err(|_| bad())?)),
        None => (s.trim(), None),
    };
    let addr: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
    let addr = match addr {
        std::net::IpAddr::V4(a) => a.octets().to_vec(),
        std::net::IpAddr::V6(a) => a.octets().to_vec(),
    };
    let max = addr.len() as u32 * 8;
    let prefix = prefix.unwrap_or(max);
    if prefix > max {
        return Err(site.err(format!("invalid netmask in '{s}'")));
    }
    Ok(Net { addr, prefix })
}

/// Every name `evt.type` accepts: event names and syscall names.
fn known_type_name(name: &[u8]) -> bool {
    (0..schema::EVENT_MAX).filter_map(schema::event_info).any(|i| i.name.as_bytes() == name)
        || schema::generated::SYSCALLS.iter().any(|(n, _)| n.as_bytes() == name)
}

fn compile_evt_type(site: &Site<'_>, test: &Test) -> Result<Node, FilterError> {
    // As sysdig does, `=`, `!=` and `in` only take names some event or syscall has.
    let checked: &[Vec<u8>] = match test {
        Test::Cmp(CmpOp::Eq | CmpOp::Ne, v) => std::slice::from_ref(v),
        Test::List(ListOp::In | ListOp::Intersects, vs) => vs,
        _ => &[],
    };
    for v in checked {
        if !known_type_name(v) {
            return Err(site.err(format!("unknown event type '{}'", text_of(v))));
        }
    }
    let cmp = build_cmp(site, Kind::Str, test)?;
    let name_matches = |name: &str| cmp.test(&scap_common::fields::Value::text(name.as_bytes()));
    let by_type: Box<[bool]> = (0..schema::EVENT_MAX)
        .map(|t| {
            t != schema::ev::GENERIC_E
                && t != schema::ev::GENERIC_X
                && schema::event_info(t).is_some_and(|i| name_matches(i.name))
        })
        .collect();
    let by_syscall: Box<[bool]> =
        schema::generated::SYSCALLS.iter().map(|(n, _)| !n.is_empty() && name_matches(n)).collect();
    Ok(Node::EvtType { by_type, by_syscall })
}

fn compile_sock(site: &Site<'_>, test: &Test) -> Result<Node, FilterError> {
    let (what, kind) = match site.field {
        "fd.ip" => (SockField::Ip, Kind::Ip),
        "fd.net" => (SockField::Ip, Kind::Net),
        _ => (SockField::Port, Kind::Port),
    };
    // sysdig: `=` and `in` hold when either end matches; `!=` when neither does.
    let negate_all = matches!(test, Test::Cmp(CmpOp::Ne, _));
    let positive = match test {
        Test::Cmp(CmpOp::Ne, v) => Test::Cmp(CmpOp::Eq, v.clone()),
        t => t.clone(),
    };
    if matches!(test, Test::List(ListOp::Pmatch, _)) {
        return Err(site.err("pmatch needs a string field"));
    }
    Ok(Node::Sock { what, cmp: build_cmp(site, kind, &positive)?, negate_all })
}

fn eval_sock(ctx: &Ctx<'_>, what: SockField, cmp: &Cmp, negate_all: bool) -> bool {
    let Some(fd) = ctx.fd() else { return false };
    use scap_common::fields::Value;
    let test = |v: Value<'_>| cmp.test(&v);
    let s = &fd.sock;
    let hit = match (fd.fd_type, what) {
        (fd_type::IPV4_SOCK, SockField::Ip) => {
            test(Value::Ip(s.v4_sip().to_vec().into())) || test(Value::Ip(s.v4_dip().to_vec().into()))
        }
        (fd_type::IPV6_SOCK, SockField::Ip) => {
            test(Value::Ip(s.v6_sip().to_vec().into())) || test(Value::Ip(s.v6_dip().to_vec().into()))
        }
        (fd_type::IPV4_SERVSOCK, SockField::Ip) => test(Value::Ip(s.v4srv_ip().to_vec().into())),
        (fd_type::IPV6_SERVSOCK, SockField::Ip) => test(Value::Ip(s.v6srv_ip().to_vec().into())),
        (fd_type::IPV4_SOCK, SockField::Port) => {
            test(Value::Uint(u64::from(s.v4_sport()))) || test(Value::Uint(u64::from(s.v4_dport())))
        }
        (fd_type::IPV6_SOCK, SockField::Port) => {
            test(Value::Uint(u64::from(s.v6_sport()))) || test(Value::Uint(u64::from(s.v6_dport())))
        }
        (fd_type::IPV4_SERVSOCK, SockField::Port) => test(Value::Uint(u64::from(s.v4srv_port()))),
        (fd_type::IPV6_SERVSOCK, SockField::Port) => test(Value::Uint(u64::from(s.v6srv_port()))),
        _ => return false,
    };
    hit != negate_all
}

fn eval_ancestors(ctx: &Ctx<'_>, pid: bool, cmp: &Cmp) -> bool {
    let Some(main) = ctx.state.process_of(ctx.event.tid) else { return false };
    let mut seen = 0usize;
    let mut cur = ctx.state.threads.get(&main.ptid);
    while let Some(t) = cur {
        if t.tid == -1 || seen > 4096 {
            break;
        }
        let hit = if pid {
            cmp.test(&scap_common::fields::Value::Int(t.pid))
        } else {
            cmp.test(&scap_common::fields::Value::text(&t.comm))
        };
        if hit {
            return true;
        }
        if t.ptid == t.tid {
            break;
        }
        seen += 1;
        cur = ctx.state.threads.get(&t.ptid);
    }
    false
}

/// The parameter named by the longest name `text` starts with, first in event-table order.
fn find_param(text: &str) -> Option<&'static schema::ParamInfo> {
    let mut best: Option<&'static schema::ParamInfo> = None;
    for t in 0..schema::SYSDIG_0_29_EVENT_MAX {
        let Some(info) = schema::event_info(t) else { continue };
        for p in info.params {
            if text.starts_with(p.name) && best.is_none_or(|b| p.name.len() > b.name.len()) {
                best = Some(p);
            }
        }
    }
    best
}

fn compile_rawarg(site: &Site<'_>, rest: &str, test: &Test) -> Result<Node, FilterError> {
    let Some(name) = rest.strip_prefix('.') else {
        return Err(site.err("needs a parameter name, as in evt.rawarg.fd"));
    };
    let Some(param) = find_param(name).filter(|p| p.name == name) else {
        return Err(site.err(format!("no event has a parameter named '{name}'")));
    };
    let cmp = match kind_of_param(param.ty) {
        Some(k) => build_cmp(site, k, test)?,
        // Socket addresses, fd lists and the like only support `exists` (sysdig never matches them).
        None if matches!(test, Test::Exists) => Cmp::Exists,
        None => Cmp::StrIn(Vec::new()),
    };
    Ok(Node::RawArg { name: param.name, width: param_width(param.ty), cmp })
}

fn eval_rawarg(ctx: &Ctx<'_>, name: &str, width: usize, cmp: &Cmp) -> bool {
    let e = ctx.event;
    let Some(info) = e.info() else { return false };
    let Some(idx) = info.params.iter().position(|p| p.name == name) else { return false };
    let Some(raw) = e.param(idx) else { return false };
    use scap_common::fields::Value;
    // sysdig reads a number of the declared type's width from where the parameter starts, even
    // when this event's parameter of that name is narrower (it then reads the next bytes).
    let number = || {
        let start = raw.as_ptr() as usize - e.raw.as_ptr() as usize;
        let bytes = e.raw.get(start..).unwrap_or_default();
        let mut buf = [0u8; 8];
        let n = width.min(bytes.len());
        buf[..n].copy_from_slice(&bytes[..n]);
        (buf, n)
    };
    let v = match cmp {
        Cmp::Signed(..) | Cmp::SignedIn(_) => {
            let (buf, n) = number();
            le_i64(&buf[..n.max(1).next_power_of_two().min(8)]).map(Value::Int)
        }
        Cmp::Unsigned(..) | Cmp::UnsignedIn(_) | Cmp::Double(..) | Cmp::DoubleIn(_) => {
            let (buf, n) = number();
            le_u64(&buf[..n.max(1).next_power_of_two().min(8)]).map(Value::Uint)
        }
        Cmp::Ip { .. } | Cmp::Net { .. } => Some(Value::Ip(raw.into())),
        _ => Some(Value::text(raw)),
    };
    v.is_some_and(|v| cmp.test(&v))
}

/// The width in bytes of a parameter type's numbers.
fn param_width(t: ParamType) -> usize {
    use ParamType as P;
    match t {
        P::Int8 | P::Uint8 | P::Flags8 | P::EnumFlags8 | P::Sigtype | P::L4Proto => 1,
        P::Int16 | P::Uint16 | P::Flags16 | P::EnumFlags16 | P::Port | P::SyscallId => 2,
        P::Int32
        | P::Uint32
        | P::Flags32
        | P::EnumFlags32
        | P::Mode
        | P::Uid
        | P::Gid
        | P::Bool
        | P::Fd32
        | P::Pid32 => 4,
        _ => 8,
    }
}

fn compile_around(site: &Site<'_>, rest: &str, test: &Test) -> Result<Node, FilterError> {
    let Some(ts) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return Err(site.err("needs a timestamp, as in evt.around[1404996934793590564]=1000"));
    };
    let ts = ts.trim().parse::<u64>().map_err(|_| site.err(format!("'{ts}' is not a valid timestamp")))?;
    let Test::Cmp(CmpOp::Eq, v) = test else {
        return Err(site.err("only '=' is supported"));
    };
    let ms = parse_unsigned(site, v, false)?;
    Ok(Node::Around { ts, delta: ms.wrapping_mul(1_000_000) })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use proptest::prelude::*;
    use scap_common::event::Event;
    use scap_common::schema::ev;
    use scap_common::state::State;

    use crate::Filter;

    /// A naive model of a filter over fields that come straight from the event.
    #[derive(Clone, Debug)]
    enum Model {
        Num(&'static str, &'static str, i64),
        Dir(bool),
        Type(Vec<&'static str>),
        And(Vec<Model>),
        Or(Vec<Model>),
        Not(Box<Model>),
    }

    impl Model {
        fn text(&self) -> String {
            match self {
                Model::Num(f, op, v) => format!("{f}{op}{v}"),
                Model::Dir(enter) => format!("evt.dir={}", if *enter { ">" } else { "<" }),
                Model::Type(names) => format!("evt.type in ({})", names.join(", ")),
                Model::And(v) => v.iter().map(|m| format!("({})", m.text())).collect::<Vec<_>>().join(" and "),
                Model::Or(v) => v.iter().map(|m| format!("({})", m.text())).collect::<Vec<_>>().join(" or "),
                Model::Not(m) => format!("not ({})", m.text()),
            }
        }

        fn eval(&self, e: &Event) -> bool {
            match self {
                Model::Num(f, op, v) => {
                    let x = match *f {
                        "evt.num" => e.num as i64,
                        "evt.cpu" => i64::from(e.cpu),
                        _ => e.tid,
                    };
                    match *op {
                        "=" => x == *v,
                        "!=" => x != *v,
                        "<" => x < *v,
                        "<=" => x <= *v,
                        ">" => x > *v,
                        _ => x >= *v,
                    }
                }
                Model::Dir(enter) => e.is_enter() == *enter,
                Model::Type(names) => e.info().is_some_and(|i| names.contains(&i.name)),
                Model::And(v) => v.iter().all(|m| m.eval(e)),
                Model::Or(v) => v.iter().any(|m| m.eval(e)),
                Model::Not(m) => !m.eval(e),
            }
        }
    }

    fn model() -> impl Strategy<Value = Model> {
        let num = (
            prop_oneof![Just("evt.num"), Just("evt.cpu"), Just("thread.tid")],
            prop_oneof![Just("="), Just("!="), Just("<"), Just("<="), Just(">"), Just(">=")],
            0i64..8,
        )
            .prop_map(|(f, o, v)| Model::Num(f, o, v));
        let leaf = prop_oneof![
            num,
            any::<bool>().prop_map(Model::Dir),
            proptest::sample::subsequence(vec!["open", "read", "close", "write"], 1..3).prop_map(Model::Type),
        ];
        leaf.prop_recursive(4, 20, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Model::And),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Model::Or),
                inner.prop_map(|m| Model::Not(Box::new(m))),
            ]
        })
    }

    fn event() -> impl Strategy<Value = Event> {
        let types =
            vec![ev::SYSCALL_OPEN_E, ev::SYSCALL_OPEN_X, ev::SYSCALL_READ_E, ev::SYSCALL_CLOSE_X, ev::SYSCALL_WRITE_E];
        (0u64..8, 0u16..8, 0i64..8, proptest::sample::select(types)).prop_map(|(num, cpu, tid, t)| Event {
            num,
            cpu,
            tid,
            event_type: t,
            ..Event::default()
        })
    }

    proptest! {
        #[test]
        fn the_evaluator_agrees_with_a_naive_model(m in model(), events in proptest::collection::vec(event(), 1..16)) {
            let filter = Filter::compile(&m.text()).map_err(|e| TestCaseError::fail(format!("{}: {e}", m.text())))?;
            let state = State::new();
            for e in &events {
                let got = filter.matches(&scap_common::fields::Ctx::new(e, &state));
                prop_assert_eq!(got, m.eval(e), "{} on {:?}", m.text(), e);
            }
        }
    }
}
