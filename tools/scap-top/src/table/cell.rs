//! Table cells: a value stored at the width of its field's type, with the number of samples it
//! stands for, and how two cells combine under each aggregation.
//!
//! The arithmetic is sysdig's: sums wrap at the width of the type (a `UINT32` column wraps at
//! 2^32), only the numeric types take part in sums and maxima (a `PID` or `PORT` column keeps its
//! first value), and the "maximum" of a text column is simply its latest value.

use scap_common::fields::Value;
use scap_common::schema::ParamType;

/// How a column's values combine when two rows share a key (`aggregation` and
/// `groupby_aggregation` in a view definition).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Aggregation {
    /// Keep the first value.
    #[default]
    None,
    /// Add the values up.
    Sum,
    /// Average of the values (the sum is kept with a count, divided when shown).
    Avg,
    /// A sum shown per second of the sampling interval.
    TimeAvg,
    /// The smallest value.
    Min,
    /// The largest value (for text: the latest).
    Max,
}

impl Aggregation {
    /// Parses the names view definitions use (`SUM`, `AVG`, `TIME_AVG`, `MIN`, `MAX`).
    pub fn from_name(name: &str) -> Option<Aggregation> {
        Some(match name {
            "SUM" => Aggregation::Sum,
            "AVG" => Aggregation::Avg,
            "TIME_AVG" => Aggregation::TimeAvg,
            "MIN" => Aggregation::Min,
            "MAX" => Aggregation::Max,
            _ => return None,
        })
    }
}

/// A stored value. Integers are kept normalized to the width of their type.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    Uint(u64),
    /// A floating point number.
    Double(f64),
    /// Text, bytes or an address (4 or 16 bytes for IP types).
    Bytes(Vec<u8>),
}

impl Eq for Val {}

impl std::hash::Hash for Val {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        match self {
            Val::Int(v) => (0u8, *v).hash(h),
            Val::Uint(v) => (1u8, *v).hash(h),
            Val::Double(v) => (2u8, v.to_bits()).hash(h),
            Val::Bytes(v) => (3u8, v).hash(h),
        }
    }
}

/// The arithmetic type sysdig uses for a column in sums, averages, minima and maxima.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    /// Signed, with this many bits.
    Signed(u32),
    /// Unsigned, with this many bits.
    Unsigned(u32),
    /// A double.
    Double,
}

/// The arithmetic type of a parameter type, or `None` when sysdig does no arithmetic on it.
pub fn num_of(ptype: ParamType) -> Option<Num> {
    use ParamType as P;
    Some(match ptype {
        P::Int8 => Num::Signed(8),
        P::Int16 => Num::Signed(16),
        P::Int32 => Num::Signed(32),
        P::Int64 => Num::Signed(64),
        P::Uint8 => Num::Unsigned(8),
        P::Uint16 => Num::Unsigned(16),
        P::Uint32 | P::Bool => Num::Unsigned(32),
        P::Uint64 | P::Reltime | P::Abstime => Num::Unsigned(64),
        P::Double => Num::Double,
        _ => return None,
    })
}

/// How values of a parameter type are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// As a signed integer of this many bits.
    Signed(u32),
    /// As an unsigned integer of this many bits.
    Unsigned(u32),
    /// As a double.
    Double,
    /// As bytes (text, buffers, addresses).
    Bytes,
}

/// The storage of a parameter type.
pub fn storage_of(ptype: ParamType) -> Storage {
    use ParamType as P;
    match ptype {
        P::Int8 => Storage::Signed(8),
        P::Int16 => Storage::Signed(16),
        P::Int32 => Storage::Signed(32),
        P::Int64 | P::Fd | P::Pid | P::Errno => Storage::Signed(64),
        P::Fd32 | P::Pid32 => Storage::Signed(32),
        P::Uint8 | P::Flags8 | P::Sigtype | P::L4Proto | P::EnumFlags8 | P::SockFamily => Storage::Unsigned(8),
        P::Uint16 | P::Flags16 | P::Port | P::SyscallId | P::EnumFlags16 => Storage::Unsigned(16),
        P::Uint32 | P::Flags32 | P::Mode | P::Bool | P::Sigset | P::Uid | P::Gid | P::EnumFlags32 => {
            Storage::Unsigned(32)
        }
        P::Uint64 | P::Reltime | P::Abstime => Storage::Unsigned(64),
        P::Double => Storage::Double,
        _ => Storage::Bytes,
    }
}

