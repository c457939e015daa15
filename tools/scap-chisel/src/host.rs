//! The Lua side of a chisel: the `sysdig`, `chisel` and `evt` tables that sysdig 0.29.3 gives
//! chisels, and `Host`, the state those functions read and change.
//!
//! The functions reach `Host` through the Lua state's app data. A function borrows it, copies out
//! what it needs and lets go before it builds Lua values or calls back into Lua, so no borrow is
//! ever held across Lua code.
//!
//! Names and signatures follow falcosecurity-libs' `userspace/chisel/chisel_api.h`; the
//! behaviour follows what sysdig's own chisels expect of them.

use std::io::Write;
use std::net::UdpSocket;

use mlua::{Function, LightUserData, Lua, MultiValue, Table, Value as LuaValue, Variadic};
use scap_common::event::Event;
use scap_common::fields::cpu::CpuDelta;
use scap_common::fields::{Ctx, FieldRef, Opts, Value};
use scap_common::render::buffer::BufFmt;
use scap_common::render::Scratch;
use scap_common::state::{format_ip, l4proto_name, Fd, State, Thread};
use scap_print::Format;

use crate::filter::ChiselFilter;

/// How the chisel is run, as the command line set it.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Events come from a live capture (`sysdig.is_live`).
    pub is_live: bool,
    /// Container columns were asked for (`-pc`; `sysdig.is_print_container_data`).
    pub print_container: bool,
    /// JSON output was asked for (`-j`; `sysdig.get_output_format`).
    pub json: bool,
    /// The input's name (`sysdig.get_evtsource_name`).
    pub source_name: String,
}

/// A field a chisel requested.
pub enum Requested {
    /// A field of the registry.
    Field(FieldRef),
    /// `evt.arg.NAME` or `evt.rawarg.NAME` for a parameter no event has: sysdig accepts the
    /// request (as it accepts the name in `-p`), and the value is always nil. Also sysdig's
    /// tracer fields (`span.*`, `evtin.span.*`): scap streams carry no tracer events (see
    /// DIFFERENCES.md), so on every event they have no value, as in sysdig on a trace without
    /// tracers.
    NoSuchArg,
    /// `thread.cpu`, `thread.cpu.user` or `thread.cpu.system`: reading it changes it (see
    /// `CpuDelta`), so it is computed here, per handle, only when the chisel reads it.
    ThreadCpu(CpuDelta),
}

impl Requested {
    fn new(field: FieldRef, name: &str) -> Requested {
        match CpuDelta::for_field(name) {
            Some(cpu) => Requested::ThreadCpu(cpu),
            None => Requested::Field(field),
        }
    }

    /// Whether reading the field changes it (so it must be read only when the chisel asks).
    pub fn is_stateful(&self) -> bool {
        matches!(self, Requested::ThreadCpu(_))
    }

    /// The value for Lua.
    pub fn read(&mut self, lua: &Lua, ctx: &Ctx<'_>, scratch: &mut Scratch) -> mlua::Result<LuaValue> {
        match self {
            Requested::Field(f) => field_to_lua(lua, f, ctx, scratch),
            Requested::NoSuchArg => Ok(LuaValue::Nil),
            Requested::ThreadCpu(cpu) => Ok(cpu.read(ctx).map_or(LuaValue::Nil, LuaValue::Number)),
        }
    }
}

/// What the chisel's Lua functions read and change.
pub struct Host {
    /// The chisel's name, for messages.
    pub name: String,
    /// Machine state after the current event.
    pub state: State,
    /// The event being handled, while a callback runs for it.
    pub event: Option<Event>,
    /// Fields the chisel requested; the handle Lua holds is the index plus one.
    pub fields: Vec<Requested>,
    /// The chisel's own filter (`chisel.set_filter`).
    pub filter: Option<ChiselFilter>,
    /// The capture-wide filter (the command line's, or `sysdig.set_filter`).
    pub global_filter: Option<ChiselFilter>,
    /// The event formatter (`chisel.set_event_formatter`).
    pub formatter: Option<Format>,
    /// Scratch space for the formatter.
    pub scratch: Scratch,
    /// Display settings fields are read with: no limit on buffer length (sysdig sets none when
    /// chisels run), the buffer format `sysdig.set_output_format` picks, the local time zone.
    pub opts: Opts,
    /// `on_interval` period aligned to multiples of itself, ns (`chisel.set_interval_*`).
    pub interval_ns: u64,
    /// `on_interval` period counted from the first event, ns (`chisel.set_precise_interval_ns`).
    pub precise_interval_ns: u64,
    /// A chisel to run instead of this one after `on_init` (`chisel.exec`).
    pub exec: Option<(String, Vec<String>)>,
    /// The chisel asked to stop (`sysdig.end_capture`).
    pub end_capture: bool,
    /// Arguments for another run (`sysdig.run_app`); we report them and do not rerun.
    pub nextrun: Option<String>,
    /// Buffer format set by the chisel (`sysdig.set_output_format`).
    pub buffer_format: Option<String>,
    /// The buffer format came from the command line (`-j`): like sysdig, the chisel's
    /// `sysdig.set_output_format` is then ignored.
    pub buffer_format_forced: bool,
    /// Snapshot length asked for (`sysdig.set_snaplen`); only a live capture could use it.
    pub snaplen: Option<u32>,
    /// The socket of `sysdig.udp_setpeername`.
    pub udp: Option<UdpSocket>,
    /// Settings from the command line.
    pub env: Env,
    /// Where `print` and `io.write` go.
    pub out: Box<dyn Write + Send>,
    /// Whether a write failed (a closed pipe ends the run quietly).
    pub write_error: Option<std::io::Error>,
}

