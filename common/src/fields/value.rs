//! Field values and types, and how sysdig turns a field's raw value into text and JSON.

use std::borrow::Cow;

use crate::render::json::Json;
use crate::schema::{ParamType, PrintFormat};
use crate::state::{ntop6, push_i64, push_ipv4, push_u64};

/// The type of a field, which decides how filters compare it (sysdig's field types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum FieldType {
    Int64,
    Uint64,
    /// Text (sysdig CHARBUF).
    String,
    /// Raw bytes (sysdig BYTEBUF).
    Bytes,
    Bool,
    Double,
    /// An IPv4 or IPv6 address.
    IpAddr,
    /// An IPv4 or IPv6 network.
    IpNet,
    Port,
    L4Proto,
    SockFamily,
    /// A duration in ns.
    RelTime,
    /// A timestamp in ns since the epoch.
    AbsTime,
    Errno,
    Fd,
    Pid,
    Uid,
    Gid,
    Mode,
    Flags,
    Sigtype,
    /// Varies by event (evt.arg, evt.rawarg).
    Dynamic,
}

impl FieldType {
    /// The comparison type of a libscap parameter type.
    pub fn of_param(t: ParamType) -> FieldType {
        use ParamType as P;
        match t {
            P::Int8 | P::Int16 | P::Int32 | P::Int64 => FieldType::Int64,
            P::Uint8 | P::Uint16 | P::Uint32 | P::Uint64 => FieldType::Uint64,
            P::Charbuf | P::Fspath | P::Fsrelpath | P::CharbufArray | P::CharbufPairArray => FieldType::String,
            P::Bytebuf => FieldType::Bytes,
            P::Errno => FieldType::Errno,
            P::Fd | P::Fd32 => FieldType::Fd,
            P::Pid | P::Pid32 => FieldType::Pid,
            P::Reltime => FieldType::RelTime,
            P::Abstime => FieldType::AbsTime,
            P::Port => FieldType::Port,
            P::L4Proto => FieldType::L4Proto,
            P::SockFamily => FieldType::SockFamily,
            P::Bool => FieldType::Bool,
            P::Ipv4Addr | P::Ipv6Addr | P::IpAddr => FieldType::IpAddr,
            P::Ipv4Net | P::Ipv6Net | P::IpNet => FieldType::IpNet,
            P::Flags8 | P::Flags16 | P::Flags32 | P::EnumFlags8 | P::EnumFlags16 | P::EnumFlags32 => FieldType::Flags,
            P::Uid => FieldType::Uid,
            P::Gid => FieldType::Gid,
            P::Double => FieldType::Double,
            P::Mode => FieldType::Mode,
            P::Sigtype => FieldType::Sigtype,
            _ => FieldType::Dynamic,
        }
    }
}

/// A field's value for one event. Text borrows from the event or the state when it can.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// A signed number.
    Int(i64),
    /// An unsigned number.
    Uint(u64),
    /// A floating point number.
    Double(f64),
    /// A boolean.
    Bool(bool),
    /// Text or bytes.
    Str(Cow<'a, [u8]>),
    /// An address, 4 or 16 bytes in network order.
    Ip(Cow<'a, [u8]>),
}

impl Value<'_> {
    /// Text borrowed from a byte slice.
    pub fn text(b: &[u8]) -> Value<'_> {
        Value::Str(Cow::Borrowed(b))
    }

    /// Text from an owned string.
    pub fn owned(s: String) -> Value<'static> {
        Value::Str(Cow::Owned(s.into_bytes()))
    }

    /// Text from owned bytes.
    pub fn bytes(b: Vec<u8>) -> Value<'static> {
        Value::Str(Cow::Owned(b))
    }

    /// The value as plain text (numbers in decimal), independent of any field's print format.
    pub fn render(&self) -> Cow<'_, [u8]> {
        match self {
            Value::Int(v) => Cow::Owned(v.to_string().into_bytes()),
            Value::Uint(v) => Cow::Owned(v.to_string().into_bytes()),
            Value::Double(v) => Cow::Owned(format!("{v:.1}").into_bytes()),
            Value::Bool(v) => Cow::Borrowed(if *v { b"true" } else { b"false" }),
            Value::Str(s) => Cow::Borrowed(s),
            Value::Ip(ip) => {
                let mut out = Vec::new();
                push_ip(&mut out, ip);
                Cow::Owned(out)
            }
        }
    }

    /// The value as a number, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            Value::Uint(v) => i64::try_from(*v).ok(),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    /// The value as an unsigned number (the bits of a signed one).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(v) => Some(*v as u64),
            Value::Uint(v) => Some(*v),
            Value::Bool(b) => Some(u64::from(*b)),
            _ => None,
        }
    }

    /// The text or bytes of a string value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

