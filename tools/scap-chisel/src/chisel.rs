//! `Chisel`: one loaded chisel, its Lua state and the calls into its callbacks.
//!
//! Loading follows sysdig: a fresh Lua state with the standard libraries and the `sysdig`,
//! `chisel` and `evt` tables, `package.path` extended with the chisel directories, the script
//! run once, then `args` read. `set_args` hands each value to `on_set_arg`; `init` calls
//! `on_init` and, when the chisel called `chisel.exec`, replaces it with the chisel it named.

use std::io::Write;

use mlua::{Function, Lua, MultiValue, Table, Value as LuaValue};

use crate::catalogue::{parse_args, ArgInfo, ChiselDirs, ChiselSource, Origin};
use crate::host::{install_api, Env, Host};
use crate::{builtin, ChiselError};

/// A loaded chisel.
pub struct Chisel {
    /// Its Lua state; the `Host` lives in its app data.
    pub lua: Lua,
    /// Where it came from.
    pub source: ChiselSource,
    /// Its declared arguments.
    pub args: Vec<ArgInfo>,
    /// Whether it defines `on_event`.
    pub has_on_event: bool,
}

/// Our own Lua wrappers, which error positions skip to point at the chisel's line.
const INTERNAL_CHUNKS: [&str; 2] = ["fields.lua:", "prelude.lua:"];

/// One line for a Lua error: the message without its traceback.
pub fn lua_error_line(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, traceback } => {
            // An error raised by one of our API functions carries no position; take the chisel's
            // line from the traceback, the first frame that is Lua code.
            let inner = lua_error_line(cause);
            let place = traceback
                .lines()
                .map(str::trim)
                .find(|l| {
                    !l.starts_with("[C]")
                        && !l.starts_with("stack traceback")
                        && l.contains(".lua:")
                        && !INTERNAL_CHUNKS.iter().any(|c| l.starts_with(c))
                })
                .and_then(|l| l.split(": in ").next());
            match place {
                Some(p) if !inner.contains(".lua:") => format!("{p}: {inner}"),
                _ => inner,
            }
        }
        mlua::Error::RuntimeError(m) => first_line(m),
        mlua::Error::SyntaxError { message, .. } => first_line(message),
        mlua::Error::MemoryError(m) => first_line(m),
        other => first_line(&other.to_string()),
    }
}

fn first_line(s: &str) -> String {
    let s = s.strip_prefix("runtime error: ").unwrap_or(s);
    s.lines().next().unwrap_or("").trim_end().to_string()
}

/// A Lua state set up for `src`: libraries, our API, the host, and module search.
pub fn new_lua(src: &ChiselSource, dirs: &ChiselDirs, env: Env, out: Box<dyn Write + Send>) -> mlua::Result<Lua> {
    let lua = Lua::new();
    lua.set_app_data(Host::new(&src.name, env, out));
    install_api(&lua)?;
    let package: Table = lua.globals().get("package")?;
    let mut path: String = package.get("path")?;
    if let Origin::File(p) = &src.origin {
        if let Some(parent) = p.parent() {
            let parent = if parent.as_os_str().is_empty() { std::path::Path::new(".") } else { parent };
            path.push_str(&format!(";{}/?.lua", parent.display()));
        }
    }
    for d in dirs.all() {
        path.push_str(&format!(";{}/?.lua", d.display()));
    }
    package.set("path", path)?;
    install_modules(&lua, matches!(src.origin, Origin::Builtin))?;
    lua.load(builtin::PRELUDE).set_name("@prelude.lua").exec()?;
    Ok(lua)
}

/// Makes our helper modules loadable. A built-in chisel always gets ours (through
/// `package.preload`); a chisel file finds the modules beside it first (sysdig's own helpers for
/// sysdig's chisels) and ours only as a last resort.
fn install_modules(lua: &Lua, builtin_chisel: bool) -> mlua::Result<()> {
    let package: Table = lua.globals().get("package")?;
    if builtin_chisel {
        let preload: Table = package.get("preload")?;
        for (name, code) in builtin::MODULES {
            let loader = lua.load(*code).set_name(format!("@{name}.lua")).into_function()?;
            preload.set(*name, loader)?;
        }
        return Ok(());
    }
    let loaders: Table = package.get("loaders")?;
    let fallback =
        lua.create_function(|lua, name: String| match builtin::MODULES.iter().find(|(n, _)| *n == name) {
            Some((n, code)) => Ok(LuaValue::Function(lua.load(*code).set_name(format!("@{n}.lua")).into_function()?)),
            None => Ok(LuaValue::String(lua.create_string(format!("\n\tno built-in module '{name}'"))?)),
        })?;
    loaders.raw_set(loaders.raw_len() + 1, fallback)?;
    Ok(())
}

fn err(src: &ChiselSource, what: impl Into<String>) -> ChiselError {
    ChiselError::Chisel { chisel: src.name.clone(), what: what.into() }
}

impl Chisel {
    /// Loads a chisel: runs its top level and reads its `args`.
    pub fn load(
        src: ChiselSource,
        dirs: &ChiselDirs,
        env: Env,
        out: Box<dyn Write + Send>,
    ) -> Result<Chisel, ChiselError> {
        let lua = new_lua(&src, dirs, env, out).map_err(|e| err(&src, lua_error_line(&e)))?;
        lua.load(src.code.as_str())
            .set_name(src.chunk_name())
            .exec()
            .map_err(|e| err(&src, format!("failed to load: {}", lua_error_line(&e))))?;
        let g = lua.globals();
        let args = match g.get::<LuaValue>("args") {
            Ok(LuaValue::Table(t)) => parse_args(&t).map_err(|e| err(&src, e))?,
            _ => return Err(err(&src, "failed to load: args table missing")),
        };
        let has_on_event = matches!(g.get::<LuaValue>("on_event"), Ok(LuaValue::Function(_)));
        Ok(Chisel { lua, source: src, args, has_on_event })
    }

