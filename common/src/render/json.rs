//! JSON text written the way sysdig's JSON library (jsoncpp 1.9) writes it, so `-j` output
//! matches byte for byte: object keys sorted bytewise, `/` unescaped, control characters as
//! `\u00XX`, and bytes above ASCII decoded as UTF-8 (leniently) and written as `\uXXXX` escapes.

/// Appends `s` as a JSON string. Like jsoncpp, the string ends at its first NUL.
pub fn push_str(out: &mut Vec<u8>, s: &[u8]) {
    let s = crate::state::paths::until_nul(s);
    out.push(b'"');
    if !s.iter().any(|&c| c == b'\\' || c == b'"' || !(0x20..=0x7f).contains(&c)) {
        out.extend_from_slice(s);
        out.push(b'"');
        return;
    }
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                let (cp, used) = decode(&s[i..]);
                i += used - 1;
                if cp < 0x20 {
                    push_u(out, cp);
                } else if cp < 0x80 {
                    out.push(cp as u8);
                } else if cp < 0x10000 {
                    push_u(out, cp);
                } else {
                    let v = cp - 0x10000;
                    push_u(out, 0xd800 + ((v >> 10) & 0x3ff));
                    push_u(out, 0xdc00 + (v & 0x3ff));
                }
            }
        }
        i += 1;
    }
    out.push(b'"');
}

fn push_u(out: &mut Vec<u8>, v: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((v >> shift) & 0xf) as usize]);
    }
}

/// jsoncpp's lenient UTF-8 decoding: (code point, bytes consumed). Continuation bytes are not
/// checked; short or overlong sequences give U+FFFD.
fn decode(s: &[u8]) -> (u32, usize) {
    const REPLACEMENT: u32 = 0xfffd;
    let first = u32::from(s[0]);
    let cont = |i: usize| u32::from(s[i]) & 0x3f;
    if first < 0x80 {
        return (first, 1);
    }
    if first < 0xe0 {
        if s.len() < 2 {
            return (REPLACEMENT, 1);
        }
        let cp = ((first & 0x1f) << 6) | cont(1);
        return (if cp < 0x80 { REPLACEMENT } else { cp }, 2);
    }
    if first < 0xf0 {
        if s.len() < 3 {
            return (REPLACEMENT, 1);
        }
        let cp = ((first & 0x0f) << 12) | (cont(1) << 6) | cont(2);
        if (0xd800..=0xdfff).contains(&cp) {
            return (REPLACEMENT, 3);
        }
        return (if cp < 0x800 { REPLACEMENT } else { cp }, 3);
    }
    if first < 0xf8 {
        if s.len() < 4 {
            return (REPLACEMENT, 1);
        }
        let cp = ((first & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        return (if cp < 0x10000 { REPLACEMENT } else { cp }, 4);
    }
    (REPLACEMENT, 1)
}

/// A JSON value as sysdig builds them for `-j` output.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    Uint(u64),
    /// `true` or `false`.
    Bool(bool),
    /// A string (bytes; written as jsoncpp writes them).
    Str(Vec<u8>),
    /// An array.
    Array(Vec<Json>),
    /// An object; keys are sorted when written.
    Object(Vec<(Vec<u8>, Json)>),
}

impl Json {
    /// Appends the value as compact JSON.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Int(v) => crate::state::push_i64(out, *v),
            Json::Uint(v) => crate::state::push_u64(out, *v),
            Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Json::Str(s) => push_str(out, s),
            Json::Array(items) => {
                out.push(b'[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    it.write(out);
                }
                out.push(b']');
            }
            Json::Object(members) => {
                let mut sorted: Vec<&(Vec<u8>, Json)> = members.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                out.push(b'{');
                for (i, (k, v)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    push_str(out, k);
                    out.push(b':');
                    v.write(out);
                }
                out.push(b'}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(b: &[u8]) -> String {
        let mut o = Vec::new();
        push_str(&mut o, b);
        String::from_utf8(o).expect("utf8")
    }

    #[test]
    fn strings_escape_like_jsoncpp() {
        assert_eq!(s(b"a/b"), "\"a/b\"");
        assert_eq!(s(b"q\"\\\n\x01"), "\"q\\\"\\\\\\n\\u0001\"");
        assert_eq!(s("é".as_bytes()), "\"\\u00e9\"");
        assert_eq!(s(b"\xff"), "\"\\ufffd\"");
        assert_eq!(s(b"ab\0cd"), "\"ab\"");
    }

    #[test]
    fn objects_sort_keys() {
        let o = Json::Object(vec![(b"b".to_vec(), Json::Int(-1)), (b"a".to_vec(), Json::Uint(2))]);
        let mut out = Vec::new();
        o.write(&mut out);
        assert_eq!(out, b"{\"a\":2,\"b\":-1}");
    }
}
