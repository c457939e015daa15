//! Unit tests of field parsing and extraction.

use super::*;

#[test]
fn names_resolve_like_sysdig() {
    let (f, len) = FieldRef::parse_prefix("proc.name)").expect("parses");
    assert_eq!(f.info().name, "proc.name");
    assert_eq!(len, 9);
    let (f, len) = FieldRef::parse_prefix("evt.arg.fd rest").expect("parses");
    assert_eq!(f.arg, FieldArg::Name("fd".into()));
    assert_eq!(len, 10);
    let (f, _) = FieldRef::parse_prefix("proc.aname[2]").expect("parses");
    assert_eq!(f.arg, FieldArg::Index(2));
    let (f, len) = FieldRef::parse_prefix("thread.cgroup.cpuacct x").expect("parses");
    assert_eq!(f.arg, FieldArg::Name("cpuacct".into()));
    assert_eq!(len, "thread.cgroup.cpuacct".len());
    let (f, len) = FieldRef::parse_prefix("evt.timexyz").expect("parses");
    assert_eq!(f.info().name, "evt.time");
    assert_eq!(len, 8);
    assert!(FieldRef::parse("nope.field").is_err());
    assert!(matches!(FieldRef::parse_display_prefix("fd.ip"), Err(FieldError::FilterOnly { .. })));
    assert!(FieldRef::parse("proc.name").is_ok());
}

#[test]
fn every_field_is_listed_once() {
    let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
    assert!(before > 200);
}

#[test]
fn rawarg_param_is_the_longest_param_of_that_exact_name() {
    for t in 0..crate::schema::SYSDIG_0_29_EVENT_MAX {
        let Some(info) = crate::schema::event_info(t) else { continue };
        for p in info.params.iter().filter(|p| !p.name.is_empty()) {
            let slow = super::registry::longest_param(p.name).filter(|b| b.name == p.name);
            let fast = super::registry::rawarg_param(p.name);
            assert!(std::ptr::eq(slow.expect("found"), fast.expect("found")), "{}", p.name);
        }
    }
    assert!(super::registry::rawarg_param("nosuchparam").is_none());
}
