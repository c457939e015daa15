//! Issue 4: scap-filter as a program: the pipe gives what the in-process suite checks, exit
//! codes follow grep (0 matched, 1 nothing matched, 2 error), errors are one line.

use scap_tests::*;

use crate::filter_diff::{frames_of, ours};

fn trace(name: &str) -> std::path::PathBuf {
    traces().into_iter().find(|t| stem(t) == name).unwrap_or_else(|| panic!("{name} in corpus"))
}

#[test]
fn the_pipe_prints_what_the_in_process_stages_print() {
    for (name, filter) in [
        ("falco__cat_write", "evt.type=open"),
        ("sysdig-inspect__502error", "proc.name=curl and evt.dir=<"),
        ("libs__curl_google", "evt.type in (connect, sendto) or evt.rawarg.res<0"),
    ] {
        let t = trace(name);
        let out = sh(&format!("scap-record -r '{}' | scap-filter '{filter}' | scap-print", t.display()));
        assert!(out.status.success(), "{name} [{filter}]: {}", String::from_utf8_lossy(&out.stderr));
        let expected = ours(&frames_of(&t), filter).expect("filter compiles");
        assert_same_lines(&format!("{name} [{filter}]"), &expected, &out.stdout);
    }
}

#[test]
fn exit_status_is_0_on_a_match_and_1_on_none() {
    let t = trace("falco__cat_write");
    let hit = sh(&format!("scap-record -r '{}' | scap-filter evt.type=open > /dev/null", t.display()));
    assert_eq!(hit.status.code(), Some(0), "{}", String::from_utf8_lossy(&hit.stderr));
    let none = sh(&format!("scap-filter -r '{}' proc.name=nosuchprocess > /dev/null", t.display()));
    assert_eq!(none.status.code(), Some(1), "{}", String::from_utf8_lossy(&none.stderr));
}

#[test]
fn a_bad_filter_is_one_line_naming_the_column_and_exits_2() {
    let t = trace("falco__cat_write");
    for (filter, want) in [
        ("evt.type=open and", "scap-filter: syntax error at column 18: expected a field name, found end of filter"),
        ("evt.typ=open", "scap-filter: unknown field 'evt.typ' at column 1 (did you mean evt.type"),
        ("evt.num contains 5", "scap-filter: column 1: evt.num: 'contains' is not supported for numeric fields"),
        ("evt.num=abc", "scap-filter: column 1: evt.num: 'abc' is not a valid number"),
        ("evt.type=opne", "scap-filter: column 1: evt.type: unknown event type 'opne'"),
        ("fd.ip=1.2.3", "scap-filter: column 1: fd.ip: '1.2.3' is not an IP address"),
    ] {
        let out = sh(&format!("scap-filter -r '{}' '{filter}' > /dev/null", t.display()));
        assert_eq!(out.status.code(), Some(2), "{filter}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{filter}: {err}");
        assert!(err.starts_with(want), "{filter}: got {err:?}, want {want:?}");
    }
}

#[test]
fn a_filter_stage_that_drops_everything_keeps_names_downstream() {
    // Every `open` is dropped by the first filter, yet the second, downstream, still sees the fd
    // names the opens created: they went down hidden.
    let t = trace("falco__cat_write");
    let out = sh(&format!(
        "scap-record -r '{}' | scap-filter 'not evt.type=open' | scap-filter 'evt.type=read' | scap-print",
        t.display()
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let direct = ours(&frames_of(&t), "evt.type=read").expect("compiles");
    assert_same_lines("two filters vs one", &direct, &out.stdout);
}
