//! The field registry and extraction: the one place every stage gets field values from.
//!
//! A field is a name like `proc.name` or `evt.arg.fd`, with an optional argument
//! (`proc.aname[2]`, `evt.arg[1]`, `thread.cgroup.cpu`). `FieldRef::parse` resolves a name once;
//! `FieldRef::extract` gives the value of a resolved field for an event, borrowing from the event
//! and the state where it can so that filters run without allocating; `FieldRef::write` appends
//! the text sysdig prints for it (`-p` formats), `FieldRef::json` its `-j` value.
//!
//! Fields are listed in `FIELDS` (registry.rs) in sysdig's class order; their extractors live in
//! one file per class: evt.rs, proc.rs (process and thread), fd.rs (fd and fdlist), user.rs (user
//! and group), syslog.rs, container.rs (container and k8s).

mod container;
pub mod cpu;
mod evt;
mod fd;
mod proc;
mod registry;
mod syslog;
pub mod time;
mod user;
pub mod value;

pub use registry::{flag, Check, FieldInfo, WriteFn, FIELDS};
pub use time::{TimeMode, Tz};
pub use value::{FieldType, RenderError, Value};

use crate::event::Event;
use crate::render::json::Json;
use crate::render::{BufFmt, Scratch};
use crate::schema::{ParamType, PrintFormat};
use crate::state::State;

/// The argument of a field: `[2]`, `[name]`, or `.name` after `evt.arg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldArg {
    /// No argument.
    None,
    /// A number in brackets.
    Index(i64),
    /// A name (in brackets or after a dot).
    Name(String),
}

/// Whether a field takes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgSpec {
    /// It takes none.
    None,
    /// It requires one.
    Required,
    /// It may take one.
    Optional,
}

/// A resolved field reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    /// Index into `FIELDS`.
    pub id: usize,
    /// The argument.
    pub arg: FieldArg,
}

/// Why a field name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// No field has this name.
    #[error("unknown field '{name}'{}", suggest(.suggestions))]
    Unknown {
        /// The name as written.
        name: String,
        /// The nearest known names.
        suggestions: Vec<String>,
    },
    /// The field requires an argument and got none, or got a malformed one.
    #[error("field '{name}' {what}")]
    BadArg {
        /// The field.
        name: String,
        /// What is wrong.
        what: String,
    },
    /// The field can be used in filters only, not printed.
    #[error("{name} is filter only and cannot be used as a display field")]
    FilterOnly {
        /// The field.
        name: String,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}

/// How values are shown: sysdig's display settings that change what fields return.
#[derive(Clone, Debug)]
pub struct Opts {
    /// How data buffers are rendered (`-A`, `-x`, `-X`, `-b`, `-j`).
    pub buf_fmt: BufFmt,
    /// The longest data buffer shown in the default format (80; 0 for no limit, `-v`).
    pub max_buf_len: u32,
    /// What `evt.outputtime` shows (`-t`).
    pub time_mode: TimeMode,
    /// The time zone times are shown in.
    pub tz: Tz,
    /// Timestamp of the previous event shown (for `evt.deltatime` and `-t D`); 0 before the
    /// first.
    pub prev_ts: u64,
    /// Whether data buffers are limited to this many bytes before rendering (`-s`), 0 for all.
    pub snaplen: u32,
}

impl Opts {
    /// sysdig's defaults: dots for binary data cut at 80 bytes, human times in UTC.
    pub const fn new() -> Opts {
        Opts {
            buf_fmt: BufFmt::NORMAL,
            max_buf_len: 80,
            time_mode: TimeMode::Human,
            tz: Tz::utc(),
            prev_ts: 0,
            snaplen: 0,
        }
    }
}

impl Default for Opts {
    fn default() -> Opts {
        Opts::new()
    }
}

static DEFAULT_OPTS: Opts = Opts::new();