impl Host {
    /// A host writing to `out`.
    pub fn new(name: &str, env: Env, out: Box<dyn Write + Send>) -> Host {
        let mut opts = chisel_opts();
        // sysdig -j turns the buffer format into its JSON flavour for chisels too.
        if env.json {
            opts.buf_fmt = BufFmt::JSON;
        }
        Host {
            name: name.to_string(),
            state: State::new(),
            event: None,
            fields: Vec::new(),
            filter: None,
            global_filter: None,
            formatter: None,
            scratch: Scratch::default(),
            opts,
            interval_ns: 0,
            precise_interval_ns: 0,
            exec: None,
            end_capture: false,
            nextrun: None,
            buffer_format: None,
            buffer_format_forced: env.json,
            snaplen: None,
            udp: None,
            env,
            out,
            write_error: None,
        }
    }

    /// Writes chisel output, remembering the first failure.
    pub fn write(&mut self, bytes: &[u8]) {
        if self.write_error.is_some() {
            return;
        }
        if let Err(e) = self.out.write_all(bytes) {
            self.write_error = Some(e);
        }
    }
}

/// The display settings chisels start with.
fn chisel_opts() -> Opts {
    let tz = std::env::var("TZ").ok();
    Opts { max_buf_len: 0, tz: scap_print::tz::local(tz.as_deref()), ..Opts::new() }
}

/// The buffer format `sysdig.set_output_format` names.
fn buf_fmt(name: &str) -> Option<BufFmt> {
    Some(match name {
        "normal" => BufFmt::NORMAL,
        "json" => BufFmt::JSON,
        "simple" => BufFmt::SIMPLE,
        "hex" => BufFmt::HEX,
        "hexascii" => BufFmt::HEX_ASCII,
        "ascii" => BufFmt::EOLS,
        "base64" => BufFmt::BASE64,
        "jsonbase64" => BufFmt::JSON_BASE64,
        _ => return None,
    })
}

impl Host {
    /// Drops what stateful fields remember about a thread.
    pub fn forget_thread(&mut self, tid: i64) {
        for f in &mut self.fields {
            if let Requested::ThreadCpu(cpu) = f {
                cpu.forget(tid);
            }
        }
    }

    /// The extraction context for an event.
    pub fn ctx<'a>(&'a self, event: &'a Event) -> Ctx<'a> {
        Ctx { event, state: &self.state, opts: &self.opts }
    }
}

fn host_err(what: &str) -> mlua::Error {
    mlua::Error::RuntimeError(what.to_string())
}

/// Runs `f` with the host borrowed mutably.
fn with_host<R>(lua: &Lua, f: impl FnOnce(&mut Host) -> R) -> mlua::Result<R> {
    let mut host = lua.app_data_mut::<Host>().ok_or_else(|| host_err("chisel host missing"))?;
    Ok(f(&mut host))
}

/// A field value as sysdig hands it to Lua: numbers, booleans, strings; addresses as text.
pub fn value_to_lua(lua: &Lua, v: &Value<'_>) -> mlua::Result<LuaValue> {
    Ok(match v {
        Value::Int(i) => LuaValue::Number(*i as f64),
        Value::Uint(u) => LuaValue::Number(*u as f64),
        Value::Double(d) => LuaValue::Number(*d),
        Value::Bool(b) => LuaValue::Boolean(*b),
        Value::Str(s) => LuaValue::String(lua.create_string(s)?),
        Value::Ip(ip) => LuaValue::String(lua.create_string(format_ip(ip))?),
    })
}

