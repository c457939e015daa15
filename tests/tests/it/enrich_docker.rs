//! scap-enrich against this machine's Docker engine: a named, labelled container running as a
//! user that exists only inside it is described by the engine, and its events come out of the
//! stage with the container's record and users before the stream ends.
//!
//! These tests drive the stage with events of the container's real processes (what a live
//! capture of them contains); the end-to-end test through a live capture is in `enrich_live`.

#![allow(clippy::unwrap_used)]

use std::io::Write;

use scap_common::cgroup;
use scap_common::event::Event;
use scap_common::schema::ev;
use scap_common::stage::{Collect, Stage};
use scap_common::state::State;
use scap_common::wire::{End, Frame, FrameReader, FrameWriter, Header, MachineInfo};
use scap_enrich::procfs::Procfs;
use scap_enrich::runtime::Runtimes;
use scap_enrich::{local_hostname, Config, Enricher, Lookups};
use scap_tests::docker::{self, Container, IMAGE};
use scap_tests::sh;

fn live_header() -> Frame {
    let machine = MachineInfo { hostname: local_hostname(), ..MachineInfo::default() };
    Frame::Header(Header { source: "live".into(), machine, ..Header::default() })
}

/// Events a capture of `tid` would show: pipe enters, which carry no fd.
fn events(tid: i64, n: u64) -> Vec<Frame> {
    (1..=n).map(|i| Frame::Event(Event::from_params(i, 1_000 + i, tid, 0, ev::SYSCALL_PIPE_E, &[]))).collect()
}

fn busy_loop() -> [&'static str; 3] {
    ["sh", "-c", "while true; do cat /etc/hostname >/dev/null; sleep 0.2; done"]
}

#[test]
fn the_engine_describes_a_named_labelled_container() {
    if !docker::available() {
        return;
    }
    let c = Container::start(
        "scap-enrich-it-describe",
        &["--label", "scap.test=describe", "--label", "tier=front", "--user", "4242:4343"],
        &busy_loop(),
    );
    let thread = Procfs::default().thread(c.pid()).unwrap();
    let found = cgroup::detect(thread.cgroups.iter().map(|(_, p)| p.as_slice())).unwrap();
    assert_eq!(found.id, c.short_id());
    assert_eq!(found.full_id, c.id);
    let answer = Runtimes::default().describe(&found);
    assert!(answer.problems.is_empty(), "{:?}", answer.problems);
    let r = answer.record;
    assert_eq!((r.id.as_str(), r.runtime.as_str(), r.name.as_str()), (c.short_id(), "docker", c.name.as_str()));
    assert_eq!(r.image, IMAGE);
    assert_eq!((r.image_repo.as_str(), r.image_tag.as_str()), ("scap-enrich-test", "busybox"));
    assert_eq!(r.image_id.len(), 64, "{r:?}");
    assert!(r.labels.contains(&("scap.test".into(), "describe".into())), "{:?}", r.labels);
    assert!(r.labels.contains(&("tier".into(), "front".into())));
    assert_eq!(r.privileged, Some(false));
    assert_ne!(r.ip, 0, "a bridge-networked container has an address");
    assert!(!r.lookup_failed);
}

#[test]
fn live_events_of_a_container_get_its_record_and_its_users() {
    if !docker::available() {
        return;
    }
    let c = Container::start(
        "scap-enrich-it-stream",
        &["--label", "scap.test=stream", "--user", "4242:4343"],
        &busy_loop(),
    );
    let pid = c.pid();
    let host = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    let host_pid = i64::from(host.id());
    let config = Config { lookups: Lookups::Auto, ..Config::default() };
    let mut enricher = Enricher::new(config);
    let mut out = Collect::default();
    let mut input = vec![live_header()];
    input.extend(events(pid, 50));
    input.extend(events(host_pid, 5));
    input.push(Frame::End(End { n_events: 55, ..End::default() }));
    for f in input {
        enricher.on_frame(f, &mut out).unwrap();
    }
    enricher.finish(&mut out).unwrap();
    let mut host = host;
    let _ = host.kill();
    let _ = host.wait();

    let n_events = out.0.iter().filter(|f| matches!(f, Frame::Event(_))).count();
    assert_eq!(n_events, 55, "no event is lost");
    assert!(matches!(out.0.last(), Some(Frame::End(_))));
    let first_event = out.0.iter().position(|f| matches!(f, Frame::Event(_))).unwrap();
    let thread_rec = out.0.iter().position(|f| matches!(f, Frame::Thread(t) if t.tid == pid)).unwrap();
    assert!(thread_rec < first_event, "the thread is described before its first event");

    let mut state = State::new();
    for f in &out.0 {
        state.apply(f);
    }
    assert_eq!(state.threads[&pid].container_id, c.short_id());
    assert_eq!(state.threads[&host_pid].container_id, "", "a host process is on the host");
    let rec = &state.containers[c.short_id()];
    assert_eq!((rec.name.as_str(), rec.image.as_str()), (c.name.as_str(), IMAGE));
    assert!(rec.labels.contains(&("scap.test".into(), "stream".into())));
    assert_eq!(state.threads[&pid].uid, 4242);
    assert_eq!(state.user(c.short_id(), 4242).map(|u| u.name.as_str()), Some("bbuser"));
    assert_eq!(state.group(c.short_id(), 4343).map(|g| g.name.as_str()), Some("bbgroup"));
    assert_eq!(state.user("", 0).map(|u| u.name.as_str()), Some("root"), "host users are in the stream");
    assert!(state.user("", 4242).is_none(), "bbuser exists only in the container");
    assert_eq!(enricher.counters().container_lookups, 1, "one lookup per container");
}

#[test]
fn the_binary_enriches_a_stream_file() {
    if !docker::available() {
        return;
    }
    let c = Container::start("scap-enrich-it-binary", &["--label", "scap.test=binary"], &busy_loop());
    let dir = std::env::temp_dir().join(format!("scap-enrich-it-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.stream");
    let mut w = FrameWriter::new(std::fs::File::create(&input).unwrap());
    w.write(&live_header()).unwrap();
    for f in events(c.pid(), 10) {
        w.write(&f).unwrap();
    }
    w.write(&Frame::End(End { n_events: 10, ..End::default() })).unwrap();
    w.into_inner().unwrap().flush().unwrap();
    let out = sh(&format!("scap-enrich -r '{}' | cat > '{}/out.stream'", input.display(), dir.display()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(dir.join("out.stream")).unwrap();
    let mut r = FrameReader::new(&bytes[..]);
    let mut frames = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        frames.push(f);
    }
    let rec = frames.iter().find_map(|f| match f {
        Frame::Container(c) => Some(c.clone()),
        _ => None,
    });
    let rec = rec.expect("a container record in the output");
    assert_eq!((rec.id.as_str(), rec.name.as_str()), (c.short_id(), c.name.as_str()));
    assert_eq!(frames.iter().filter(|f| matches!(f, Frame::Event(_))).count(), 10);
    let _ = std::fs::remove_dir_all(&dir);
}