fn wrap_signed(v: i64, bits: u32) -> i64 {
    if bits >= 64 {
        v
    } else {
        let shift = 64 - bits;
        (v << shift) >> shift
    }
}

fn wrap_unsigned(v: u64, bits: u32) -> u64 {
    if bits >= 64 {
        v
    } else {
        v & ((1u64 << bits) - 1)
    }
}

impl Val {
    /// Stores a field value as a column of type `ptype` keeps it.
    pub fn from_value(v: &Value<'_>, ptype: ParamType) -> Val {
        match storage_of(ptype) {
            Storage::Signed(bits) => Val::Int(wrap_signed(int_of(v), bits)),
            Storage::Unsigned(bits) => Val::Uint(wrap_unsigned(int_of(v) as u64, bits)),
            Storage::Double => Val::Double(match v {
                Value::Double(d) => *d,
                other => int_of(other) as f64,
            }),
            Storage::Bytes => match v {
                Value::Str(s) => Val::Bytes(s.to_vec()),
                Value::Ip(ip) => Val::Bytes(ip.to_vec()),
                other => Val::Bytes(other.render().into_owned()),
            },
        }
    }

    /// The zero a column shows when an event has no value for it and the view uses defaults,
    /// or `None` when sysdig has no default for the type and drops the event instead.
    pub fn default_for(ptype: ParamType, id_format: bool) -> Option<Val> {
        use ParamType as P;
        match ptype {
            P::Int8
            | P::Int16
            | P::Int32
            | P::Int64
            | P::Uint8
            | P::Uint16
            | P::Uint32
            | P::Uint64
            | P::Bool
            | P::Reltime
            | P::Abstime => {
                if id_format {
                    None
                } else {
                    Some(match storage_of(ptype) {
                        Storage::Signed(_) => Val::Int(0),
                        _ => Val::Uint(0),
                    })
                }
            }
            P::Double => Some(Val::Double(0.0)),
            P::Charbuf => Some(Val::Bytes(Vec::new())),
            _ => None,
        }
    }

    /// The value as a float, for averages and comparisons.
    pub fn as_f64(&self) -> f64 {
        match self {
            Val::Int(v) => *v as f64,
            Val::Uint(v) => *v as f64,
            Val::Double(v) => *v,
            Val::Bytes(_) => 0.0,
        }
    }
}

fn int_of(v: &Value<'_>) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Uint(u) => *u as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Double(d) => *d as i64,
        Value::Str(s) => std::str::from_utf8(s).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0),
        Value::Ip(_) => 0,
    }
}

/// The bytes csysdig keeps for a value of this type, which its hash table hashes and compares:
/// integers at their width in little-endian order, text up to its first NUL plus the NUL.
pub fn key_bytes(val: &Val, ptype: ParamType) -> Vec<u8> {
    match (val, storage_of(ptype)) {
        (Val::Int(v), Storage::Signed(bits)) => v.to_le_bytes()[..(bits / 8) as usize].to_vec(),
        (Val::Uint(v), Storage::Unsigned(bits)) => v.to_le_bytes()[..(bits / 8) as usize].to_vec(),
        (Val::Int(v), _) => v.to_le_bytes().to_vec(),
        (Val::Uint(v), _) => v.to_le_bytes().to_vec(),
        (Val::Double(v), _) => v.to_le_bytes().to_vec(),
        (Val::Bytes(b), _) => {
            if matches!(ptype, ParamType::Charbuf | ParamType::Fspath | ParamType::Fsrelpath) {
                let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                let mut v = b[..end].to_vec();
                v.push(0);
                v
            } else {
                b.clone()
            }
        }
    }
}

/// A value and the number of samples it stands for (sysdig's `m_cnt`): 1 for a plain value,
/// N for a sum of N values under `AVG`, 0 for a default filled in for a missing value.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// The value.
    pub val: Val,
    /// The sample count.
    pub cnt: u32,
}

impl Slot {
    /// A single sample.
    pub fn one(val: Val) -> Slot {
        Slot { val, cnt: 1 }
    }