/// A requested field's value for Lua. Like sysdig, a byte-buffer field (`evt.buffer`) arrives
/// as the text sysdig prints for it (its bytes rendered in the current buffer format); other
/// fields arrive as their raw values.
pub fn field_to_lua(lua: &Lua, field: &FieldRef, ctx: &Ctx<'_>, scratch: &mut Scratch) -> mlua::Result<LuaValue> {
    if field.info().ftype == scap_common::fields::FieldType::Bytes {
        let mut text = Vec::new();
        return match field.write(ctx, &mut text, scratch) {
            Ok(true) => Ok(LuaValue::String(lua.create_string(&text)?)),
            _ => Ok(LuaValue::Nil),
        };
    }
    match field.extract(ctx) {
        // Text sysdig sanitizes when it extracts (process names, fd names) arrives sanitized.
        Some(Value::Str(text)) if field.info().flags & scap_common::fields::flag::SANITIZE != 0 => {
            let printable = |c: &u8| (0x20..0x7f).contains(c);
            if text.iter().all(printable) {
                return Ok(LuaValue::String(lua.create_string(&*text)?));
            }
            let kept: Vec<u8> = text.iter().copied().filter(printable).collect();
            Ok(LuaValue::String(lua.create_string(&kept)?))
        }
        Some(v) => value_to_lua(lua, &v),
        None => Ok(LuaValue::Nil),
    }
}

/// The Lua text of an argument, as `lua_tostring` gives it (numbers become text).
fn lua_text(v: &LuaValue) -> Option<String> {
    match v {
        LuaValue::String(s) => Some(s.to_string_lossy()),
        LuaValue::Integer(i) => Some(i.to_string()),
        LuaValue::Number(n) => Some(number_text(*n)),
        _ => None,
    }
}

/// A number formatted as Lua 5.1 does (`%.14g`).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:e}");
        // Fall back on Rust's shortest representation, which agrees with %.14g for the
        // values chisels print (ratios and percentages go through string.format).
        if n.abs() >= 1e-5 && n.abs() < 1e15 {
            format!("{n}")
        } else {
            s
        }
    }
}

/// Installs `sysdig`, `chisel`, `evt`, and our `print` and `io.write` in a Lua state.
pub fn install_api(lua: &Lua) -> mlua::Result<()> {
    let g = lua.globals();
    let chisel = chisel_table(lua)?;
    let evt = evt_table(lua)?;
    g.set("sysdig", sysdig_table(lua)?)?;
    g.set("chisel", chisel.clone())?;
    g.set("evt", evt.clone())?;
    install_output(lua)?;
    let driver: Function = lua.load(FAST_FIELDS).set_name("@fields.lua").call((
        evt.get::<Function>("field")?,
        chisel.get::<Function>("request_field")?,
        evt,
        chisel,
    ))?;
    lua.set_named_registry_value(EVENT_DRIVER, driver)?;
    Ok(())
}

/// The registry name of the function that makes drivers: given the number of fields, it returns
/// a function that runs `on_event` with that many field values (see `FAST_FIELDS`).
pub const EVENT_DRIVER: &str = "scap_chisel_event_driver";

/// Crossing between Rust and Lua costs a few hundred ns in mlua, so `on_event` does not call
/// back into Rust for each field: the stage extracts every requested field once and passes the
/// values to a driver, and `evt.field` reads them from Lua. Outside `on_event` (in
/// `on_interval`, `on_capture_end`), and for fields requested after the driver was made,
/// `evt.field` asks Rust as before. A driver is compiled for its number of fields, with one
/// parameter per value stored into a table kept across events: no varargs and no table per
/// event, which LuaJIT would interpret or keep trying to compile.
const FAST_FIELDS: &str = r##"
local rust_field, rust_request, evt, chisel = ...
local loadstring, assert, concat = loadstring, assert, table.concat
local index_of = {}
local vals = {}
local st = { n = 0, in_event = false }
chisel.request_field = function(name)
	local h, i, stateful = rust_request(name)
	if not stateful then
		index_of[h] = i
	end
	return h
end
evt.field = function(h)
	if st.in_event then
		local i = index_of[h]
		if i ~= nil and i <= st.n then
			return vals[i]
		end
	end
	return rust_field(h)
