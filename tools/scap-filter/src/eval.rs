//! Typed comparisons: a constant parsed once to the field's type, tested against a field value.
//!
//! The semantics are sysdig's: a field with no value fails every test (so `proc.name!=x` is false
//! where `proc.name` is `<NA>`, and `not proc.name=x` is true); strings compare like C strings (up
//! to the first NUL byte); numbers compare as signed or unsigned by the field's type.

use std::borrow::Cow;
use std::collections::HashSet;

use scap_common::fields::Value;

/// An ordering or equality operator on numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl NumOp {
    #[inline]
    pub(crate) fn test<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            NumOp::Eq => a == b,
            NumOp::Ne => a != b,
            NumOp::Lt => a < b,
            NumOp::Le => a <= b,
            NumOp::Gt => a > b,
            NumOp::Ge => a >= b,
        }
    }
}

/// A string operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StrOp {
    Num(NumOp),
    Contains,
    IContains,
    StartsWith,
    EndsWith,
    Glob,
}

/// An IP network: an address (4 or 16 bytes, network order) and a prefix length in bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Net {
    pub addr: Vec<u8>,
    pub prefix: u32,
}

impl Net {
    /// Whether an address (4 or 16 bytes) is inside the network.
    pub(crate) fn contains(&self, ip: &[u8]) -> bool {
        if ip.len() != self.addr.len() {
            return false;
        }
        let full = (self.prefix / 8) as usize;
        if ip[..full.min(ip.len())] != self.addr[..full.min(ip.len())] {
            return false;
        }
        let rest = self.prefix % 8;
        if rest == 0 || full >= ip.len() {
            return true;
        }
        let mask = 0xffu8 << (8 - rest);
        ip[full] & mask == self.addr[full] & mask
    }
}

/// A compiled test against one field value.
#[derive(Clone, Debug)]
pub(crate) enum Cmp {
    /// `exists`: any value passes.
    Exists,
    /// Signed numbers.
    Signed(NumOp, i64),
    /// Signed numbers, `in`.
    SignedIn(Vec<i64>),
    /// Unsigned numbers (booleans are 0 and 1).
    Unsigned(NumOp, u64),
    /// Unsigned numbers, `in`.
    UnsignedIn(Vec<u64>),
    /// Floating point numbers.
    Double(NumOp, f64),
    /// Floating point numbers, `in`.
    DoubleIn(Vec<f64>),
    /// Text, compared like C strings.
    Str(StrOp, Vec<u8>),
    /// Text, `in` (a few values: linear scan).
    StrIn(Vec<Vec<u8>>),
    /// Text, `in` (many values).
    StrSet(HashSet<Vec<u8>>),
    /// Paths under one of these, compared by components.
    Pmatch(Vec<Vec<Vec<u8>>>),
    /// Raw bytes: `=`, `!=`, `contains`, `startswith`, `endswith`.
    Bytes(StrOp, Vec<u8>),
    /// Raw bytes, `in`.
    BytesIn(Vec<Vec<u8>>),
    /// IP addresses: equal to one of these (`!=`: equal to none).
    Ip { negate: bool, addrs: Vec<Vec<u8>> },
    /// IP networks: inside one of these (`!=`: inside none).
    Net { negate: bool, nets: Vec<Net> },
}

impl Cmp {
    /// Tests a value. Callers pass `None` as "no value", which fails.
    #[inline]
    pub(crate) fn test(&self, v: &Value<'_>) -> bool {
        match self {
            Cmp::Exists => true,
            Cmp::Signed(op, rhs) => signed(v).is_some_and(|x| op.test(x, *rhs)),
            Cmp::SignedIn(list) => signed(v).is_some_and(|x| list.contains(&x)),
            Cmp::Unsigned(op, rhs) => unsigned(v).is_some_and(|x| op.test(x, *rhs)),
            Cmp::UnsignedIn(list) => unsigned(v).is_some_and(|x| list.contains(&x)),
            Cmp::Double(op, rhs) => double(v).is_some_and(|x| op.test(x, *rhs)),
            Cmp::DoubleIn(list) => double(v).is_some_and(|x| list.contains(&x)),
            Cmp::Str(op, rhs) => str_test(*op, cstr(&text(v)), rhs),
            Cmp::StrIn(list) => {
                let t = text(v);
                let s = cstr(&t);
                list.iter().any(|x| x.as_slice() == s)
            }
            Cmp::StrSet(set) => set.contains(cstr(&text(v))),
            Cmp::Pmatch(prefixes) => pmatch(prefixes, cstr(&text(v))),
            Cmp::Bytes(op, rhs) => str_test(*op, &text(v), rhs),
            Cmp::BytesIn(list) => {
                let t = text(v);
                list.iter().any(|x| x.as_slice() == &*t)
            }
            Cmp::Ip { negate, addrs } => match v {
                Value::Ip(ip) => addrs.iter().any(|a| a.as_slice() == &**ip) != *negate,
                _ => false,
            },
            Cmp::Net { negate, nets } => match v {
                Value::Ip(ip) => nets.iter().any(|n| n.contains(ip)) != *negate,
                _ => false,
            },
        }
    }
}