    /// Combines `src` into `self` under an aggregation, for a column of type `ptype`.
    pub fn add(&mut self, src: &Slot, aggregation: Aggregation, ptype: ParamType) {
        let num = num_of(ptype);
        match aggregation {
            Aggregation::None => {}
            Aggregation::Sum | Aggregation::TimeAvg => {
                if src.cnt < 2 {
                    self.sum(src, num);
                } else {
                    self.sum_of_averages(src, num);
                }
            }
            Aggregation::Avg => {
                self.cnt = self.cnt.wrapping_add(src.cnt);
                self.sum(src, num);
            }
            Aggregation::Max => match num {
                Some(n) => {
                    if compare(&self.val, &src.val, n) == std::cmp::Ordering::Less {
                        self.val = src.val.clone();
                    }
                }
                None => {
                    if matches!(ptype, ParamType::Charbuf | ParamType::Bytebuf) && self.val != src.val {
                        self.val = src.val.clone();
                    }
                }
            },
            Aggregation::Min => {
                if src.cnt != 0 {
                    if self.cnt == 0 {
                        self.sum(src, num);
                        self.cnt += 1;
                    } else if let Some(n) = num {
                        if compare(&self.val, &src.val, n) == std::cmp::Ordering::Greater {
                            self.val = src.val.clone();
                        }
                    }
                }
            }
        }
    }

    fn sum(&mut self, src: &Slot, num: Option<Num>) {
        let Some(num) = num else { return };
        self.val = match (num, &self.val, &src.val) {
            (Num::Signed(bits), Val::Int(a), Val::Int(b)) => Val::Int(wrap_signed(a.wrapping_add(*b), bits)),
            (Num::Unsigned(bits), Val::Uint(a), Val::Uint(b)) => Val::Uint(wrap_unsigned(a.wrapping_add(*b), bits)),
            (Num::Double, Val::Double(a), Val::Double(b)) => Val::Double(a + b),
            _ => return,
        };
    }

    /// Adds two averages: each side is divided by its count first, and both counts become 1.
    fn sum_of_averages(&mut self, src: &Slot, num: Option<Num>) {
        let (c1, c2) = (self.cnt, src.cnt.max(1));
        if let Some(num) = num {
            self.val = match (num, &self.val, &src.val) {
                (Num::Signed(bits), Val::Int(a), Val::Int(b)) => {
                    let a = if c1 > 1 { a / i64::from(c1) } else { *a };
                    Val::Int(wrap_signed(a.wrapping_add(b / i64::from(c2)), bits))
                }
                (Num::Unsigned(bits), Val::Uint(a), Val::Uint(b)) => {
                    let a = if c1 > 1 { a / u64::from(c1) } else { *a };
                    Val::Uint(wrap_unsigned(a.wrapping_add(b / u64::from(c2)), bits))
                }
                (Num::Double, Val::Double(a), Val::Double(b)) => {
                    let a = if c1 > 1 { a / f64::from(c1) } else { *a };
                    Val::Double(a + b / f64::from(c2))
                }
                (_, v, _) => v.clone(),
            };
        }
        self.cnt = 1;
    }
}

