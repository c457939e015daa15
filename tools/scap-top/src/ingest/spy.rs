//! Echo and dig: the events of a selection as text, the way csysdig's F5 and F6 show them.
//!
//! - dig prints each event as sysdig's default line does;
//! - echo prints the data of each read and write, under a header naming the direction, the size,
//!   the file and the process.
//!
//! Each dig line also carries every field of its event, for the "all fields" view.
//!
//! For `-j` (`Spy::json`), each line is instead the JSON value csysdig's JSON spy renderer
//! makes: for dig the line as a string; for echo an object with the data (`v`), its length
//! (`l`), the direction (`d`), the fd (`fd`, `ft`, `f`, `fn`), the process (`p`), the container
//! name (`c`) and the time, absolute (`ta`) and since the first event (`td`).

use scap_common::event::Event;
use scap_common::fields::{Ctx, FieldRef, Opts, FIELDS};
use scap_common::render::json::push_str;
use scap_common::render::{BufFmt, Scratch};
use scap_common::schema::{category, flags};
use scap_common::state::State;
use scap_filter::Filter;

use crate::feed::{SpyKind, SpyLine};

enum Part {
    Text(String),
    Field(FieldRef),
}

/// sysdig's default event line.
const DIG_FORMAT: &str = "%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";
/// The event line with container columns (`-pc`).
const DIG_FORMAT_CONTAINERS: &str = "%evt.num %evt.time %evt.cpu %container.name (%container.id) %proc.name \
     (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";