end
return function(n)
	local params, sets = { "on_event" }, {}
	for i = 1, n do
		params[#params + 1] = "v" .. i
		sets[#sets + 1] = "vals[" .. i .. "] = v" .. i
	end
	local code = "local vals, st = ...\nreturn function(" .. concat(params, ", ") .. ")\n"
		.. concat(sets, "\n") .. "\nst.n = " .. n .. "\nst.in_event = true\n"
		.. "local r = on_event()\nst.in_event = false\nreturn r\nend\n"
	return assert(loadstring(code, "=fields.lua"))(vals, st)
end
"##;

fn install_output(lua: &Lua) -> mlua::Result<()> {
    let g = lua.globals();
    let tostring: Function = g.get("tostring")?;
    let print = lua.create_function(move |lua, args: Variadic<LuaValue>| {
        let mut line = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                line.push(b'\t');
            }
            match a {
                LuaValue::String(s) => line.extend_from_slice(&s.as_bytes()),
                other => {
                    let s: mlua::LuaString = tostring.call(other.clone())?;
                    line.extend_from_slice(&s.as_bytes());
                }
            }
        }
        line.push(b'\n');
        with_host(lua, |h| h.write(&line))
    })?;
    g.set("print", print)?;
    // io.write and io.stdout:write go to the same writer as print, so their order is kept.
    let io: Table = g.get("io")?;
    let write = lua.create_function(|lua, args: MultiValue| {
        let mut bytes = Vec::new();
        for a in args.iter() {
            match a {
                LuaValue::String(s) => bytes.extend_from_slice(&s.as_bytes()),
                LuaValue::Number(_) | LuaValue::Integer(_) => {
                    bytes.extend_from_slice(lua_text(a).unwrap_or_default().as_bytes())
                }
                // io.stdout:write passes the file first.
                LuaValue::UserData(_) | LuaValue::Table(_) => {}
                other => {
                    return Err(host_err(&format!(
                        "bad argument to 'write' (string expected, got {})",
                        other.type_name()
                    )))
                }
            }
        }
        with_host(lua, |h| h.write(&bytes))?;
        Ok(())
    })?;
    io.set("write", write.clone())?;
    let stdout_proxy = lua.create_table()?;
    stdout_proxy.set("write", write)?;
    let flush = lua.create_function(|lua, _: MultiValue| {
        with_host(lua, |h| {
            if let Err(e) = h.out.flush() {
                h.write_error.get_or_insert(e);
            }
        })
    })?;
    stdout_proxy.set("flush", flush.clone())?;
    stdout_proxy.set("setvbuf", lua.create_function(|_, _: MultiValue| Ok(true))?)?;
    io.set("stdout", stdout_proxy)?;
    io.set("flush", flush)?;
    Ok(())
}