/// What extraction needs besides the field.
pub struct Ctx<'a> {
    /// The event.
    pub event: &'a Event,
    /// The state after the event was applied.
    pub state: &'a State,
    /// Display settings.
    pub opts: &'a Opts,
}

impl<'a> Ctx<'a> {
    /// A context with sysdig's default display settings.
    pub fn new(event: &'a Event, state: &'a State) -> Ctx<'a> {
        Ctx { event, state, opts: &DEFAULT_OPTS }
    }

    /// A context with explicit display settings.
    pub fn with_opts(event: &'a Event, state: &'a State, opts: &'a Opts) -> Ctx<'a> {
        Ctx { event, state, opts }
    }

    /// The thread the event's process and thread fields describe.
    pub fn thread(&self) -> Option<&'a crate::state::Thread> {
        self.state.event_thread(self.event)
    }

    /// The fd the `fd.*` fields describe: `None` unless the event creates, uses or destroys an
    /// fd; else the fd the parser resolved, or the thread's last one.
    pub fn fd(&self) -> Option<&'a crate::state::Fd> {
        fd::event_fd(self)
    }

    fn param_ctx(&self) -> crate::render::ParamCtx<'a> {
        crate::render::ParamCtx {
            event: self.event,
            state: self.state,
            fmt: self.opts.buf_fmt,
            max_len: self.opts.max_buf_len,
            snaplen: self.opts.snaplen,
        }
    }
}

impl FieldRef {
    /// Resolves a whole field name with its optional argument, e.g. `proc.aname[2]` or
    /// `evt.arg.fd`.
    pub fn parse(text: &str) -> Result<FieldRef, FieldError> {
        let (f, len) = FieldRef::parse_prefix(text)?;
        if len != text.len() {
            return Err(FieldError::Unknown { name: text.to_string(), suggestions: registry::nearest(text) });
        }
        Ok(f)
    }

    /// Resolves the field at the start of `text` the way sysdig's format parser does, and returns
    /// it with the number of bytes it spans; what follows is not part of the field
    /// (`%proc.name)` ends at the parenthesis).
    pub fn parse_prefix(text: &str) -> Result<(FieldRef, usize), FieldError> {
        registry::parse_prefix(text)
    }

    /// Resolves a field for printing: like `parse_prefix`, and refuses filter-only fields.
    /// sysdig lets `evt.around[N]` through (it parses it apart from the other fields); it prints
    /// as `<NA>`.
    pub fn parse_display_prefix(text: &str) -> Result<(FieldRef, usize), FieldError> {
        let (f, len) = registry::parse_prefix(text)?;
        if f.info().flags & flag::FILTER_ONLY != 0 && f.info().name != "evt.around" {
            return Err(FieldError::FilterOnly { name: text.to_string() });
        }
        Ok((f, len))
    }

