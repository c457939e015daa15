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

#[test]
fn direct_writers_print_what_write_prints() {
    use crate::event::Event;
    use crate::schema::ev;
    use crate::state::State;
    use crate::wire::{Frame, ThreadRecord};

    let fresh = || {
        let mut state = State::new();
        let comm = b"nginx\0junk".to_vec();
        state.apply(&Frame::Thread(ThreadRecord { tid: 7, pid: 5, comm: comm.into(), ..ThreadRecord::default() }));
        state
    };
    let events = [
        Event::from_params(1, 1_470_327_477_881_730_713, 7, 3, ev::SYSCALL_OPEN_E, &[]),
        Event::from_params(123_456_789, 2, 7, 65_535, ev::SYSCALL_CLOSE_X, &[&(-2i64).to_le_bytes()]),
        Event::from_params(u64::MAX, 3, -1, 0, ev::GENERIC_E, &[&5u16.to_le_bytes()]),
        Event::from_params(10, 4, 99, 1, ev::GENERIC_X, &[&9999u16.to_le_bytes()]),
        Event { event_type: 65_000, num: 0, tid: 7, ..Event::default() },
    ];
    let mut n_direct = 0;
    for f in FIELDS.iter() {
        let Ok(field) = FieldRef::parse(f.name) else { continue };
        let Some((direct, may_nul)) = field.direct_writer() else { continue };
        n_direct += 1;
        for e in &events {
            let mut state = fresh();
            state.apply(&Frame::Event(e.clone()));
            let ctx = Ctx::new(e, &state);
            let (mut a, mut b) = (b"x".to_vec(), b"x".to_vec());
            let wrote = direct(&ctx, &field.arg, &mut a, &mut Scratch::default());
            let want = field.write(&ctx, &mut b, &mut Scratch::default()).expect("renders");
            assert!(may_nul || !a.contains(&0), "{} wrote a NUL", f.name);
            assert_eq!((wrote, a), (want, b), "{} on event {}", f.name, e.num);
        }
    }
    assert!(n_direct >= 7);
}