fn sysdig_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "set_filter",
        lua.create_function(|lua, text: LuaValue| {
            let text = lua_text(&text).unwrap_or_default();
            let compiled = compile_filter(lua, &text)?;
            with_host(lua, |h| h.global_filter = compiled)
        })?,
    )?;
    t.set("set_snaplen", lua.create_function(|lua, n: f64| with_host(lua, |h| h.snaplen = Some(n.max(0.0) as u32)))?)?;
    t.set(
        "set_output_format",
        lua.create_function(|lua, fmt: String| {
            let Some(f) = buf_fmt(&fmt) else {
                let name = with_host(lua, |h| h.name.clone())?;
                return Err(host_err(&format!("invalid set_output_format value '{fmt}' in chisel {name}")));
            };
            // As in sysdig, a format given on the command line wins.
            with_host(lua, |h| {
                if h.buffer_format_forced {
                    return;
                }
                h.opts.buf_fmt = f;
                h.buffer_format = Some(fmt);
            })
        })?,
    )?;
    t.set("set_fatfile_dump_mode", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    t.set("is_live", lua.create_function(|lua, ()| with_host(lua, |h| h.env.is_live))?)?;
    t.set("is_tty", lua.create_function(|_, ()| Ok(std::io::IsTerminal::is_terminal(&std::io::stdout())))?)?;
    t.set(
        "get_terminal_info",
        lua.create_function(|lua, ()| {
            let t = lua.create_table()?;
            let dim = |var: &str| std::env::var(var).ok().and_then(|v| v.parse::<f64>().ok()).unwrap_or(-1.0);
            t.set("width", dim("COLUMNS"))?;
            t.set("height", dim("LINES"))?;
            Ok(t)
        })?,
    )?;
    t.set(
        "get_filter",
        lua.create_function(|lua, ()| {
            with_host(lua, |h| h.global_filter.as_ref().map(|f| f.text().to_string()).unwrap_or_default())
        })?,
    )?;
    t.set(
        "get_machine_info",
        lua.create_function(|lua, ()| {
            let info = with_host(lua, |h| h.state.header.as_ref().map(|hd| hd.machine.clone()))?;
            let Some(m) = info else {
                return Err(host_err("get_machine_info can only be called from the on_capture_start callback"));
            };
            let t = lua.create_table()?;
            t.set("num_cpus", f64::from(m.num_cpus))?;
            t.set("memory_size_bytes", m.memory_bytes as f64)?;
            t.set("max_pid", m.max_pid as f64)?;
            t.set("hostname", m.hostname)?;
            Ok(t)
        })?,
    )?;
    for (name, fds, barebone) in [
        ("get_thread_table", true, false),
        ("get_thread_table_nofds", false, false),
        ("get_thread_table_barebone", true, true),
        ("get_thread_table_barebone_nofds", false, true),
    ] {
        t.set(
            name,
            lua.create_function(move |lua, filter: Option<LuaValue>| {
                let text = filter.as_ref().and_then(lua_text).unwrap_or_default();
                let compiled = compile_filter(lua, &text)?;
                thread_table(lua, compiled.as_ref(), fds, barebone)
            })?,
        )?;
    }
    t.set("get_container_table", lua.create_function(container_table)?)?;
    t.set("is_print_container_data", lua.create_function(|lua, ()| with_host(lua, |h| h.env.print_container))?)?;
    t.set(
        "get_output_format",
        lua.create_function(|lua, ()| with_host(lua, |h| if h.env.json { "json" } else { "normal" }))?,
    )?;
    t.set(
        "get_evtsource_name",
        lua.create_function(|lua, ()| {
            with_host(lua, |h| if h.env.is_live { String::new() } else { h.env.source_name.clone() })
        })?,
    )?;
    t.set(
        "get_firstevent_ts",
        lua.create_function(|lua, ()| with_host(lua, |h| h.state.first_ts.unwrap_or(0).to_string()))?,
    )?;
    t.set("get_lastevent_ts", lua.create_function(|lua, ()| with_host(lua, |h| h.state.last_ts.to_string()))?)?;
    t.set(
        "make_ts",
        lua.create_function(|_, (s, ns): (f64, f64)| {
            Ok((u64::from(s as u32) * 1_000_000_000 + u64::from(ns as u32)).to_string())
        })?,
    )?;
    t.set(
        "add_ts",
        lua.create_function(|_, (a, b): (LuaValue, LuaValue)| Ok(parse_ts(&a).wrapping_add(parse_ts(&b)).to_string()))?,
    )?;
    t.set(
        "subtract_ts",
        lua.create_function(|_, (a, b): (LuaValue, LuaValue)| Ok(parse_ts(&a).wrapping_sub(parse_ts(&b)).to_string()))?,
    )?;
    let run_app = lua.create_function(|lua, args: LuaValue| {
        let args = lua_text(&args).unwrap_or_default();
        with_host(lua, |h| h.nextrun = Some(args))
    })?;
    t.set("run_app", run_app.clone())?;
    t.set("run_sysdig", run_app)?;
    t.set("end_capture", lua.create_function(|lua, ()| with_host(lua, |h| h.end_capture = true))?)?;
    // sysdig sends these to its logger, which prints nothing unless asked to.
    t.set("log", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    t.set(
        "udp_setpeername",
        lua.create_function(|lua, (addr, port): (String, LuaValue)| {
            let port = lua_text(&port).and_then(|p| p.parse::<u16>().ok()).unwrap_or(0);
            let sock = UdpSocket::bind("0.0.0.0:0")
                .and_then(|s| s.connect((addr.as_str(), port)).map(|_| s))
                .map_err(|e| host_err(&format!("udp_setpeername error: {e}")))?;
            with_host(lua, |h| h.udp = Some(sock))
        })?,
    )?;
    t.set(
        "udp_send",
        lua.create_function(|lua, msg: mlua::LuaString| {
            let bytes = msg.as_bytes().to_vec();
            with_host(lua, |h| {
                if let Some(s) = &h.udp {
                    // A datagram that cannot be sent is lost, as with sysdig.
                    let _ = s.send(&bytes);
                }
            })
        })?,
    )?;
    t.set("get_read_progress", lua.create_function(|_, ()| Ok(0.0))?)?;
    Ok(t)
}

fn parse_ts(v: &LuaValue) -> u64 {
    lua_text(v).and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0)
}