fn parse_format(fmt: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = fmt;
    while let Some(p) = rest.find('%') {
        if p > 0 {
            parts.push(Part::Text(rest[..p].to_string()));
        }
        let (f, len) = FieldRef::parse_prefix(&rest[p + 1..]).map_err(|e| e.to_string())?;
        parts.push(Part::Field(f));
        rest = &rest[p + 1 + len..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    Ok(parts)
}

/// Turns matching events into echo or dig lines.
pub struct Spy {
    kind: SpyKind,
    filter: Option<Filter>,
    line: Vec<Part>,
    data: FieldRef,
    all_fields: Vec<(String, FieldRef)>,
    opts: Opts,
    scratch: Scratch,
    json: bool,
}

impl Spy {
    /// A spy of `kind` on the events matching `filter`; `containers` selects the `-pc` line,
    /// `buf_fmt` how data buffers are shown (csysdig's `-A`, `-X`), `json` the `-j` values.
    pub fn new(kind: SpyKind, filter: &str, containers: bool, buf_fmt: BufFmt, json: bool) -> Result<Spy, String> {
        let filter = if filter.trim().is_empty() {
            None
        } else {
            Some(Filter::compile(filter).map_err(|e| format!("filter {filter}: {e}"))?)
        };
        let line = parse_format(if containers { DIG_FORMAT_CONTAINERS } else { DIG_FORMAT })?;
        let data = FieldRef::parse("evt.arg.data").map_err(|e| e.to_string())?;
        let all_fields = FIELDS
            .iter()
            .filter(|f| f.arg == scap_common::fields::ArgSpec::None)
            .filter_map(|f| FieldRef::parse(f.name).ok().map(|r| (f.name.to_string(), r)))
            .collect();
        let opts = Opts { buf_fmt, max_buf_len: 0, ..Opts::new() };
        Ok(Spy { kind, filter, line, data, all_fields, opts, scratch: Scratch::default(), json })
    }

    /// The line for an event (already applied to `state`), if it matches and has one.
    pub fn on_event(&mut self, state: &State, e: &Event) -> Option<SpyLine> {
        let opts = self.opts.clone();
        let ctx = Ctx::with_opts(e, state, &opts);
        if let Some(f) = &self.filter {
            if !f.matches(&ctx) {
                return None;
            }
        }
        match self.kind {
            SpyKind::Dig => self.dig(&ctx),
            SpyKind::Echo => self.echo(&ctx),
        }
    }

    fn write(&mut self, ctx: &Ctx<'_>, f: &FieldRef) -> String {
        let mut out = Vec::new();
        match f.write(ctx, &mut out, &mut self.scratch) {
            Ok(true) => String::from_utf8_lossy(&out).into_owned(),
            _ => "<NA>".to_string(),
        }
    }

    fn dig(&mut self, ctx: &Ctx<'_>) -> Option<SpyLine> {
        let e = ctx.event;
        if e.info().is_some_and(|i| i.category & category::INTERNAL != 0) {
            return None;
        }
        let mut text = String::new();
        let parts = std::mem::take(&mut self.line);
        for p in &parts {
            match p {
                Part::Text(t) => text.push_str(t),
                Part::Field(f) => {
                    let v = self.write(ctx, f);
                    text.push_str(&v);
                }
            }
        }
        self.line = parts;
        if self.json {
            let mut v = Vec::new();
            push_str(&mut v, text.as_bytes());
            return Some(SpyLine { text: String::from_utf8_lossy(&v).into_owned(), fields: Vec::new() });
        }
        let all = std::mem::take(&mut self.all_fields);
        let mut fields = Vec::with_capacity(all.len());
        for (name, f) in &all {
            let mut out = Vec::new();
            if let Ok(true) = f.write(ctx, &mut out, &mut self.scratch) {
                fields.push((name.clone(), String::from_utf8_lossy(&out).into_owned()));
            }
        }
        self.all_fields = all;
        Some(SpyLine { text: sanitize(&text), fields })
    }

    fn echo(&mut self, ctx: &Ctx<'_>) -> Option<SpyLine> {
        let e = ctx.event;
        let info = e.info()?;
        let (dir, prep) = if info.flags & flags::READS_FROM_FD != 0 {
            ("Read", "from")
        } else if info.flags & flags::WRITES_TO_FD != 0 {
            ("Write", "to")
        } else {
            return None;
        };
        let len = e.param_i64(0)?;
        if len <= 0 || e.is_enter() {
            return None;
        }
        let thread = ctx.thread()?;
        let fd = ctx.state.cur_fd()?;
        if self.json {
            return self.echo_json(ctx, info.flags, len);
        }
        let name =
            if fd.name.is_empty() { "unnamed FD".to_string() } else { String::from_utf8_lossy(&fd.name).into_owned() };
        let data = self.data.clone();
        let mut body = self.write(ctx, &data);
        if body.starts_with('\n') {
            body.remove(0);
        }
        if body.ends_with('\n') {
            body.pop();
        }
        let header =
            sanitize(&format!("------ {dir} {len}B {prep} {name} ({})", String::from_utf8_lossy(&thread.comm)));
        Some(SpyLine { text: format!("{header}\n\n{body}\n"), fields: Vec::new() })
    }
}

impl Spy {
    /// The echo object of `-j`, with its keys in jsoncpp's (sorted) order.
    fn echo_json(&mut self, ctx: &Ctx<'_>, eflags: u32, len: i64) -> Option<SpyLine> {
        let (e, state) = (ctx.event, ctx.state);
        let thread = ctx.thread()?;
        let fd = state.cur_fd()?;
        let fdnum = state.cur.fd.map_or(-1, |(_, n)| n);
        let data = self.data.clone();
        let mut v = Vec::new();
        if !matches!(data.write(ctx, &mut v, &mut self.scratch), Ok(true)) {
            return None;
        }
        let mut v = v.as_slice();
        if let Some(rest) = v.strip_prefix(b"\n") {
            v = rest;
        }
        if let Some(rest) = v.strip_suffix(b"\n") {
            v = rest;
        }
        let tc = fd.type_char() as char;
        let shown = match &state.port_names {
            Some(ports) => ports.fd_name(fd, &fd.name),
            None => std::borrow::Cow::Borrowed(fd.name.as_slice()),
        };
        let name = scap_common::state::paths::sanitize(&shown);
        let container = if thread.container_id.is_empty() { None } else { state.containers.get(&thread.container_id) };
        let mut o = Vec::with_capacity(160 + v.len());
        o.push(b'{');
        let key = |o: &mut Vec<u8>, k: &str| {
            if o.len() > 1 {
                o.push(b',');
            }
            o.push(b'"');
            o.extend_from_slice(k.as_bytes());
            o.extend_from_slice(b"\":");
        };
        if let Some(c) = container.filter(|c| !c.name.is_empty()) {
            key(&mut o, "c");
            push_str(&mut o, c.name.as_bytes());
        }
        if eflags & flags::READS_FROM_FD != 0 {
            key(&mut o, "d");
            o.extend_from_slice(b"\"<\"");
        } else if eflags & flags::WRITES_TO_FD != 0 {
            key(&mut o, "d");
            o.extend_from_slice(b"\">\"");
        }
        key(&mut o, "f");
        let mut f = format!("{fdnum}(<{tc}>").into_bytes();
        f.extend_from_slice(&name);
        f.push(b')');
        push_str(&mut o, &f);
        key(&mut o, "fd");
        push_str(&mut o, fdnum.to_string().as_bytes());
        if !name.is_empty() {
            key(&mut o, "fn");
            push_str(&mut o, &name);
        }
        key(&mut o, "ft");
        push_str(&mut o, tc.to_string().as_bytes());
        key(&mut o, "l");
        push_str(&mut o, len.to_string().as_bytes());
        key(&mut o, "p");
        push_str(&mut o, &thread.comm);
        key(&mut o, "ta");
        push_str(&mut o, e.ts.to_string().as_bytes());
        key(&mut o, "td");
        push_str(&mut o, e.ts.wrapping_sub(state.first_ts.unwrap_or(0)).to_string().as_bytes());
        key(&mut o, "v");
        push_str(&mut o, v);
        o.push(b'}');
        Some(SpyLine { text: String::from_utf8_lossy(&o).into_owned(), fields: Vec::new() })
    }
}

/// Removes terminal control characters from text shown on screen (names and data are
/// attacker-controlled); newlines and tabs stay.
pub fn sanitize(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}