    /// The field's description.
    pub fn info(&self) -> &'static FieldInfo {
        &FIELDS[self.id]
    }

    /// The field's name as written, argument included.
    pub fn display_name(&self) -> String {
        let name = self.info().name;
        match &self.arg {
            FieldArg::None => name.to_string(),
            FieldArg::Index(i) => format!("{name}[{i}]"),
            FieldArg::Name(n) if name == "evt.arg" || name == "evt.rawarg" || name == "evt.type.is" => {
                format!("{name}.{n}")
            }
            FieldArg::Name(n) if name == "thread.cgroup" || name.ends_with(".label") => format!("{name}.{n}"),
            FieldArg::Name(n) => format!("{name}[{n}]"),
        }
    }

    /// The type sysdig renders the field's value as (for `evt.rawarg`, its parameter's type).
    pub fn param_type(&self) -> ParamType {
        let info = self.info();
        if info.name == "evt.rawarg" {
            if let FieldArg::Name(n) = &self.arg {
                return registry::rawarg_param(n).map_or(ParamType::Dyn, |p| p.ty);
            }
        }
        info.ptype
    }

    /// The field's value for an event, or `None` when it does not apply (printed `<NA>`).
    pub fn extract<'a>(&self, ctx: &Ctx<'a>) -> Option<Value<'a>> {
        (FIELDS[self.id].extract)(ctx, &self.arg)
    }

    /// Appends the text sysdig prints for the field; `Ok(false)` when it has no value (sysdig
    /// prints `<NA>` or drops the line). `scratch` holds reusable buffers.
    pub fn write(&self, ctx: &Ctx<'_>, out: &mut Vec<u8>, scratch: &mut Scratch) -> Result<bool, RenderError> {
        let info = &FIELDS[self.id];
        if let Some(w) = info.write {
            return Ok(w(ctx, &self.arg, out, scratch));
        }
        let Some(v) = (info.extract)(ctx, &self.arg) else { return Ok(false) };
        let start = out.len();
        let ok = value::write_text(out, &v, self.param_type(), self.print_format())?;
        if ok && info.flags & flag::SANITIZE != 0 {
            let kept: Vec<u8> = out[start..].iter().copied().filter(|c| (0x20..0x7f).contains(c)).collect();
            out.truncate(start);
            out.extend_from_slice(&kept);
        }
        Ok(ok)
    }

    /// A function appending exactly the text `write` appends, without building a value first,
    /// for the fields of sysdig's default lines (and fields that have a `write` of their own),
    /// with whether that text may hold a NUL byte; `None` for the other fields, which go through
    /// `write`. Formats look it up once per field.
    pub fn direct_writer(&self) -> Option<(WriteFn, bool)> {
        if self.arg != FieldArg::None {
            return None;
        }
        let info = self.info();
        if let Some(w) = info.write {
            return Some((w, true));
        }
        // None of these sanitizes or takes an argument: `write` would give the value's plain
        // text in the field's type and print format, which is what these append (numbers, fixed
        // names, and a comm cut at its NUL).
        let w: WriteFn = match info.name {
            "evt.num" => evt::w_num,
            "evt.cpu" => evt::w_cpu,
            "evt.dir" => evt::w_dir,
            "evt.type" => evt::w_type,
            "proc.pid" => proc::w_pid,
            "proc.name" => proc::w_name,
            "thread.tid" => proc::w_tid,
            _ => return None,
        };
        Some((w, false))
    }

    /// The field's value as sysdig puts it in `-j` output (`Json::Null` when it has none).
    pub fn json(&self, ctx: &Ctx<'_>, scratch: &mut Scratch) -> Result<Json, RenderError> {
        let info = &FIELDS[self.id];
        if let Some(j) = info.json {
            if let Some(v) = j(ctx, &self.arg) {
                return Ok(v);
            }
        }
        if info.write.is_some() {
            let mut out = Vec::new();
            return Ok(if self.write(ctx, &mut out, scratch)? { Json::Str(out) } else { Json::Null });
        }
        let Some(v) = (info.extract)(ctx, &self.arg) else { return Ok(Json::Null) };
        let j = value::to_json(&v, self.param_type(), self.print_format())?;
        if info.flags & flag::SANITIZE != 0 {
            if let Json::Str(s) = j {
                return Ok(Json::Str(s.into_iter().filter(|c| (0x20..0x7f).contains(c)).collect()));
            }
        }
        Ok(j)
    }

    fn print_format(&self) -> PrintFormat {
        let info = self.info();
        if info.name == "evt.rawarg" {
            return PrintFormat::Na;
        }
        info.fmt
    }
}

/// The fields listed by `-l`, grouped by class in sysdig's order.
pub fn classes() -> Vec<(&'static str, Vec<&'static FieldInfo>)> {
    let mut out: Vec<(&'static str, Vec<&'static FieldInfo>)> = Vec::new();
    for f in FIELDS.iter() {
        match out.iter_mut().find(|(c, _)| *c == f.class) {
            Some((_, v)) => v.push(f),
            None => out.push((f.class, vec![f])),
        }
    }
    out
}

#[cfg(test)]
mod tests;
