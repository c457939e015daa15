//! Numbers as C's printf writes them in the formats libsinsp uses.

use crate::schema::PrintFormat;
use crate::state::{push_i64, push_u64};

/// Appends an integer the way libsinsp's parameter printing does: `v` is the value as C promotes
/// it (sign-extended), `bits` 32 for everything up to `int`, 64 for 64-bit parameters. Decimal is
/// signed (`%d`), octal gets a `0` prefix (`%#o`), hex is uppercase (`%X`), padded decimal has 9
/// digits (`%09d`).
pub fn c_int(out: &mut Vec<u8>, v: i64, bits: u32, pf: PrintFormat) {
    let (signed, unsigned) = if bits == 64 { (v, v as u64) } else { (i64::from(v as i32), u64::from(v as i32 as u32)) };
    match pf {
        PrintFormat::Oct => {
            if unsigned == 0 {
                out.push(b'0');
            } else {
                use std::io::Write;
                let _ = write!(out, "0{unsigned:o}");
            }
        }
        PrintFormat::Hex => {
            use std::io::Write;
            let _ = write!(out, "{unsigned:X}");
        }
        PrintFormat::PaddedDec => padded(out, signed, 9),
        _ => push_i64(out, signed),
    }
}

/// Appends `%0<width>d`.
pub fn padded(out: &mut Vec<u8>, v: i64, width: usize) {
    let mut digits = Vec::with_capacity(20);
    push_u64(&mut digits, v.unsigned_abs());
    let sign = usize::from(v < 0);
    if v < 0 {
        out.push(b'-');
    }
    for _ in digits.len() + sign..width {
        out.push(b'0');
    }
    out.extend_from_slice(&digits);
}

/// Appends a double as `%g` writes it (6 significant digits, trailing zeros dropped).
pub fn push_g(out: &mut Vec<u8>, x: f64) {
    out.extend_from_slice(format_g(x, 6).as_bytes());
}

/// `%.<prec>g`.
pub fn format_g(x: f64, prec: usize) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let p = prec.max(1);
    let sci = format!("{:.*e}", p - 1, x);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: i64, bits: u32, pf: PrintFormat) -> String {
        let mut o = Vec::new();
        c_int(&mut o, v, bits, pf);
        String::from_utf8(o).expect("utf8")
    }

    #[test]
    fn printf_formats() {
        assert_eq!(c(0o666, 32, PrintFormat::Oct), "0666");
        assert_eq!(c(0, 32, PrintFormat::Oct), "0");
        assert_eq!(c(0x55db0de73000, 64, PrintFormat::Hex), "55DB0DE73000");
        assert_eq!(c(-1, 32, PrintFormat::Dec), "-1");
        assert_eq!(c(i64::from(u32::MAX as i32), 32, PrintFormat::Hex), "FFFFFFFF");
        assert_eq!(c(5, 64, PrintFormat::PaddedDec), "000000005");
    }

    #[test]
    fn g_format() {
        assert_eq!(format_g(0.001, 6), "0.001");
        assert_eq!(format_g(1e-6, 6), "1e-06");
        assert_eq!(format_g(1.5, 6), "1.5");
        assert_eq!(format_g(123456789.0, 6), "1.23457e+08");
        assert_eq!(format_g(100000.0, 6), "100000");
        assert_eq!(format_g(0.000123456, 6), "0.000123456");
    }
}