fn compile_filter(lua: &Lua, text: &str) -> mlua::Result<Option<ChiselFilter>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match ChiselFilter::compile(text) {
        Ok(f) => Ok(Some(f)),
        Err(e) => {
            let name = with_host(lua, |h| h.name.clone())?;
            Err(host_err(&format!("invalid filter in chisel {name}: {e}")))
        }
    }
}

/// Field names sysdig accepts whose value is always nil on our streams: parameters no event has,
/// and the tracer classes (`span.*`, `evtin.span.*`) of events scap streams never carry.
fn is_always_nil(name: &str) -> bool {
    const PREFIXES: [&str; 4] = ["evt.arg.", "evt.rawarg.", "span.", "evtin.span."];
    PREFIXES.iter().any(|p| name.starts_with(p))
}

fn chisel_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "request_field",
        lua.create_function(|lua, name: LuaValue| {
            let Some(name) = lua_text(&name) else {
                return Err(host_err("chisel requesting nil field"));
            };
            let requested = match FieldRef::parse(&name) {
                Ok(field) => Requested::new(field, name.trim()),
                Err(_) if is_always_nil(&name) => Requested::NoSuchArg,
                Err(e) => return Err(host_err(&format!("chisel requesting nonexistent field {name}: {e}"))),
            };
            let stateful = requested.is_stateful();
            let idx = with_host(lua, |h| {
                h.fields.push(requested);
                h.fields.len()
            })?;
            // The index is for the Lua wrapper (see FAST_FIELDS); chisels see only the handle.
            Ok((LightUserData(idx as *mut std::ffi::c_void), idx, stateful))
        })?,
    )?;
    t.set(
        "set_filter",
        lua.create_function(|lua, text: LuaValue| {
            let text = lua_text(&text).unwrap_or_default();
            let compiled = compile_filter(lua, &text)?;
            with_host(lua, |h| h.filter = compiled)
        })?,
    )?;
    t.set(
        "set_event_formatter",
        lua.create_function(|lua, text: LuaValue| {
            let text = lua_text(&text).unwrap_or_default();
            let text = if text.is_empty() || text == "default" { scap_print::format::DEFAULT_FORMAT } else { &text };
            let f = Format::parse(text).map_err(|e| host_err(&format!("invalid event formatter: {e}")))?;
            with_host(lua, |h| h.formatter = Some(f))
        })?,
    )?;
    t.set(
        "set_interval_ns",
        lua.create_function(|lua, n: f64| with_host(lua, |h| h.interval_ns = n.max(0.0) as u64))?,
    )?;
    t.set(
        "set_interval_s",
        lua.create_function(|lua, n: f64| {
            with_host(lua, |h| h.interval_ns = (n.max(0.0) as u64).saturating_mul(1_000_000_000))
        })?,
    )?;
    t.set(
        "set_precise_interval_ns",
        lua.create_function(|lua, n: f64| with_host(lua, |h| h.precise_interval_ns = n.max(0.0) as u64))?,
    )?;
    t.set(
        "exec",
        lua.create_function(|lua, args: MultiValue| {
            let mut it = args.iter();
            let Some(name) = it.next().and_then(lua_text) else {
                let name = with_host(lua, |h| h.name.clone())?;
                return Err(host_err(&format!("invalid exec field name in chisel {name}")));
            };
            // Like sysdig, the arguments stop at the first one that is not text.
            let rest: Vec<String> = it.map_while(lua_text).collect();
            with_host(lua, |h| h.exec = Some((name, rest)))
        })?,
    )?;
    Ok(t)
}

fn with_event<R>(lua: &Lua, what: &str, f: impl FnOnce(&Event, &Ctx<'_>) -> R) -> mlua::Result<R> {
    let host = lua.app_data_ref::<Host>().ok_or_else(|| host_err("chisel host missing"))?;
    match &host.event {
        Some(e) => Ok(f(e, &host.ctx(e))),
        None => Err(host_err(&format!("invalid call to evt.{what}()"))),
    }
}

fn evt_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "field",
        lua.create_function(|lua, handle: LuaValue| {
            let idx = match handle {
                LuaValue::LightUserData(LightUserData(p)) => p as usize,
                // A field that was never requested reads as nil, as in sysdig.
                _ => return Ok(LuaValue::Nil),
            };
            let mut guard = lua.app_data_mut::<Host>().ok_or_else(|| host_err("chisel host missing"))?;
            let host = &mut *guard;
            let Some(event) = &host.event else {
                return Err(host_err("invalid call to evt.field()"));
            };
            let Some(field) = idx.checked_sub(1).and_then(|i| host.fields.get_mut(i)) else {
                return Ok(LuaValue::Nil);
            };
            let ctx = Ctx { event, state: &host.state, opts: &host.opts };
            field.read(lua, &ctx, &mut host.scratch)
        })?,
    )?;
    t.set("get_num", lua.create_function(|lua, ()| with_event(lua, "get_num", |e, _| e.num as f64))?)?;
    t.set(
        "get_ts",
        lua.create_function(|lua, ()| {
            with_event(lua, "get_ts", |e, _| ((e.ts / 1_000_000_000) as u32 as f64, (e.ts % 1_000_000_000) as f64))
        })?,
    )?;
    let type_field = FieldRef::parse("evt.type").map_err(|e| host_err(&e.to_string()))?;
    t.set(
        "get_type",
        lua.create_function(move |lua, ()| {
            with_event(lua, "get_type", |_, s| {
                type_field.extract(s).map(|v| v.render().into_owned()).unwrap_or_default()
            })
            .and_then(|b| lua.create_string(b))
        })?,
    )?;
    t.set("get_cpuid", lua.create_function(|lua, ()| with_event(lua, "get_cpuid", |e, _| f64::from(e.cpu)))?)?;
    Ok(t)
}

