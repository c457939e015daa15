//! Times as sysdig prints them, in a time zone read from TZif data (no I/O here: callers load
//! the zone file and hand its bytes to `Tz::from_tzif`).

use std::sync::Arc;

use crate::state::{push_u64, write_digits};

/// What `evt.outputtime` shows (sysdig's `-t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeMode {
    /// `HH:MM:SS.nnnnnnnnn` in the local time zone (`-t h`, the default).
    #[default]
    Human,
    /// Seconds since the epoch with nanoseconds (`-t a`).
    Absolute,
    /// Seconds since the first event (`-t r`).
    Relative,
    /// Latency: time between the event and its enter event (`-t d`).
    Delta,
    /// Time since the previous event shown (`-t D`).
    DeltaPrevious,
}

/// A time zone: UTC offsets in effect from given instants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tz {
    /// (first second the offset applies, offset in seconds east of UTC), sorted.
    transitions: Option<Arc<Vec<(i64, i32)>>>,
    /// The offset before the first transition (or always, without transitions).
    base: i32,
}

impl Tz {
    /// UTC.
    pub const fn utc() -> Tz {
        Tz { transitions: None, base: 0 }
    }

    /// A zone with a fixed offset from UTC, in seconds east.
    pub fn fixed(offset: i32) -> Tz {
        Tz { transitions: None, base: offset }
    }

    /// Reads a zone from TZif data (the files under /usr/share/zoneinfo and /etc/localtime).
    pub fn from_tzif(b: &[u8]) -> Result<Tz, String> {
        let hdr = |b: &[u8]| -> Result<[u32; 6], String> {
            if b.len() < 44 || &b[0..4] != b"TZif" {
                return Err("not a TZif file".into());
            }
            let mut counts = [0u32; 6];
            for (i, c) in counts.iter_mut().enumerate() {
                let at = 20 + i * 4;
                *c = u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
            }
            Ok(counts)
        };
        let counts = hdr(b)?;
        let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts.map(|c| c as usize);
        let v1_len = 44 + timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
        // Version 2+ files repeat the data with 64-bit times; prefer that block.
        let (data, counts, time_size) = if b.len() > v1_len + 44 && b[4] >= b'2' {
            let b2 = &b[v1_len..];
            (b2, hdr(b2)?, 8usize)
        } else {
            (b, counts, 4usize)
        };
        let [_, _, _, timecnt, typecnt, _] = counts.map(|c| c as usize);
        let mut pos = 44;
        let need = pos + timecnt * time_size + timecnt + typecnt * 6;
        if data.len() < need {
            return Err("TZif data is truncated".into());
        }
        let mut times = Vec::with_capacity(timecnt);
        for i in 0..timecnt {
            let at = pos + i * time_size;
            let t = if time_size == 8 {
                let mut a = [0u8; 8];
                a.copy_from_slice(&data[at..at + 8]);
                i64::from_be_bytes(a)
            } else {
                i64::from(i32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]))
            };
            times.push(t);
        }
        pos += timecnt * time_size;
        let idx: Vec<usize> = data[pos..pos + timecnt].iter().map(|&i| usize::from(i)).collect();
        pos += timecnt;
        let mut offsets = Vec::with_capacity(typecnt);
        for i in 0..typecnt {
            let at = pos + i * 6;
            offsets.push(i32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]));
        }
        let base = offsets.first().copied().unwrap_or(0);
        let mut transitions = Vec::with_capacity(timecnt);
        for (t, i) in times.into_iter().zip(idx) {
            let off = *offsets.get(i).ok_or("TZif transition names an unknown type")?;
            transitions.push((t, off));
        }
        if transitions.is_empty() {
            return Ok(Tz::fixed(base));
        }
        Ok(Tz { transitions: Some(Arc::new(transitions)), base })
    }

    /// Reads a POSIX TZ string's standard offset (`UTC0`, `EST5`, `JST-9`); daylight rules are
    /// not applied.
    pub fn from_posix(s: &str) -> Option<Tz> {
        let name_end = s.find(|c: char| c == '+' || c == '-' || c.is_ascii_digit())?;
        if name_end < 3 {
            return None;
        }
        let rest = &s[name_end..];
        let num_end = rest[1..].find(|c: char| !(c.is_ascii_digit() || c == ':')).map_or(rest.len(), |i| i + 1);
        let spec = &rest[..num_end];
        let (sign, digits) = match spec.as_bytes()[0] {
            b'-' => (1, &spec[1..]),
            b'+' => (-1, &spec[1..]),
            _ => (-1, spec),
        };
        let mut parts = digits.split(':').map(|p| p.parse::<i32>().ok());
        let h = parts.next()??;
        let m = parts.next().flatten().unwrap_or(0);
        let sec = parts.next().flatten().unwrap_or(0);
        Some(Tz::fixed(sign * (h * 3600 + m * 60 + sec)))
    }

    /// The offset from UTC, in seconds, in effect at `secs` since the epoch.
    pub fn offset_at(&self, secs: i64) -> i32 {
        let Some(tr) = &self.transitions else { return self.base };
        match tr.binary_search_by(|(t, _)| t.cmp(&secs)) {
            Ok(i) => tr[i].1,
            Err(0) => self.base,
            Err(i) => tr[i - 1].1,
        }
    }
}

