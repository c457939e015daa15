//! The `user` and `group` fields.

use super::{Ctx, FieldArg, Value};
use crate::wire::UserRecord;

fn user_rec<'a>(c: &Ctx<'a>) -> Option<&'a UserRecord> {
    let t = c.thread()?;
    c.state.user(&t.container_id, t.uid)
}

pub fn uid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(c.thread()?.uid)))
}
pub fn name<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(user_rec(c)?.name.as_bytes()))
}
pub fn homedir<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(user_rec(c)?.home.as_bytes()))
}
pub fn shell<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::text(user_rec(c)?.shell.as_bytes()))
}
pub fn loginuid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Int(i64::from(c.thread()?.loginuid as i32)))
}
pub fn loginname<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::text(c.state.user(&t.container_id, t.loginuid)?.name.as_bytes()))
}
pub fn gid<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    Some(Value::Uint(u64::from(c.thread()?.gid)))
}
pub fn group_name<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    let t = c.thread()?;
    Some(Value::text(c.state.group(&t.container_id, t.gid)?.name.as_bytes()))
}