/// The fd name as sysdig's `tostring_clean` gives it: control characters dropped.
fn clean_name(name: &[u8]) -> Vec<u8> {
    name.iter().copied().filter(|&c| c >= 0x20 && c != 0x7f).collect()
}

/// The name sysdig gives a socket whose name the state does not hold.
fn socket_name(fd: &Fd) -> Vec<u8> {
    if fd.is_ip() {
        fd.sock_name()
    } else {
        Vec::new()
    }
}

/// A read exit event of thread `tid` with no parameters, the event libsinsp runs
/// `get_thread_table`'s filter on.
fn probe_event(tid: i64, ts: u64) -> Event {
    Event::from_params(0, ts, tid, 0, scap_common::schema::ev::SYSCALL_READ_X, &[])
}

fn thread_table(lua: &Lua, filter: Option<&ChiselFilter>, with_fds: bool, barebone: bool) -> mlua::Result<Table> {
    let mut host = lua.app_data_mut::<Host>().ok_or_else(|| host_err("chisel host missing"))?;
    // Which fds pass the filter, decided first: the filter reads fields through `state.cur`,
    // which is pointed at each (thread, fd) in turn, as libsinsp points a synthetic read event.
    let mut tids: Vec<i64> = host.state.threads.keys().copied().collect();
    tids.sort_unstable();
    let mut selected: Vec<(i64, Vec<i64>)> = Vec::with_capacity(tids.len());
    let saved = host.state.cur.clone();
    for &tid in &tids {
        let state = &host.state;
        let (Some(owner), Some(fdtable)) = (state.table_owner(tid), state.fd_table(tid)) else { continue };
        let mut nums: Vec<i64> = fdtable.iter().map(|(n, _)| n).collect();
        nums.sort_unstable();
        if let Some(f) = filter {
            let probe = probe_event(tid, state.last_ts);
            nums.retain(|&n| {
                let mut cur = scap_common::state::Current::default();
                cur.tid = Some(tid);
                cur.fd = Some((owner, n));
                host.state.cur = cur;
                f.matches(&host.ctx(&probe))
            });
            if nums.is_empty() {
                continue;
            }
        }
        selected.push((tid, nums));
    }
    host.state.cur = saved;
    let state = &host.state;
    let out = lua.create_table()?;
    for (tid, nums) in selected {
        let Some(t) = state.threads.get(&tid) else { continue };
        let row = lua.create_table()?;
        row.set("tid", f64::from(t.tid as u32))?;
        row.set("pid", f64::from(t.pid as u32))?;
        if !barebone {
            thread_details(lua, state, t, &row)?;
        }
        let fdt = lua.create_table()?;
        if with_fds {
            for n in nums {
                if let Some(fd) = state.fd(tid, n) {
                    fdt.raw_set(n as u32, fd_entry(lua, state, fd, barebone)?)?;
                }
            }
        }
        row.set("fdtable", fdt)?;
        out.raw_set(t.tid as u32, row)?;
    }
    Ok(out)
}