fn push_ip(out: &mut Vec<u8>, ip: &[u8]) {
    match ip.len() {
        4 => push_ipv4(out, &[ip[0], ip[1], ip[2], ip[3]]),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(ip);
            out.extend_from_slice(ntop6(&a).as_bytes());
        }
        _ => {}
    }
}

/// Why a value cannot be shown in a field of a given type (sysdig stops with this message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub String);

/// Appends a value as sysdig prints a field of type `ty` and print format `pf`
/// (libsinsp's `rawval_to_string`). Returns `Ok(false)` when sysdig gets no text for it.
pub fn write_text(out: &mut Vec<u8>, v: &Value<'_>, ty: ParamType, pf: PrintFormat) -> Result<bool, RenderError> {
    use std::io::Write;
    use ParamType as P;
    let bits = |i: i64, ty: ParamType| -> i64 {
        match ty {
            P::Int8 => i64::from(i as i8),
            P::Int16 => i64::from(i as i16),
            P::Int32 => i64::from(i as i32),
            _ => i,
        }
    };
    let ubits = |u: u64, ty: ParamType| -> u64 {
        match ty {
            P::Uint8 | P::L4Proto => u64::from(u as u8),
            P::Uint16 | P::Port => u64::from(u as u16),
            P::Uint32 => u64::from(u as u32),
            _ => u,
        }
    };
    match ty {
        P::Int8 | P::Int16 | P::Int32 => {
            let Some(raw) = v.as_u64() else { return Ok(false) };
            let i = bits(raw as i64, ty);
            match pf {
                PrintFormat::Oct => {
                    let _ = write!(out, "{:o}", i as i32 as u32);
                }
                PrintFormat::Dec | PrintFormat::Id => push_i64(out, i),
                PrintFormat::Hex => {
                    let _ = write!(out, "{:X}", i as i32 as u32);
                }
                _ => return Ok(false),
            }
        }
        P::Int64 | P::Pid | P::Errno => {
            let Some(raw) = v.as_u64() else { return Ok(false) };
            let i = raw as i64;
            match pf {
                PrintFormat::Oct => {
                    let _ = write!(out, "{:o}", raw);
                }
                PrintFormat::PaddedDec => crate::render::num::padded(out, i, 9),
                PrintFormat::Hex => {
                    let _ = write!(out, "{:X}", raw);
                }
                _ => push_i64(out, i),
            }
        }
        P::Uint8 | P::L4Proto | P::Uint16 | P::Port | P::Uint32 => {
            let Some(raw) = v.as_u64() else { return Ok(false) };
            let u = ubits(raw, ty);
            match pf {
                PrintFormat::Oct => {
                    let _ = write!(out, "{u:o}");
                }
                PrintFormat::Dec | PrintFormat::Id | PrintFormat::Hex => push_u64(out, u),
                _ => return Ok(false),
            }
        }
        P::Uint64 | P::Reltime | P::Abstime => {
            let Some(u) = v.as_u64() else { return Ok(false) };
            match pf {
                PrintFormat::Oct => {
                    let _ = write!(out, "{u:o}");
                }
                PrintFormat::Dec | PrintFormat::Id => push_u64(out, u),
                PrintFormat::PaddedDec => {
                    let _ = write!(out, "{u:09}");
                }
                PrintFormat::Hex => {
                    let _ = write!(out, "{u:X}");
                }
                _ => return Ok(false),
            }
        }
        P::Charbuf | P::Fspath | P::Fsrelpath => match v {
            Value::Str(s) => out.extend_from_slice(crate::state::paths::until_nul(s)),
            other => out.extend_from_slice(&other.render()),
        },
        P::Bytebuf => match v {
            Value::Str(s) => out.extend_from_slice(s),
            other => out.extend_from_slice(&other.render()),
        },
        P::Bool => {
            let b = match v {
                Value::Bool(b) => *b,
                other => other.as_u64().is_some_and(|x| x as u32 != 0),
            };
            out.extend_from_slice(if b { b"true" } else { b"false" });
        }
        P::Ipv4Addr | P::Ipv6Addr | P::IpAddr => match v {
            Value::Ip(ip) => push_ip(out, ip),
            other => out.extend_from_slice(&other.render()),
        },
        // libsinsp has no text for these and prints `<NA>`.
        P::Sockaddr | P::SockFamily => return Ok(false),
        P::Double => {
            let d = match v {
                Value::Double(d) => *d,
                other => other.as_i64().unwrap_or(0) as f64,
            };
            let _ = write!(out, "{d:.1}");
        }
        other => return Err(RenderError(format!("wrong event type {}", param_type_number(other)))),
    }
    Ok(true)
}

