//! How table cells are shown: as csysdig's JSON output writes them (`json`), as its screen and
//! `--raw` output print them (`nice`), and as row keys (`key_text`).
//!
//! The rules are csysdig's, including its quirks, because `-j` output is compared with it:
//! - in JSON, integers are written as plain numbers whatever the column's print format, and an
//!   `AVG` of integers is written as the sum (only `DOUBLE` and `RELTIME` cells are divided by
//!   their sample count);
//! - `TIME_AVG` cells are divided by the length of the sample in seconds;
//! - doubles are written with 17 significant digits, as JsonCpp writes them;
//! - on screen, bytes and counts shrink to `K`, `M`, `G`... and times to `us`, `ms`, `s`.

use scap_common::schema::{ParamType, PrintFormat};

use super::cell::{Slot, Val};
use super::{Aggregation, ColumnSpec};

const ONE_SECOND: u64 = 1_000_000_000;

/// A JSON value as csysdig writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// A number, already formatted.
    Number(String),
    /// A string.
    Text(Vec<u8>),
    /// `true` or `false`.
    Bool(bool),
}

impl Json {
    /// Appends the value as JSON text.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Number(n) => out.push_str(n),
            Json::Text(t) => quote(t, out),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }
}

/// The sample count a cell is divided by when shown: its own count, or for `TIME_AVG` columns the
/// sample's length in seconds (`time_delta_ns` is 0 when there is none).
fn divisor(col: &ColumnSpec, slot: &Slot, time_delta_ns: u64) -> f64 {
    let time_avg = col.aggregation == Aggregation::TimeAvg || col.merge_aggregation == Aggregation::TimeAvg;
    if time_avg && time_delta_ns != 0 {
        time_delta_ns as f64 / ONE_SECOND as f64
    } else {
        f64::from(slot.cnt)
    }
}

/// A cell as csysdig's `-j` output writes it.
pub fn json(col: &ColumnSpec, slot: &Slot, time_delta_ns: u64) -> Json {
    let cnt = divisor(col, slot, time_delta_ns);
    match col.ptype {
        ParamType::Reltime => {
            let mut v = slot.val.as_f64();
            if cnt > 1.0 {
                v /= cnt;
            }
            Json::Text(format_time(v as i64 as u64, 10).into_bytes())
        }
        ParamType::Double => {
            let mut v = slot.val.as_f64();
            if cnt > 1.0 {
                v /= cnt;
            }
            Json::Number(json_double(v))
        }
        ParamType::Bool => Json::Bool(slot.val.as_f64() != 0.0),
        _ => match &slot.val {
            Val::Int(v) => Json::Number(v.to_string()),
            Val::Uint(v) => Json::Number(v.to_string()),
            Val::Double(v) => Json::Number(json_double(*v)),
            Val::Bytes(_) => Json::Text(key_text(col.ptype, &slot.val).into_bytes()),
        },
    }
}

/// A value as csysdig prints a row key (and as a drill-down filter compares it).
pub fn key_text(ptype: ParamType, val: &Val) -> String {
    match val {
        Val::Int(v) => v.to_string(),
        Val::Uint(v) => {
            if ptype == ParamType::Bool {
                (if *v != 0 { "true" } else { "false" }).to_string()
            } else {
                v.to_string()
            }
        }
        Val::Double(v) => format!("{v:.1}"),
        Val::Bytes(b) => match ptype {
            ParamType::Ipv4Addr | ParamType::Ipv6Addr | ParamType::IpAddr | ParamType::IpNet => ip_text(b),
            _ => {
                let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                String::from_utf8_lossy(&b[..end]).into_owned()
            }
        },
    }
}

/// An address of 4 or 16 bytes as `inet_ntop` writes it.
pub fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => "<NA>".to_string(),
    }
}