/// Compares two values of a numeric column.
fn compare(a: &Val, b: &Val, num: Num) -> std::cmp::Ordering {
    match (num, a, b) {
        (_, Val::Int(x), Val::Int(y)) => x.cmp(y),
        (_, Val::Uint(x), Val::Uint(y)) => x.cmp(y),
        (_, Val::Double(x), Val::Double(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        _ => std::cmp::Ordering::Equal,
    }
}

/// Orders two cells of a column for sorting: numbers by value (by average when either stands for
/// several samples), everything else by bytes.
pub fn sort_order(a: &Slot, b: &Slot, ptype: ParamType) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let averaged = a.cnt > 1 || b.cnt > 1;
    match (&a.val, &b.val) {
        (Val::Bytes(x), Val::Bytes(y)) => {
            // C strings compare up to their first NUL.
            let cut = |s: &[u8]| s.iter().position(|&c| c == 0).map_or(s.len(), |p| p);
            x[..cut(x)].cmp(&y[..cut(y)])
        }
        (Val::Int(x), Val::Int(y)) if averaged => (x / i64::from(a.cnt.max(1))).cmp(&(y / i64::from(b.cnt.max(1)))),
        (Val::Uint(x), Val::Uint(y)) if averaged => (x / u64::from(a.cnt.max(1))).cmp(&(y / u64::from(b.cnt.max(1)))),
        (Val::Double(x), Val::Double(y)) if averaged => {
            let (x, y) = (x / f64::from(a.cnt.max(1)), y / f64::from(b.cnt.max(1)));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (x, y) => match num_of(ptype) {
            Some(n) => compare(x, y, n),
            None => match (x, y) {
                (Val::Int(p), Val::Int(q)) => p.cmp(q),
                (Val::Uint(p), Val::Uint(q)) => p.cmp(q),
                _ => Ordering::Equal,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u64) -> Slot {
        Slot::one(Val::Uint(v))
    }

    #[test]
    fn sums_wrap_at_the_width_of_the_type() {
        let mut a = Slot::one(Val::from_value(&Value::Uint(u64::from(u32::MAX)), ParamType::Uint32));
        a.add(&u(2), Aggregation::Sum, ParamType::Uint32);
        assert_eq!(a.val, Val::Uint(1));
        let mut b = Slot::one(Val::from_value(&Value::Int(127), ParamType::Int8));
        b.add(&Slot::one(Val::Int(1)), Aggregation::Sum, ParamType::Int8);
        assert_eq!(b.val, Val::Int(-128));
    }

    #[test]
    fn averages_keep_a_count_and_sums_of_averages_reset_it() {
        let mut a = u(10);
        a.add(&u(20), Aggregation::Avg, ParamType::Uint64);
        a.add(&u(30), Aggregation::Avg, ParamType::Uint64);
        assert_eq!(a, Slot { val: Val::Uint(60), cnt: 3 });
        // Merging an average of 3 (60/3 = 20) into a plain 5 gives 25 with count 1.
        let mut m = u(5);
        m.add(&a, Aggregation::Sum, ParamType::Uint64);
        assert_eq!(m, Slot { val: Val::Uint(25), cnt: 1 });
        // And into another average: 40/2 + 60/3.
        let mut n = Slot { val: Val::Uint(40), cnt: 2 };
        n.add(&a, Aggregation::Sum, ParamType::Uint64);
        assert_eq!(n, Slot { val: Val::Uint(40), cnt: 1 });
    }

    #[test]
    fn max_of_text_is_the_latest_and_pids_never_add() {
        let mut t = Slot::one(Val::Bytes(b"zzz".to_vec()));
        t.add(&Slot::one(Val::Bytes(b"aaa".to_vec())), Aggregation::Max, ParamType::Charbuf);
        assert_eq!(t.val, Val::Bytes(b"aaa".to_vec()));
        let mut p = Slot::one(Val::Int(7));
        p.add(&Slot::one(Val::Int(9)), Aggregation::Sum, ParamType::Pid);
        assert_eq!(p.val, Val::Int(7));
        let mut m = u(3);
        m.add(&u(9), Aggregation::Max, ParamType::Uint64);
        m.add(&u(4), Aggregation::Max, ParamType::Uint64);
        assert_eq!(m.val, Val::Uint(9));
    }

    #[test]
    fn min_starts_from_the_first_real_sample() {
        let mut d = Slot { val: Val::Uint(0), cnt: 0 };
        d.add(&Slot { val: Val::Uint(0), cnt: 0 }, Aggregation::Min, ParamType::Uint64);
        assert_eq!(d.cnt, 0);
        d.add(&u(8), Aggregation::Min, ParamType::Uint64);
        assert_eq!(d, Slot { val: Val::Uint(8), cnt: 1 });
        d.add(&u(5), Aggregation::Min, ParamType::Uint64);
        d.add(&u(6), Aggregation::Min, ParamType::Uint64);
        assert_eq!(d.val, Val::Uint(5));
    }

    #[test]
    fn defaults_follow_sysdig() {
        assert_eq!(Val::default_for(ParamType::Uint64, false), Some(Val::Uint(0)));
        assert_eq!(Val::default_for(ParamType::Int64, true), None);
        assert_eq!(Val::default_for(ParamType::Double, true), Some(Val::Double(0.0)));
        assert_eq!(Val::default_for(ParamType::Charbuf, false), Some(Val::Bytes(vec![])));
        assert_eq!(Val::default_for(ParamType::Port, false), None);
    }

    #[test]
    fn sorting_uses_averages_when_counted() {
        let a = Slot { val: Val::Uint(100), cnt: 10 };
        let b = u(20);
        assert_eq!(sort_order(&a, &b, ParamType::Uint64), std::cmp::Ordering::Less);
        assert_eq!(sort_order(&u(100), &b, ParamType::Uint64), std::cmp::Ordering::Greater);
    }
}
