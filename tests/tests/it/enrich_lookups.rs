//! scap-enrich's lookups never hold up the stream: a runtime that accepts connections and never
//! answers, or is not there at all, costs no event and no delay to events, and is reported once.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Sender};
use scap_common::event::Event;
use scap_common::input::Source;
use scap_common::schema::ev;
use scap_common::stage::{Collect, Emit, Stage, StageError};
use scap_common::wire::{End, Frame, FrameWriter, Header, ThreadRecord};
use scap_enrich::procfs::Procfs;
use scap_enrich::runtime::Runtimes;
use scap_enrich::{Config, Enricher, Lookups};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("scap-enrich-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A thread record in a Docker container whose id starts with `n` (a tid no real process has).
fn container_thread(tid: i64, n: u8) -> Frame {
    let id: String = std::iter::repeat_n(char::from(b'a' + n), 64).collect();
    Frame::Thread(ThreadRecord {
        tid,
        pid: tid,
        comm: b"worker".to_vec().into(),
        cgroups: vec![("memory".into(), format!("/docker/{id}").into_bytes().into())],
        ..ThreadRecord::default()
    })
}

fn event(num: u64, tid: i64) -> Frame {
    Frame::Event(Event::from_params(num, 1_000 + num, tid, 0, ev::SYSCALL_PIPE_E, &[]))
}

/// Lookups against `docker` only: no /proc (an empty directory) and no host users.
fn config(dir: &Path, docker: PathBuf, timeout: Duration) -> Config {
    // The other runtimes' sockets are paths that do not exist: the machine's own (containerd
    // runs beside Docker here) must not add their answer times to the lookup's.
    let runtimes = Runtimes {
        docker,
        podman: dir.join("podman.sock"),
        crio: dir.join("crio.sock"),
        containerd: dir.join("containerd.sock"),
        containerd_tasks: Vec::new(),
        timeout,
    };
    Config {
        lookups: Lookups::Always,
        runtimes,
        procfs: Procfs::at(dir.join("proc")),
        host_root: dir.join("root"),
        ..Config::default()
    }
}

#[derive(Clone, Default)]
struct Diag(Arc<Mutex<Vec<u8>>>);

impl Write for Diag {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Diag {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap()).lines().map(str::to_string).collect()
    }
}

/// A server that accepts every connection and never answers.
fn silent_server(path: &Path) {
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
}

#[test]
fn a_hung_runtime_never_stalls_or_drops_events() {
    let dir = temp_dir("hung");
    let socket = dir.join("docker.sock");
    silent_server(&socket);
    // A stalled event would wait the whole timeout; 20,000 events of a debug build take well
    // under a second here, and the margin leaves room for a loaded CI machine (the bound was
    // half of 3 s once, which a load of 8 exceeded).
    let timeout = Duration::from_secs(6);
    let diag = Diag::default();
    let mut enricher = Enricher::with_diagnostics(config(&dir, socket.clone(), timeout), Box::new(diag.clone()));
    let mut out = Collect::default();
    enricher.on_frame(Frame::Header(Header { source: "live".into(), ..Header::default() }), &mut out).unwrap();
    enricher.on_frame(container_thread(900_001, 0), &mut out).unwrap();
    let n = 20_000u64;
    let start = Instant::now();
    for i in 1..=n {
        enricher.on_frame(event(i, 900_001), &mut out).unwrap();
    }
    let took = start.elapsed();
    let passed = out.0.iter().filter(|f| matches!(f, Frame::Event(_))).count() as u64;
    assert_eq!(passed, n, "every event passed while the lookup hangs");
    assert!(took < timeout * 4 / 5, "{n} events took {took:?} while the runtime hangs");
    assert_eq!(enricher.counters().container_lookups, 1);

    enricher.on_frame(Frame::End(End { n_events: n, ..End::default() }), &mut out).unwrap();
    let nums: Vec<u64> =
        out.0.iter().filter_map(|f| if let Frame::Event(e) = f { Some(e.num) } else { None }).collect();
    assert_eq!(nums, (1..=n).collect::<Vec<u64>>(), "events keep their order");
    let rec = out.0.iter().find_map(|f| if let Frame::Container(c) = f { Some(c.clone()) } else { None }).unwrap();
    assert!(rec.lookup_failed && rec.id == "aaaaaaaaaaaa", "{rec:?}");
    assert!(matches!(out.0.last(), Some(Frame::End(_))), "the end frame comes last");
    let lines = diag.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("docker.sock") && lines[0].contains("no answer"), "{lines:?}");
}

#[test]
fn an_unreachable_runtime_is_reported_once() {
    let dir = temp_dir("absent");
    let diag = Diag::default();
    let mut enricher = Enricher::with_diagnostics(
        config(&dir, dir.join("absent.sock"), Duration::from_secs(1)),
        Box::new(diag.clone()),
    );
    let mut out = Collect::default();
    enricher.on_frame(Frame::Header(Header { source: "live".into(), ..Header::default() }), &mut out).unwrap();
    for (i, tid) in [900_011i64, 900_012, 900_013].into_iter().enumerate() {
        enricher.on_frame(container_thread(tid, i as u8), &mut out).unwrap();
        for k in 0..100 {
            enricher.on_frame(event(k, tid), &mut out).unwrap();
        }
    }
    enricher.on_frame(Frame::End(End::default()), &mut out).unwrap();
    let failed = out.0.iter().filter(|f| matches!(f, Frame::Container(c) if c.lookup_failed)).count();
    assert_eq!(failed, 3, "each container gets a record saying its lookup failed");
    let lines = diag.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("absent.sock"), "{lines:?}");
}

struct ChannelEmit(Sender<Frame>);

impl Emit for ChannelEmit {
    fn emit(&mut self, frame: Frame) -> Result<(), StageError> {
        self.0.send(frame).map_err(|_| StageError::Failed { stage: "test", what: "receiver gone".into() })
    }
}

/// A server answering every request with 404 after `delay`.
fn slow_404_server(path: &Path, delay: Duration) {
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut conn: UnixStream = conn;
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                std::thread::sleep(delay);
                let _ = conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            });
        }
    });
}

#[test]
fn an_answer_is_emitted_while_the_input_is_idle() {
    let dir = temp_dir("idle");
    let socket = dir.join("docker.sock");
    slow_404_server(&socket, Duration::from_millis(300));
    let (reader, writer) = std::io::pipe().unwrap();
    let mut writer = FrameWriter::new(writer);
    writer.write(&Frame::Header(Header { source: "live".into(), ..Header::default() })).unwrap();
    writer.write(&container_thread(900_021, 5)).unwrap();
    writer.write(&event(1, 900_021)).unwrap();
    writer.flush().unwrap();
    let (tx, rx) = unbounded();
    let enricher = Enricher::new(config(&dir, socket, Duration::from_secs(5)));
    let runner = std::thread::spawn(move || {
        let source = Source::open(Box::new(reader), "pipe").unwrap();
        scap_enrich::run(enricher, source, &mut ChannelEmit(tx), |_| Ok(())).unwrap()
    });
    // The input stays open and quiet; the container's record must still come.
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut got = None;
    while got.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Frame::Container(c)) => got = Some(c),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let rec = got.expect("the container record arrives while no input comes");
    assert_eq!(rec.id, "ffffffffffff");
    writer.write(&Frame::End(End::default())).unwrap();
    drop(writer.into_inner().unwrap());
    let outcome = runner.join().unwrap();
    assert!(outcome.input_error.is_none());
}
