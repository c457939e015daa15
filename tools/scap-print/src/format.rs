//! `-p` formats: literal text and `%field` tokens with optional widths, parsed as sysdig parses
//! them, and the lines (or JSON objects) they produce for an event.

use std::cell::RefCell;

use scap_common::fields::{flag, Ctx, FieldError, FieldRef, RenderError, WriteFn};
use scap_common::render::json::Json;
use scap_common::render::Scratch;
use scap_common::state::paths::find_nul;

/// sysdig's default line when stdout is not a terminal.
pub const DEFAULT_FORMAT: &str =
    "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";

/// sysdig's default line on a terminal (with colors and the process id).
pub const DEFAULT_TTY_FORMAT: &str = "*%evt.num %evt.outputtime %evt.cpu \x1b[01;32m%proc.name\x1b[00m (\x1b[01;36m%proc.pid\x1b[00m.%thread.tid) %evt.dir \x1b[01;34m%evt.type\x1b[00m %evt.info";

/// The container-friendly line (`-pc`).
pub const CONTAINER_FORMAT: &str = "*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";

/// The Kubernetes-friendly line (`-pk`).
pub const K8S_FORMAT: &str = "*%evt.num %evt.outputtime %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";

/// One piece of a format.
#[derive(Clone, Debug)]
pub enum Token {
    /// Text printed as is.
    Literal(Vec<u8>),
    /// A field, its name as written (the JSON key), and a width (0: as long as it is).
    Field {
        /// The resolved field.
        field: FieldRef,
        /// The field as written in the format.
        key: String,
        /// Pad or cut to this many bytes; 0 leaves the value as is.
        width: usize,
        /// The last text of a `STICKY` field (formats print through `&self`).
        last: RefCell<Vec<u8>>,
        /// How the field's text is written when it has a direct writer
        /// (`FieldRef::direct_writer`), and whether that text may hold a NUL.
        direct: Option<(WriteFn, bool)>,
        /// Whether the field is `STICKY`.
        sticky: bool,
    },
}

/// Why a format does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The format is empty.
    #[error("empty format")]
    Empty,
    /// A `%` ends the format.
    #[error("invalid format: it cannot end with a %")]
    TrailingPercent,
    /// A width ends the format.
    #[error("invalid format: it cannot end with a number")]
    TrailingWidth,
    /// A `%` is not followed by a known field.
    #[error("invalid format token at byte {at}: {source}")]
    Field {
        /// Byte offset of the token in the format.
        at: usize,
        /// What is wrong with it.
        source: FieldError,
    },
}

/// A parsed format.
#[derive(Clone, Debug)]
pub struct Format {
    /// The tokens in order.
    pub tokens: Vec<Token>,
    /// Whether every field must have a value for the line to print (no leading `*`).
    pub require_all: bool,
    /// How a text line is written: the tokens as steps of literal text then a field.
    steps: Vec<Step>,
}

/// Literal text of a format. Short pieces (most: a space, " (", ") ") are kept padded to eight
/// bytes and appended with a copy of constant size, done inline, rather than a library call.
#[derive(Clone, Debug)]
enum Text {
    Short([u8; 8], usize),
    Long(Vec<u8>),
}

impl Text {
    fn new(b: &[u8]) -> Text {
        if b.len() <= 8 {
            let mut a = [0u8; 8];
            a[..b.len()].copy_from_slice(b);
            Text::Short(a, b.len())
        } else {
            Text::Long(b.to_vec())
        }
    }

    #[inline]
    fn append(&self, out: &mut Vec<u8>) {
        match self {
            Text::Short(_, 0) => {}
            Text::Short(a, n) => {
                let len = out.len();
                out.extend_from_slice(a);
                out.truncate(len + n);
            }
            Text::Long(v) => out.extend_from_slice(v),
        }
    }
}

/// One step of a text line: the literal text before a field, then the field (none after the
/// last field), with what `write_line` needs of its token at hand.
#[derive(Clone, Debug)]
struct Step {
    text: Text,
    field: Option<FieldStep>,
}

#[derive(Clone, Debug)]
struct FieldStep {
    field: FieldRef,
    width: usize,
    direct: Option<(WriteFn, bool)>,
    sticky: bool,
    /// The token, whose `last` a sticky field uses.
    token: usize,
}

/// The steps that write `tokens`.
fn plan(tokens: &[Token]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut text = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Literal(s) => text.extend_from_slice(s),
            Token::Field { field, width, direct, sticky, .. } => {
                let field =
                    FieldStep { field: field.clone(), width: *width, direct: *direct, sticky: *sticky, token: i };
                steps.push(Step { text: Text::new(&text), field: Some(field) });
                text.clear();
            }
        }
    }
    if !text.is_empty() {
        steps.push(Step { text: Text::new(&text), field: None });
    }
    steps
}