/// A value as sysdig puts it in `-j` output for a field of type `ty` (libsinsp's
/// `rawval_to_json`).
pub fn to_json(v: &Value<'_>, ty: ParamType, pf: PrintFormat) -> Result<Json, RenderError> {
    use ParamType as P;
    let as_text = |v: &Value<'_>| -> Result<Json, RenderError> {
        let mut out = Vec::new();
        Ok(if write_text(&mut out, v, ty, pf)? { Json::Str(out) } else { Json::Null })
    };
    let dec = matches!(pf, PrintFormat::Dec | PrintFormat::Id);
    let text_fmt = matches!(pf, PrintFormat::Oct | PrintFormat::Hex);
    Ok(match ty {
        P::Int8 | P::Int16 | P::Int32 => {
            if dec {
                let raw = v.as_u64().unwrap_or(0) as i64;
                Json::Int(match ty {
                    P::Int8 => i64::from(raw as i8),
                    P::Int16 => i64::from(raw as i16),
                    _ => i64::from(raw as i32),
                })
            } else if text_fmt {
                as_text(v)?
            } else {
                Json::Null
            }
        }
        P::Int64 | P::Pid => {
            if dec {
                Json::Int(v.as_u64().unwrap_or(0) as i64)
            } else {
                as_text(v)?
            }
        }
        P::L4Proto | P::Uint8 | P::Port | P::Uint16 | P::Uint32 => {
            if dec {
                let raw = v.as_u64().unwrap_or(0);
                Json::Uint(match ty {
                    P::L4Proto | P::Uint8 => u64::from(raw as u8),
                    P::Port | P::Uint16 => u64::from(raw as u16),
                    _ => u64::from(raw as u32),
                })
            } else if text_fmt {
                as_text(v)?
            } else {
                Json::Null
            }
        }
        P::Uint64 | P::Reltime | P::Abstime => {
            if dec {
                Json::Uint(v.as_u64().unwrap_or(0))
            } else if matches!(pf, PrintFormat::PaddedDec | PrintFormat::Oct | PrintFormat::Hex) {
                as_text(v)?
            } else {
                Json::Null
            }
        }
        P::Sockaddr | P::SockFamily => Json::Null,
        P::Bool => Json::Bool(match v {
            Value::Bool(b) => *b,
            other => other.as_u64().is_some_and(|x| x as u32 != 0),
        }),
        P::Charbuf | P::Fspath | P::Bytebuf | P::Ipv4Addr | P::Ipv6Addr | P::IpAddr | P::Fsrelpath => as_text(v)?,
        other => return Err(RenderError(format!("wrong event type {}", param_type_number(other)))),
    })
}

/// libscap's number for a parameter type (`ppm_param_type`), for error messages.
pub fn param_type_number(t: ParamType) -> u32 {
    use ParamType as P;
    match t {
        P::None => 0,
        P::Int8 => 1,
        P::Int16 => 2,
        P::Int32 => 3,
        P::Int64 => 4,
        P::Uint8 => 5,
        P::Uint16 => 6,
        P::Uint32 => 7,
        P::Uint64 => 8,
        P::Charbuf => 9,
        P::Bytebuf => 10,
        P::Errno => 11,
        P::Sockaddr => 12,
        P::Socktuple => 13,
        P::Fd => 14,
        P::Pid => 15,
        P::Fdlist => 16,
        P::Fspath => 17,
        P::SyscallId => 18,
        P::Sigtype => 19,
        P::Reltime => 20,
        P::Abstime => 21,
        P::Port => 22,
        P::L4Proto => 23,
        P::SockFamily => 24,
        P::Bool => 25,
        P::Ipv4Addr => 26,
        P::Dyn => 27,
        P::Flags8 => 28,
        P::Flags16 => 29,
        P::Flags32 => 30,
        P::Uid => 31,
        P::Gid => 32,
        P::Double => 33,
        P::Sigset => 34,
        P::CharbufArray => 35,
        P::CharbufPairArray => 36,
        P::Ipv4Net => 37,
        P::Ipv6Addr => 38,
        P::Ipv6Net => 39,
        P::IpAddr => 40,
        P::IpNet => 41,
        P::Mode => 42,
        P::Fsrelpath => 43,
        P::EnumFlags8 => 44,
        P::EnumFlags16 => 45,
        P::EnumFlags32 => 46,
        P::Fd32 => 47,
        P::Pid32 => 48,
    }
}