    /// Runs `f` with the host.
    pub fn host<R>(&self, f: impl FnOnce(&mut Host) -> R) -> Result<R, ChiselError> {
        match self.lua.app_data_mut::<Host>() {
            Some(mut h) => Ok(f(&mut h)),
            None => Err(err(&self.source, "chisel host missing")),
        }
    }

    /// The global function `name`, if the chisel defines it.
    pub fn callback(&self, name: &str) -> Option<Function> {
        match self.lua.globals().get::<LuaValue>(name) {
            Ok(LuaValue::Function(f)) => Some(f),
            _ => None,
        }
    }

    /// An error naming this chisel and a callback.
    pub fn fail(&self, callback: &str, e: &mlua::Error) -> ChiselError {
        err(&self.source, format!("{callback}: {}", lua_error_line(e)))
    }

    /// Checks the argument count and hands each value to `on_set_arg`.
    pub fn set_args(&self, values: &[String]) -> Result<(), ChiselError> {
        let n_required = self.args.iter().filter(|a| !a.optional).count();
        if values.len() < n_required {
            return Err(err(
                &self.source,
                format!("wrong number of parameters, {n_required} required, {} given", values.len()),
            ));
        }
        if values.len() > self.args.len() {
            return Err(err(
                &self.source,
                format!(
                    "too many parameters, {n_required} required, {} optional, {} given",
                    self.args.len() - n_required,
                    values.len()
                ),
            ));
        }
        if values.is_empty() {
            return Ok(());
        }
        let Some(f) = self.callback("on_set_arg") else {
            return Err(err(&self.source, "the chisel has no on_set_arg function"));
        };
        for (a, v) in self.args.iter().zip(values) {
            match f.call::<LuaValue>((a.name.as_str(), v.as_str())) {
                Ok(LuaValue::Boolean(true)) => {}
                Ok(LuaValue::Boolean(false)) => {
                    return Err(err(&self.source, format!("on_set_arg refused {}='{v}'", a.name)))
                }
                Ok(_) => return Err(err(&self.source, "on_set_arg must return a boolean")),
                Err(e) => return Err(self.fail("on_set_arg", &e)),
            }
        }
        Ok(())
    }

    /// Calls `on_init`. When it called `chisel.exec`, loads that chisel in this one's place, with
    /// the same host, and initializes it instead.
    pub fn init(self, dirs: &ChiselDirs) -> Result<Chisel, ChiselError> {
        let mut current = self;
        loop {
            if let Some(f) = current.callback("on_init") {
                let res = f.call::<LuaValue>(()).map_err(|e| current.fail("on_init", &e))?;
                let exec = current.host(|h| h.exec.take())?;
                match (res, exec) {
                    (_, Some((name, args))) => {
                        current = current.replace(&name, &args, dirs)?;
                        continue;
                    }
                    (LuaValue::Boolean(true), None) => {}
                    (LuaValue::Boolean(false), None) => return Err(err(&current.source, "on_init failed")),
                    (_, None) => return Err(err(&current.source, "on_init must return a boolean")),
                }
            }
            return Ok(current);
        }
    }

    fn replace(self, name: &str, args: &[String], dirs: &ChiselDirs) -> Result<Chisel, ChiselError> {
        let src = dirs.find(name)?;
        let Some(old) = self.lua.remove_app_data::<Host>() else {
            return Err(err(&self.source, "chisel host missing"));
        };
        let next = Chisel::load(src, dirs, old.env.clone(), Box::new(std::io::sink()))?;
        // The new chisel gets the old one's output, state and capture-wide settings, and a clean
        // slate for its own fields, filter and intervals.
        let mut host = old;
        host.name = next.source.name.clone();
        host.fields.clear();
        host.filter = None;
        host.formatter = None;
        host.interval_ns = 0;
        host.precise_interval_ns = 0;
        next.lua.set_app_data(host);
        next.set_args(args)?;
        Ok(next)
    }

    /// Calls a callback that takes no arguments and must return true (`on_capture_start`).
    pub fn call_start(&self) -> Result<(), ChiselError> {
        let Some(f) = self.callback("on_capture_start") else { return Ok(()) };
        match f.call::<LuaValue>(()) {
            Ok(LuaValue::Boolean(true)) => Ok(()),
            Ok(LuaValue::Boolean(false)) => Err(err(&self.source, "on_capture_start failed")),
            Ok(_) => Err(err(&self.source, "on_capture_start must return a boolean")),
            Err(e) => Err(self.fail("on_capture_start", &e)),
        }
    }

    /// Calls `on_interval` or `on_capture_end` with (seconds, nanoseconds, delta).
    pub fn call_timed(&self, name: &str, ts: u64, delta: i64) -> Result<bool, ChiselError> {
        let Some(f) = self.callback(name) else { return Ok(true) };
        let args = ((ts / 1_000_000_000) as f64, (ts % 1_000_000_000) as f64, delta as f64);
        match f.call::<MultiValue>(args) {
            Ok(v) => Ok(v.into_iter().next().is_some_and(|v| !matches!(v, LuaValue::Nil | LuaValue::Boolean(false)))),
            Err(e) => Err(self.fail(name, &e)),
        }
    }
}