#[inline]
fn signed(v: &Value<'_>) -> Option<i64> {
    match v {
        Value::Int(x) => Some(*x),
        Value::Uint(x) => Some(*x as i64),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Double(d) => Some(*d as i64),
        Value::Str(s) => std::str::from_utf8(s).ok()?.trim().parse().ok(),
        Value::Ip(_) => None,
    }
}

#[inline]
fn unsigned(v: &Value<'_>) -> Option<u64> {
    match v {
        Value::Int(x) => Some(*x as u64),
        Value::Uint(x) => Some(*x),
        Value::Bool(b) => Some(u64::from(*b)),
        Value::Double(d) => Some(*d as u64),
        Value::Str(s) => std::str::from_utf8(s).ok()?.trim().parse().ok(),
        Value::Ip(_) => None,
    }
}

fn double(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Int(x) => Some(*x as f64),
        Value::Uint(x) => Some(*x as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Double(d) => Some(*d),
        Value::Str(s) => std::str::from_utf8(s).ok()?.trim().parse().ok(),
        Value::Ip(_) => None,
    }
}

/// The value as text: borrowed for strings, rendered otherwise.
#[inline]
fn text<'v>(v: &'v Value<'_>) -> Cow<'v, [u8]> {
    match v {
        Value::Str(s) => Cow::Borrowed(&**s),
        other => other.render(),
    }
}

/// A C string's view of bytes: up to the first NUL.
#[inline]
pub(crate) fn cstr(s: &[u8]) -> &[u8] {
    match s.iter().position(|&c| c == 0) {
        Some(end) => &s[..end],
        None => s,
    }
}

#[inline]
pub(crate) fn str_test(op: StrOp, s: &[u8], rhs: &[u8]) -> bool {
    match op {
        StrOp::Num(n) => n.test(s, rhs),
        StrOp::Contains => contains(s, rhs),
        StrOp::IContains => icontains(s, rhs),
        StrOp::StartsWith => s.starts_with(rhs),
        StrOp::EndsWith => s.ends_with(rhs),
        StrOp::Glob => crate::glob::glob_match(rhs, s),
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let first = needle[0];
    let last_start = match hay.len().checked_sub(needle.len()) {
        Some(n) => n,
        None => return false,
    };
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start].iter().position(|&c| c == first) {
            Some(off) => {
                let at = i + off;
                if &hay[at..at + needle.len()] == needle {
                    return true;
                }
                i = at + 1;
            }
            None => return false,
        }
    }
    false
}

fn icontains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Splits a path into its components, skipping empty ones (`//a/` is `[a]`).
pub(crate) fn path_components(p: &[u8]) -> Vec<Vec<u8>> {
    p.split(|&c| c == b'/').filter(|c| !c.is_empty()).map(<[u8]>::to_vec).collect()
}

/// Whether one of the prefixes (as components) begins the path.
fn pmatch(prefixes: &[Vec<Vec<u8>>], path: &[u8]) -> bool {
    prefixes.iter().any(|prefix| {
        let mut comps = path.split(|&c| c == b'/').filter(|c| !c.is_empty());
        prefix.iter().all(|want| comps.next() == Some(want.as_slice()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        let n = Net { addr: vec![10, 0, 0, 0], prefix: 8 };
        assert!(n.contains(&[10, 1, 2, 3]));
        assert!(!n.contains(&[11, 1, 2, 3]));
        let n = Net { addr: vec![192, 168, 1, 0], prefix: 23 };
        assert!(n.contains(&[192, 168, 0, 255]));
        assert!(!n.contains(&[192, 168, 2, 0]));
        let all = Net { addr: vec![0, 0, 0, 0], prefix: 0 };
        assert!(all.contains(&[1, 2, 3, 4]));
        assert!(!all.contains(&[0; 16]));
    }

    #[test]
    fn strings() {
        assert!(contains(b"/etc/passwd", b"pass"));
        assert!(!contains(b"/etc/pas", b"pass"));
        assert!(contains(b"abc", b""));
        assert!(icontains(b"/ETC/Passwd", b"passWD"));
        assert_eq!(cstr(b"ab\0cd"), b"ab");
        let p = vec![path_components(b"/var/run"), path_components(b"/etc")];
        assert!(pmatch(&p, b"/var/run/docker"));
        assert!(pmatch(&p, b"/etc"));
        assert!(!pmatch(&p, b"/var"));
        assert!(!pmatch(&p, b"/var/lib/x"));
        assert!(!pmatch(&p, b"/etcetera"));
        assert!(pmatch(&[path_components(b"/")], b"/anything"));
    }
}