/// A cell as csysdig shows it on screen and in `--raw` output, `width` characters wide.
pub fn nice(col: &ColumnSpec, slot: &Slot, width: usize, time_delta_ns: u64) -> String {
    let cnt = divisor(col, slot, time_delta_ns);
    let id = col.fmt == PrintFormat::Id;
    match (&slot.val, col.ptype) {
        (Val::Double(v), ParamType::Double) => {
            let v = if cnt > 1.0 { v / cnt } else { *v };
            format!("{v:>width$.2}")
        }
        (_, ParamType::Reltime) => {
            let mut v = slot.val.as_f64();
            if cnt > 1.0 {
                v /= cnt;
            }
            format_time(v as i64 as u64, width)
        }
        (Val::Int(_) | Val::Uint(_), t) if is_integer(t) => {
            let raw = match slot.val {
                Val::Int(v) => v,
                Val::Uint(v) => v as i64,
                _ => 0,
            };
            if id || cnt == 1.0 || cnt == 0.0 {
                let v = if cnt > 1.0 { raw / cnt as i64 } else { raw };
                if id {
                    format!("{v:>width$}")
                } else {
                    format_bytes(v as f64, width, true)
                }
            } else {
                let v = if cnt > 1.0 { raw as f64 / cnt } else { raw as f64 };
                format_bytes(v, width, false)
            }
        }
        _ => key_text(col.ptype, &slot.val),
    }
}

fn is_integer(t: ParamType) -> bool {
    use ParamType as P;
    matches!(t, P::Int8 | P::Int16 | P::Int32 | P::Int64 | P::Uint8 | P::Uint16 | P::Uint32 | P::Uint64)
}

/// A number shrunk with a unit letter (`K`, `M`, `G`, `T`, `P`, powers of 1024), right-aligned in
/// `width`; when it does not fit, its last `width` characters.
pub fn format_bytes(val: f64, width: usize, is_int: bool) -> String {
    const K: f64 = 1024.0;
    let units = [(K * K * K * K * K, 'P'), (K * K * K * K, 'T'), (K * K * K, 'G'), (K * K, 'M'), (K, 'K')];
    let prec = if is_int { 0 } else { 2 };
    let mut s = match units.iter().find(|(limit, _)| val > *limit) {
        Some((limit, unit)) => {
            let w = width.saturating_sub(1);
            format!("{:>w$.prec$}{unit}", val / limit)
        }
        None => format!("{val:>width$.prec$}"),
    };
    if s.len() > width {
        s = s[s.len() - width..].to_string();
    }
    s
}

/// A duration in ns, shown with the largest fitting unit (`1.10s`, `13us`, `2:05`), right-aligned.
pub fn format_time(val: u64, width: usize) -> String {
    const MS: u64 = 1_000_000;
    const US: u64 = 1_000;
    let u32_of = |v: u64| v as u32;
    let s = if val >= 3600 * ONE_SECOND {
        format!(
            "{:02}:{:02}:{:02}",
            u32_of(val / (3600 * ONE_SECOND)),
            u32_of((val / (60 * ONE_SECOND)) % 60),
            u32_of((val / ONE_SECOND) % 60)
        )
    } else if val >= 60 * ONE_SECOND {
        format!("{}:{}", u32_of(val / (60 * ONE_SECOND)), u32_of((val / ONE_SECOND) % 60))
    } else if val >= ONE_SECOND {
        format!("{}.{:02}s", u32_of(val / ONE_SECOND), u32_of((val % ONE_SECOND) / 10_000_000))
    } else if val >= ONE_SECOND / 100 {
        format!("{}ms", u32_of(val / MS))
    } else if val >= ONE_SECOND / 1000 {
        format!("{}.{:02}ms", u32_of(val / MS), u32_of((val % MS) / 10_000))
    } else if val >= ONE_SECOND / 100_000 {
        format!("{}us", u32_of(val / US))
    } else if val >= ONE_SECOND / 1_000_000 {
        format!("{}.{:02}us", u32_of(val / US), u32_of((val % US) / 10))
    } else {
        format!("{}ns", u32_of(val))
    };
    format!("{s:>width$}")
}

/// A double as JsonCpp writes it: `%.17g`, with `.0` added when that looks like an integer.
pub fn json_double(v: f64) -> String {
    if v.is_nan() {
        return "null".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "1e+9999".to_string() } else { "-1e+9999".to_string() };
    }
    let mut s = format_g(v, 17);
    if !s.contains(['.', 'e']) {
        s.push_str(".0");
    }
    s
}

