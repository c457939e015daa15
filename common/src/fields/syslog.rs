//! The `syslog` fields: messages written to /dev/log, decoded by the state engine.

use super::{Ctx, FieldArg, Value};
use crate::render::{SYSLOG_FACILITIES, SYSLOG_SEVERITIES};
use crate::state::Syslog;

fn msg<'a>(c: &Ctx<'a>) -> Option<&'a Syslog> {
    c.state.syslog.as_ref()
}

pub fn facility_str<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let f = msg(c)?.facility() as usize;
    Some(Value::text(SYSLOG_FACILITIES.get(f).copied().unwrap_or("<NA>").as_bytes()))
}
pub fn facility<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(msg(c)?.facility())))
}
pub fn severity_str<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let s = msg(c)?.severity() as usize;
    Some(Value::text(SYSLOG_SEVERITIES.get(s).copied().unwrap_or("<NA>").as_bytes()))
}
pub fn severity<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(msg(c)?.severity())))
}
pub fn message<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(&msg(c)?.msg))
}
