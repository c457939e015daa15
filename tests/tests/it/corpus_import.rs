//! Issue 2: importing every corpus trace and printing sysdig's first seven columns.

use scap_tests::*;

/// The first seven columns of each line: evt.num, time, cpu, proc.name, (tid), dir, type.
fn seven_columns(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out).lines().map(|l| l.split(' ').take(7).collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn every_readable_trace_prints_sysdigs_first_seven_columns() {
    let mut failures = Vec::new();
    for trace in readable_traces() {
        let out = sh(&format!("scap-record -r '{}' | scap-print", trace.display()));
        assert!(out.status.success(), "{}: {}", stem(&trace), String::from_utf8_lossy(&out.stderr));
        let expected = seven_columns(&reference_default(&trace));
        let actual = seven_columns(&out.stdout);
        // Lines of events whose evt.info holds a newline are split in two by sysdig; compare the
        // lines that start with an event number, which are all of them for the seven columns.
        let starts = |v: &[String]| {
            v.iter()
                .filter(|l| l.split(' ').next().is_some_and(|n| n.parse::<u64>().is_ok()))
                .cloned()
                .collect::<Vec<_>>()
        };
        let (e, a) = (starts(&expected), starts(&actual));
        if e != a {
            let first = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
            failures.push(format!(
                "{}: line {}: expected {:?}, got {:?}",
                stem(&trace),
                first + 1,
                e.get(first),
                a.get(first)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_trace_sysdig_cannot_open_is_read() {
    let comments =
        traces().into_iter().find(|t| stem(t).ends_with("_comments")).expect("libs__curl_google_comments in corpus");
    let plain = traces().into_iter().find(|t| stem(t) == "libs__curl_google").expect("libs__curl_google in corpus");
    let a = sh(&format!("scap-record -r '{}' | scap-print", comments.display()));
    let b = sh(&format!("scap-record -r '{}' | scap-print", plain.display()));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(!a.stdout.is_empty());
    // The same capture with pcapng comments added: same events.
    assert_same_lines("comments trace vs plain trace", &b.stdout, &a.stdout);
}

#[test]
fn newer_event_types_are_decoded_by_name() {
    use scap_common::wire::Frame;
    let sample = traces().into_iter().find(|t| stem(t) == "libs__sample").expect("libs__sample in corpus");
    let mut source = scap_common::input::Source::open_path(&sample.to_string_lossy()).expect("open");
    let (mut users, mut groups, mut events) = (0, 0, 0);
    let mut newest_type = 0;
    while let Some(frame) = source.next_frame().expect("reads") {
        match frame {
            Frame::User(u) => {
                users += 1;
                assert!(!u.name.is_empty(), "user {} has a name", u.uid);
            }
            Frame::Group(_) => groups += 1,
            Frame::Event(e) => {
                events += 1;
                newest_type = newest_type.max(e.event_type);
                assert!(e.info().is_some(), "event type {} is in the schema", e.event_type);
            }
            _ => {}
        }
    }
    // libs__sample.scap stores its user table as 34 useradded and 61 groupadded metaevents
    // (types 354 and 358, unknown to sysdig 0.29.3), beside a v2 user list block.
    assert!(users >= 34 && groups >= 61, "users {users}, groups {groups}");
    assert_eq!(events, 477, "the events sysdig 0.29.3 delivers");
    assert_eq!(scap_common::schema::event_info(354).map(|i| i.name), Some("useradded"));
    assert_eq!(scap_common::schema::event_info(358).map(|i| i.name), Some("groupadded"));
}

#[test]
fn streams_written_with_w_read_back_to_the_same_output() {
    let dir = std::env::temp_dir().join(format!("scap-tests-w-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in ["falco__cat_write", "libs__sample", "instruqt__ticket-generator-http-error-b841f454"] {
        let t = traces().into_iter().find(|t| stem(t) == name).expect("trace in corpus");
        let direct = sh(&format!("scap-record -r '{}' | scap-print -D", t.display()));
        assert!(direct.status.success());
        let plain = dir.join(format!("{name}.stream"));
        let zst = dir.join(format!("{name}.stream.zst"));
        let out = sh(&format!(
            "scap-record -r '{t}' -w '{p}' && scap-record -r '{t}' -z -w '{z}' && scap-print -D -r '{p}' && scap-print -D -r '{z}' && scap-record -r '{z}' | scap-print -D",
            t = t.display(),
            p = plain.display(),
            z = zst.display()
        ));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let three = [direct.stdout.clone(), direct.stdout.clone(), direct.stdout.clone()].concat();
        assert_same_lines(name, &three, &out.stdout);
        let head = std::fs::read(&zst).expect("zstd file");
        assert_eq!(&head[..4], &[0x28, 0xb5, 0x2f, 0xfd], "-z writes zstd");
    }
}

#[test]
fn in_process_and_piped_runs_print_the_same() {
    for t in readable_traces().into_iter().filter(|t| std::fs::metadata(t).map(|m| m.len() < 300_000).unwrap_or(false))
    {
        let piped = sh(&format!("scap-record -r '{}' | scap-print", t.display()));
        let source = scap_common::input::Source::open_path(&t.to_string_lossy()).expect("open trace");
        let mut out = Vec::new();
        let mut printer = scap_print::Printer::new(scap_print::Config::default(), &mut out).expect("printer");
        scap_common::stage::run(source, &mut printer, &mut scap_common::stage::Discard).expect("in-process run");
        drop(printer);
        assert_same_lines(&stem(&t), &piped.stdout, &out);
    }
}

/// A concatenation of traces is one multi-section trace; sysdig numbers the leading container
/// events of the first section only.
#[test]
fn concatenated_traces_number_events_as_sysdig_does() {
    let Some(sysdig) = reference_sysdig() else { return };
    let t = traces()
        .into_iter()
        .find(|t| stem(t) == "instruqt__ticket-generator-http-error-b841f454")
        .expect("trace in corpus");
    let dir = std::env::temp_dir().join(format!("scap-tests-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let two = dir.join("two.scap");
    let out = sh(&format!("zcat '{t}' > '{p}' && zcat '{t}' >> '{p}'", t = t.display(), p = two.display()));
    assert!(out.status.success());
    let ours = sh(&format!("scap-record -r '{}' | scap-print -p '%evt.num %evt.type'", two.display()));
    let theirs = sh(&format!("'{}' -r '{}' -p '%evt.num %evt.type'", sysdig.display(), two.display()));
    assert!(ours.status.success() && theirs.status.success());
    assert_same_lines("two sections", &theirs.stdout, &ours.stdout);
}