/// C's `%.{precision}g`.
pub fn format_g(v: f64, precision: usize) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".to_string() } else { "0".to_string() };
    }
    let p = precision.max(1);
    let sci = format!("{:.*e}", p - 1, v);
    let Some((mantissa, exp)) = sci.split_once('e') else { return sci };
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let m = trim_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Appends bytes as a JSON string the way JsonCpp does: `"` and `\` escaped, control characters
/// as `\n`-style or `\u00XX` escapes, everything outside ASCII as `\uXXXX` (invalid UTF-8 as
/// U+FFFD).
pub fn quote(bytes: &[u8], out: &mut String) {
    out.push('"');
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ptype: ParamType, fmt: PrintFormat, aggregation: Aggregation) -> ColumnSpec {
        ColumnSpec {
            name: "X".into(),
            field: "x".into(),
            ptype,
            fmt,
            aggregation,
            merge_aggregation: Aggregation::None,
            size: 10,
        }
    }

    fn json_text(j: Json) -> String {
        let mut s = String::new();
        j.write(&mut s);
        s
    }

    #[test]
    fn times_are_shown_like_csysdig() {
        assert_eq!(format_time(0, 10), "       0ns");
        assert_eq!(format_time(694, 10), "     694ns");
        assert_eq!(format_time(2_650, 10), "    2.65us");
        assert_eq!(format_time(13_000, 10), "      13us");
        assert_eq!(format_time(4_150_000, 0), "4.15ms");
        assert_eq!(format_time(1_100_000_000, 0), "1.10s");
        assert_eq!(format_time(125 * ONE_SECOND, 0), "2:5");
        assert_eq!(format_time(3725 * ONE_SECOND, 0), "01:02:05");
    }

    #[test]
    fn bytes_shrink_with_units() {
        assert_eq!(format_bytes(1000.0, 8, true), "    1000");
        assert_eq!(format_bytes(236228608.0, 9, true), "     225M");
        assert_eq!(format_bytes(24.333, 10, false), "     24.33");
        assert_eq!(format_bytes(2048.0, 3, true), " 2K");
        assert_eq!(format_bytes(123456789.0, 3, false), "74M");
    }

    #[test]
    fn doubles_as_jsoncpp_writes_them() {
        assert_eq!(json_double(0.0), "0.0");
        assert_eq!(json_double(0.5), "0.5");
        assert_eq!(json_double(0.0009), "0.00089999999999999998");
        assert_eq!(json_double(3.0), "3.0");
        assert_eq!(json_double(1e20), "1e+20");
        assert_eq!(json_double(0.00001), "1.0000000000000001e-05");
        assert_eq!(json_double(123456.785), "123456.785");
    }

    #[test]
    fn json_integers_are_raw_even_when_averaged() {
        let c = col(ParamType::Uint64, PrintFormat::Dec, Aggregation::Avg);
        assert_eq!(json_text(json(&c, &Slot { val: Val::Uint(90), cnt: 3 }, 0)), "90");
        let t = col(ParamType::Reltime, PrintFormat::Dec, Aggregation::Avg);
        assert_eq!(json_text(json(&t, &Slot { val: Val::Uint(4150), cnt: 12 }, 0)), "\"     345ns\"");
        let d = col(ParamType::Double, PrintFormat::Na, Aggregation::Avg);
        assert_eq!(json_text(json(&d, &Slot { val: Val::Double(1.0), cnt: 4 }, 0)), "0.25");
        let ta = col(ParamType::Uint32, PrintFormat::Dec, Aggregation::TimeAvg);
        assert_eq!(json_text(json(&ta, &Slot::one(Val::Uint(73)), 3_000_000_000)), "73");
        assert_eq!(nice(&ta, &Slot::one(Val::Uint(73)), 10, 3_000_000_000), "     24.33");
    }

    #[test]
    fn strings_are_escaped_like_jsoncpp() {
        let mut s = String::new();
        quote(b"a\"b\\c\n\x01\xc3\xa9", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\\u00e9\"");
    }

    #[test]
    fn keys_and_addresses() {
        assert_eq!(key_text(ParamType::IpAddr, &Val::Bytes(vec![127, 0, 0, 1])), "127.0.0.1");
        let mut v6 = vec![0u8; 16];
        v6[15] = 1;
        assert_eq!(key_text(ParamType::IpAddr, &Val::Bytes(v6)), "::1");
        assert_eq!(key_text(ParamType::Charbuf, &Val::Bytes(b"open\0".to_vec())), "open");
        assert_eq!(key_text(ParamType::Int64, &Val::Int(-3)), "-3");
    }
}
