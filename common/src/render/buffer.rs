//! Data buffers (`BYTEBUF` parameters) in sysdig's formats: dots, ASCII, hex, hex+ASCII, base64.

/// How data buffers are shown: libsinsp's `param_fmt` bits, so combinations behave the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufFmt(pub u32);

impl BufFmt {
    /// Printable bytes as is, others as `.` (the default).
    pub const NORMAL: BufFmt = BufFmt(1 << 0);
    /// JSON output with data as in `NORMAL`.
    pub const JSON: BufFmt = BufFmt(1 << 1);
    /// No fd type character (used to name sockets).
    pub const SIMPLE: BufFmt = BufFmt(1 << 2);
    /// Hex dump (`-x`).
    pub const HEX: BufFmt = BufFmt(1 << 3);
    /// Hex and ASCII dump (`-X`).
    pub const HEX_ASCII: BufFmt = BufFmt(1 << 4);
    /// Printable bytes only, line breaks kept (`-A`).
    pub const EOLS: BufFmt = BufFmt(1 << 5);
    /// `EOLS` without the leading line break.
    pub const EOLS_COMPACT: BufFmt = BufFmt(1 << 6);
    /// Base64 (`-b`).
    pub const BASE64: BufFmt = BufFmt(1 << 7);
    /// JSON with `EOLS` data.
    pub const JSON_EOLS: BufFmt = BufFmt(1 << 8);
    /// JSON with hex data.
    pub const JSON_HEX: BufFmt = BufFmt(1 << 9);
    /// JSON with hex and ASCII data.
    pub const JSON_HEX_ASCII: BufFmt = BufFmt(1 << 10);
    /// JSON with base64 data.
    pub const JSON_BASE64: BufFmt = BufFmt(1 << 11);

    fn has(self, f: BufFmt) -> bool {
        self.0 & f.0 != 0
    }

    /// Whether this is one of the JSON formats.
    pub fn is_json(self) -> bool {
        self.has(BufFmt::JSON)
            || self.has(BufFmt::JSON_EOLS)
            || self.has(BufFmt::JSON_HEX)
            || self.has(BufFmt::JSON_HEX_ASCII)
            || self.has(BufFmt::JSON_BASE64)
    }

    /// The JSON variant of a buffer format (what `-j` turns it into).
    pub fn to_json(self) -> BufFmt {
        match self {
            BufFmt::NORMAL => BufFmt::JSON,
            BufFmt::EOLS => BufFmt::JSON_EOLS,
            BufFmt::HEX => BufFmt::JSON_HEX,
            BufFmt::HEX_ASCII => BufFmt::JSON_HEX_ASCII,
            BufFmt::BASE64 => BufFmt::JSON_BASE64,
            other => other,
        }
    }
}

fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// Appends a buffer rendered in `fmt`.
pub fn render(out: &mut Vec<u8>, src: &[u8], fmt: BufFmt) {
    if src.is_empty() {
        return;
    }
    if fmt.has(BufFmt::HEX) || fmt.has(BufFmt::HEX_ASCII) {
        hex(out, src, fmt.has(BufFmt::HEX_ASCII));
    } else if fmt.has(BufFmt::BASE64) {
        base64(out, src);
    } else if fmt.is_json() {
        if fmt == BufFmt::JSON_HEX || fmt == BufFmt::JSON_HEX_ASCII {
            hex(out, src, fmt == BufFmt::JSON_HEX_ASCII);
        } else if fmt == BufFmt::JSON_EOLS {
            ascii(out, src, true);
        } else if fmt == BufFmt::JSON_BASE64 {
            base64(out, src);
        } else {
            dots(out, src);
        }
    } else if fmt.has(BufFmt::EOLS) || fmt.has(BufFmt::EOLS_COMPACT) {
        ascii(out, src, fmt != BufFmt::EOLS_COMPACT);
    } else {
        dots(out, src);
    }
}

fn dots(out: &mut Vec<u8>, src: &[u8]) {
    out.extend(src.iter().map(|&c| if is_print(c) { c } else { b'.' }));
}

fn ascii(out: &mut Vec<u8>, src: &[u8], leading_newline: bool) {
    if leading_newline {
        out.push(b'\n');
    }
    for (j, &c) in src.iter().enumerate() {
        if is_print(c) {
            out.push(c);
        } else if c == b'\r' || (c == b'\n' && j > 0 && src[j - 1] != b'\r') {
            out.push(b'\n');
        }
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

fn push_hex(out: &mut Vec<u8>, v: u32, digits: usize) {
    for i in (0..digits).rev() {
        out.push(HEX_DIGITS[((v >> (i * 4)) & 0xf) as usize]);
    }
}

fn hex(out: &mut Vec<u8>, src: &[u8], with_ascii: bool) {
    for (row_idx, row) in src.chunks(16).enumerate() {
        out.extend_from_slice(b"\n\t0x");
        let off = (row_idx * 16) as u32;
        push_hex(out, off, if off > 0xffff { 8 - (off.leading_zeros() as usize / 4) } else { 4 });
        out.push(b':');
        let mut chunks = 0;
        for pair in row.chunks(2) {
            out.push(b' ');
            if pair.len() == 2 {
                push_hex(out, u32::from(pair[0]) << 8 | u32::from(pair[1]), 4);
            } else {
                push_hex(out, u32::from(pair[0]), 2);
            }
            chunks += 1;
        }
        if with_ascii {
            for _ in chunks..8 {
                out.extend_from_slice(b"     ");
            }
            out.extend_from_slice(b"  ");
            out.extend(row.iter().map(|&c| if is_print(c) { c } else { b'.' }));
        }
    }
    out.push(b'\n');
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(out: &mut Vec<u8>, src: &[u8]) {
    for chunk in src.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let triple = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        out.push(B64[(triple >> 18 & 0x3f) as usize]);
        out.push(B64[(triple >> 12 & 0x3f) as usize]);
        out.push(if chunk.len() > 1 { B64[(triple >> 6 & 0x3f) as usize] } else { b'=' });
        out.push(if chunk.len() > 2 { B64[(triple & 0x3f) as usize] } else { b'=' });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(src: &[u8], fmt: BufFmt) -> String {
        let mut v = Vec::new();
        render(&mut v, src, fmt);
        String::from_utf8(v).expect("utf8")
    }

    #[test]
    fn formats() {
        assert_eq!(r(b"ab\x01c", BufFmt::NORMAL), "ab.c");
        assert_eq!(r(b"a\r\nb\nc\td", BufFmt::EOLS), "\na\nb\ncd");
        assert_eq!(r(b"GET /", BufFmt::HEX), "\n\t0x0000: 4745 5420 2f\n");
        let pad = " ".repeat(5 * 5 + 2);
        assert_eq!(r(b"GET /", BufFmt::HEX_ASCII), format!("\n\t0x0000: 4745 5420 2f{pad}GET /\n"));
        assert_eq!(r(b"hello", BufFmt::BASE64), "aGVsbG8=");
        assert_eq!(r(b"", BufFmt::HEX), "");
    }
}