/// Turns `\n`, `\t`, `\e` and `\\` into the characters sysdig's command line turns them into.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('e') => {
                out.push('\x1b');
                chars.next();
            }
            Some('\\') => {
                out.push('\\');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

impl Format {
    /// Parses a format (already unescaped) the way sysdig's event formatter does.
    pub fn parse(fmt: &str) -> Result<Format, FormatError> {
        if fmt.is_empty() {
            return Err(FormatError::Empty);
        }
        let (require_all, body) = match fmt.strip_prefix('*') {
            Some(rest) => (false, rest),
            None => (true, fmt),
        };
        let b = body.as_bytes();
        let mut tokens = Vec::new();
        let mut literal_start = 0;
        let mut j = 0;
        while j < b.len() {
            if b[j] != b'%' {
                j += 1;
                continue;
            }
            if literal_start != j {
                tokens.push(Token::Literal(b[literal_start..j].to_vec()));
            }
            if j == b.len() - 1 {
                return Err(FormatError::TrailingPercent);
            }
            let at = j;
            let mut k = j + 1;
            let mut width = 0usize;
            while k < b.len() && b[k].is_ascii_digit() {
                width = width.saturating_mul(10).saturating_add(usize::from(b[k] - b'0'));
                k += 1;
            }
            if k == b.len() {
                return Err(FormatError::TrailingWidth);
            }
            let rest = &body[k..];
            let (field, len) =
                FieldRef::parse_display_prefix(rest).map_err(|source| FormatError::Field { at: at + 1, source })?;
            tokens.push(Token::Field {
                direct: field.direct_writer(),
                sticky: field.info().flags & flag::STICKY != 0,
                field,
                key: rest[..len].to_string(),
                width: width.min(i32::MAX as usize),
                last: RefCell::new(Vec::new()),
            });
            j = k + len;
            literal_start = j;
        }
        if literal_start < b.len() {
            tokens.push(Token::Literal(b[literal_start..].to_vec()));
        }
        let steps = plan(&tokens);
        Ok(Format { tokens, require_all, steps })
    }

    /// Appends the line for an event (without the newline). Returns `Ok(false)` when a field
    /// has no value and the format requires all of them: sysdig prints nothing then.
    pub fn write_line(&self, ctx: &Ctx<'_>, out: &mut Vec<u8>, scratch: &mut Scratch) -> Result<bool, RenderError> {
        let mut ok = true;
        for step in &self.steps {
            step.text.append(out);
            let Some(f) = &step.field else { continue };
            let start = out.len();
            let (mut has, may_nul) = match f.direct {
                Some((w, may_nul)) => (w(ctx, &f.field.arg, out, scratch), may_nul),
                None => (f.field.write(ctx, out, scratch)?, true),
            };
            if f.sticky {
                if let Some(Token::Field { last, .. }) = self.tokens.get(f.token) {
                    if has {
                        let mut last = last.borrow_mut();
                        last.clear();
                        last.extend_from_slice(&out[start..]);
                    } else {
                        out.extend_from_slice(&last.borrow());
                        has = true;
                    }
                }
            }
            if !has {
                if self.require_all {
                    ok = false;
                    continue;
                }
                out.extend_from_slice(b"<NA>");
            }
            // Values are C strings to sysdig: they end at a NUL.
            if may_nul || f.sticky {
                if let Some(nul) = find_nul(&out[start..]) {
                    out.truncate(start + nul);
                }
            }
            if f.width != 0 {
                out.resize(start + f.width, b' ');
            }
        }
        Ok(ok)
    }

    /// Appends the JSON object for an event. Returns `Ok(false)` when the line is dropped.
    /// Like sysdig, every field is evaluated (a value that cannot be rendered is an error even
    /// after the line is known to be dropped).
    pub fn write_json(&self, ctx: &Ctx<'_>, out: &mut Vec<u8>, scratch: &mut Scratch) -> Result<bool, RenderError> {
        let mut members: Vec<(Vec<u8>, Json)> = Vec::with_capacity(self.tokens.len());
        let mut dropped = false;
        for t in &self.tokens {
            let Token::Field { field, key, last, .. } = t else { continue };
            let mut v = field.json(ctx, scratch)?;
            if field.info().flags & flag::STICKY != 0 {
                match &v {
                    Json::Str(s) => {
                        let mut last = last.borrow_mut();
                        last.clear();
                        last.extend_from_slice(s);
                    }
                    Json::Null => v = Json::Str(last.borrow().clone()),
                    _ => {}
                }
            }
            if dropped {
                continue;
            }
            if v == Json::Null && self.require_all {
                dropped = true;
                continue;
            }
            match members.iter_mut().find(|(k, _)| k.as_slice() == key.as_bytes()) {
                Some(m) => m.1 = v,
                None => members.push((key.as_bytes().to_vec(), v)),
            }
        }
        if dropped {
            return Ok(false);
        }
        Json::Object(members).write(out);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_nul_finds_the_first_nul_anywhere() {
        for len in 0..40 {
            let mut v = vec![0xffu8; len];
            assert_eq!(find_nul(&v), None);
            for at in 0..len {
                v[at] = 0;
                assert_eq!(find_nul(&v), Some(at));
                v[len - 1] = 0;
                assert_eq!(find_nul(&v), Some(at));
                v.fill(0x80);
            }
        }
    }

    fn keys(f: &Format) -> Vec<String> {
        f.tokens
            .iter()
            .map(|t| match t {
                Token::Literal(s) => format!("'{}'", String::from_utf8_lossy(s)),
                Token::Field { key, width, .. } => format!("{key}/{width}"),
            })
            .collect()
    }

    #[test]
    fn parses_like_sysdig() {
        let f = Format::parse(DEFAULT_FORMAT).expect("parses");
        assert!(!f.require_all);
        assert_eq!(keys(&f)[7..10], ["' ('", "thread.tid/0", "') '"]);
        let f = Format::parse("%10proc.name|%evt.arg.fd").expect("parses");
        assert!(f.require_all);
        assert_eq!(keys(&f), ["proc.name/10", "'|'", "evt.arg.fd/0"]);
        assert_eq!(Format::parse("x%").err(), Some(FormatError::TrailingPercent));
        assert!(matches!(Format::parse("%nope"), Err(FormatError::Field { at: 1, .. })));
        assert!(matches!(Format::parse("%fd.ip"), Err(FormatError::Field { .. })));
    }

    #[test]
    fn unescapes_like_sysdig() {
        assert_eq!(unescape(r"a\tb\nc\\d\x"), "a\tb\nc\\d\\x");
    }
}
