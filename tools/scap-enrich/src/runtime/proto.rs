//! Just enough protocol buffers for the CRI calls: writing strings and bools, reading fields.

/// Appends a varint.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a string field.
pub fn put_str(out: &mut Vec<u8>, field: u32, s: &str) {
    varint(out, u64::from(field) << 3 | 2);
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends a bool field.
pub fn put_bool(out: &mut Vec<u8>, field: u32, b: bool) {
    varint(out, u64::from(field) << 3);
    varint(out, u64::from(b));
}

/// A field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire<'a> {
    /// A varint.
    Int(u64),
    /// Length-delimited bytes: a string, bytes or a message.
    Bytes(&'a [u8]),
    /// A fixed 32 or 64-bit value.
    Fixed(u64),
}

impl<'a> Wire<'a> {
    /// The value as text.
    pub fn text(self) -> String {
        match self {
            Wire::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            _ => String::new(),
        }
    }

    /// The value as a message to read.
    pub fn message(self) -> &'a [u8] {
        match self {
            Wire::Bytes(b) => b,
            _ => &[],
        }
    }
}

fn read_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The fields of a message, in order: (number, value). Stops at the first malformed field.
pub fn fields(b: &[u8]) -> Vec<(u32, Wire<'_>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let Some(key) = read_varint(b, &mut pos) else { break };
        let field = (key >> 3) as u32;
        let value = match key & 7 {
            0 => match read_varint(b, &mut pos) {
                Some(v) => Wire::Int(v),
                None => break,
            },
            1 => match b.get(pos..pos + 8) {
                Some(x) => {
                    pos += 8;
                    Wire::Fixed(u64::from_le_bytes(x.try_into().unwrap_or([0; 8])))
                }
                None => break,
            },
            2 => {
                let Some(len) = read_varint(b, &mut pos) else { break };
                let Some(x) = b.get(pos..pos + len as usize) else { break };
                pos += len as usize;
                Wire::Bytes(x)
            }
            5 => match b.get(pos..pos + 4) {
                Some(x) => {
                    pos += 4;
                    Wire::Fixed(u64::from(u32::from_le_bytes(x.try_into().unwrap_or([0; 4]))))
                }
                None => break,
            },
            _ => break,
        };
        out.push((field, value));
    }
    out
}

/// The first value of field `n`.
pub fn field(b: &[u8], n: u32) -> Option<Wire<'_>> {
    fields(b).into_iter().find(|(f, _)| *f == n).map(|(_, v)| v)
}

/// A `map<string, string>` field: every entry of field `n`.
pub fn string_map(b: &[u8], n: u32) -> Vec<(String, String)> {
    fields(b)
        .into_iter()
        .filter(|(f, _)| *f == n)
        .map(|(_, entry)| {
            let e = entry.message();
            (field(e, 1).map(Wire::text).unwrap_or_default(), field(e, 2).map(Wire::text).unwrap_or_default())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut m = Vec::new();
        put_str(&mut m, 1, "abc");
        put_bool(&mut m, 2, true);
        let mut entry = Vec::new();
        put_str(&mut entry, 1, "k");
        put_str(&mut entry, 2, "v");
        varint(&mut m, 12 << 3 | 2);
        varint(&mut m, entry.len() as u64);
        m.extend_from_slice(&entry);
        assert_eq!(field(&m, 1).map(Wire::text).as_deref(), Some("abc"));
        assert_eq!(field(&m, 2), Some(Wire::Int(1)));
        assert_eq!(string_map(&m, 12), vec![("k".to_string(), "v".to_string())]);
        assert!(fields(&[0x0a, 0x05, b'a']).is_empty(), "a cut field is not read");
    }
}