fn push2(out: &mut Vec<u8>, v: i64) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

fn push_ns(out: &mut Vec<u8>, ns: u64) {
    let mut buf = [b'0'; 9];
    write_digits(&mut buf, ns);
    out.extend_from_slice(&buf);
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Appends a timestamp as sysdig's `ts_to_string`: `[YYYY-MM-DD ]HH:MM:SS[.nnnnnnnnn]` local.
pub fn push_local(out: &mut Vec<u8>, ts: u64, tz: &Tz, date: bool, ns: bool) {
    let secs = (ts / 1_000_000_000) as i64;
    let local = secs + i64::from(tz.offset_at(secs));
    let day_secs = local.rem_euclid(86_400);
    if date {
        let (y, m, d) = civil(local.div_euclid(86_400));
        push_u64(out, y as u64);
        out.push(b'-');
        push2(out, i64::from(m));
        out.push(b'-');
        push2(out, i64::from(d));
        out.push(b' ');
    }
    // HH:MM:SS.nnnnnnnnn, built whole and appended with one copy.
    let mut buf = *b"00:00:00.000000000";
    write_digits(&mut buf[0..2], (day_secs / 3600) as u64);
    write_digits(&mut buf[3..5], (day_secs / 60 % 60) as u64);
    write_digits(&mut buf[6..8], (day_secs % 60) as u64);
    if ns {
        write_digits(&mut buf[9..], ts % 1_000_000_000);
        out.extend_from_slice(&buf);
    } else {
        out.extend_from_slice(&buf[..8]);
    }
}

/// Appends a timestamp in ISO 8601 in UTC, as sysdig's `evt.time.iso8601` does.
pub fn push_iso8601(out: &mut Vec<u8>, ts: u64) {
    let secs = (ts / 1_000_000_000) as i64;
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let day_secs = secs.rem_euclid(86_400);
    push_u64(out, y as u64);
    out.push(b'-');
    push2(out, i64::from(m));
    out.push(b'-');
    push2(out, i64::from(d));
    out.push(b'T');
    push2(out, day_secs / 3600);
    out.push(b':');
    push2(out, day_secs / 60 % 60);
    out.push(b':');
    push2(out, day_secs % 60);
    out.push(b'.');
    push_ns(out, ts % 1_000_000_000);
    out.extend_from_slice(b"+0000");
}

/// Appends `seconds.nnnnnnnnn` for a duration.
pub fn push_secs_ns(out: &mut Vec<u8>, ns: u64, pad: bool) {
    push_u64(out, ns / 1_000_000_000);
    out.push(b'.');
    if pad {
        push_ns(out, ns % 1_000_000_000);
    } else {
        push_u64(out, ns % 1_000_000_000);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(ts: u64, tz: &Tz, date: bool) -> String {
        let mut v = Vec::new();
        push_local(&mut v, ts, tz, date, true);
        String::from_utf8(v).expect("utf8")
    }

    #[test]
    fn utc_times() {
        assert_eq!(local(1_470_327_477_881_730_713, &Tz::utc(), false), "16:17:57.881730713");
        assert_eq!(local(1_470_327_477_881_730_713, &Tz::utc(), true), "2016-08-04 16:17:57.881730713");
        let mut v = Vec::new();
        push_iso8601(&mut v, 1_470_327_477_881_730_713);
        assert_eq!(v, b"2016-08-04T16:17:57.881730713+0000");
    }

    #[test]
    fn fixed_offsets() {
        assert_eq!(local(0, &Tz::fixed(-5 * 3600), true), "1969-12-31 19:00:00.000000000");
        assert_eq!(Tz::from_posix("EST5"), Some(Tz::fixed(-5 * 3600)));
        assert_eq!(Tz::from_posix("JST-9"), Some(Tz::fixed(9 * 3600)));
        assert_eq!(Tz::from_posix("UTC0"), Some(Tz::utc()));
    }

    #[test]
    fn tzif_transitions_apply() {
        // A v1 file with one transition at t=100 from +0 to +3600.
        let mut b = b"TZif\0".to_vec();
        b.extend_from_slice(&[0; 15]);
        for c in [0u32, 0, 0, 1, 2, 4] {
            b.extend_from_slice(&c.to_be_bytes());
        }
        b.extend_from_slice(&100i32.to_be_bytes());
        b.push(1);
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(&3600i32.to_be_bytes());
        b.extend_from_slice(&[1, 0]);
        b.extend_from_slice(b"A\0B\0");
        let tz = Tz::from_tzif(&b).expect("parses");
        assert_eq!(tz.offset_at(99), 0);
        assert_eq!(tz.offset_at(100), 3600);
    }
}