fn thread_details(lua: &Lua, state: &State, t: &Thread, row: &Table) -> mlua::Result<()> {
    row.set("ptid", f64::from(t.ptid as u32))?;
    row.set("comm", lua.create_string(&t.comm)?)?;
    row.set("exe", lua.create_string(&t.exe)?)?;
    row.set("flags", f64::from(t.flags))?;
    row.set("fdlimit", f64::from(t.fdlimit as u32))?;
    row.set("uid", f64::from(t.uid))?;
    row.set("gid", f64::from(t.gid))?;
    let nchilds = state.threads.values().filter(|o| o.pid == t.pid && !o.is_main()).count();
    row.set("nchilds", nchilds as f64)?;
    row.set("vmsize_kb", f64::from(t.vmsize_kb))?;
    row.set("vmrss_kb", f64::from(t.vmrss_kb))?;
    row.set("vmswap_kb", f64::from(t.vmswap_kb))?;
    row.set("pfmajor", f64::from(t.pfmajor as u32))?;
    row.set("pfminor", f64::from(t.pfminor as u32))?;
    row.set("clone_ts", t.clone_ts.to_string())?;
    let username = state.user(&t.container_id, t.uid).map_or_else(|| "<NA>".to_string(), |u| u.name.clone());
    row.set("username", username)?;
    let args = lua.create_table()?;
    for (i, a) in t.args.iter().enumerate() {
        args.raw_set(i + 1, lua.create_string(a)?)?;
    }
    row.set("args", args)?;
    let env = lua.create_table()?;
    for (i, a) in t.env.iter().enumerate() {
        env.raw_set(i + 1, lua.create_string(a)?)?;
    }
    row.set("env", env)?;
    Ok(())
}

fn fd_entry(lua: &Lua, state: &State, fd: &Fd, barebone: bool) -> mlua::Result<Table> {
    use scap_common::scap::blocks::fd_type;
    let e = lua.create_table()?;
    if !barebone {
        let mut name = if fd.name.is_empty() { socket_name(fd) } else { clean_name(&fd.name) };
        if let Some(ports) = &state.port_names {
            name = ports.fd_name(fd, &name).into_owned();
        }
        e.set("name", lua.create_string(name)?)?;
        e.set("type", fd.type_name())?;
    }
    let s = &fd.sock;
    match fd.fd_type {
        fd_type::IPV4_SERVSOCK => {
            e.set("sip", format_ip(&s.v4srv_ip()))?;
            e.set("sport", f64::from(s.v4srv_port()))?;
            e.set("is_server", true)?;
            e.set("l4proto", l4proto_name(s.v4srv_l4()))?;
        }
        fd_type::IPV6_SERVSOCK => {
            e.set("sip", format_ip(&s.v6srv_ip()))?;
            e.set("sport", f64::from(s.v6srv_port()))?;
            e.set("is_server", true)?;
            e.set("l4proto", l4proto_name(s.v6srv_l4()))?;
        }
        fd_type::IPV4_SOCK => {
            e.set("cip", format_ip(&s.v4_sip()))?;
            e.set("sip", format_ip(&s.v4_dip()))?;
            e.set("cport", f64::from(s.v4_sport()))?;
            e.set("sport", f64::from(s.v4_dport()))?;
            e.set("is_server", fd.is_role_server())?;
            e.set("l4proto", l4proto_name(s.v4_l4()))?;
        }
        fd_type::IPV6_SOCK => {
            e.set("cip", format_ip(&s.v6_sip()))?;
            e.set("sip", format_ip(&s.v6_dip()))?;
            e.set("cport", f64::from(s.v6_sport()))?;
            e.set("sport", f64::from(s.v6_dport()))?;
            e.set("is_server", fd.is_role_server())?;
            e.set("l4proto", l4proto_name(s.v6_l4()))?;
        }
        _ => {}
    }
    Ok(e)
}

fn container_table(lua: &Lua, (): ()) -> mlua::Result<Table> {
    let host = lua.app_data_ref::<Host>().ok_or_else(|| host_err("chisel host missing"))?;
    let out = lua.create_table()?;
    let mut ids: Vec<&String> = host.state.containers.keys().collect();
    ids.sort();
    for (i, id) in ids.into_iter().enumerate() {
        let Some(c) = host.state.containers.get(id) else { continue };
        let row = lua.create_table()?;
        row.set("id", c.id.as_str())?;
        row.set("name", c.name.as_str())?;
        row.set("image", c.image.as_str())?;
        row.set("type", container_type_name(&c.runtime))?;
        out.raw_set(i + 1, row)?;
    }
    Ok(out)
}

/// sysdig's name for a container runtime.
fn container_type_name(runtime: &str) -> &str {
    match runtime {
        "docker" | "lxc" | "libvirt_lxc" | "mesos" | "rkt" | "cri" | "containerd" | "cri-o" | "bpm" => runtime,
        "crio" => "cri-o",
        "" => "unknown",
        other => other,
    }
}
