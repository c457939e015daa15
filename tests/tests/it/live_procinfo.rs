//! procinfo events on live captures: the probe's task iterator reports every thread in scope
//! once a second with its CPU time in clock ticks, so thread.cpu (topprocs_cpu, scap-top's CPU
//! column, sysdig's own chisels on a `.scap` we write) works on live captures as on traces.

use scap_common::input::Source;
use scap_common::schema::ev;
use scap_common::state::State;
use scap_common::wire::Frame;
use scap_tests::*;

use crate::live_capture::{live_ready, TempDir};

/// How long the workload burns CPU: three wall-clock seconds start within it, so at least two
/// procinfo events fall inside it and one delta covers a full second of spinning.
const SPIN_MS: u32 = 3200;

/// The spinning process's pid and its procinfo events (ts, cpu_usr, cpu_sys), with the tids of
/// every procinfo event in the capture.
fn procinfo_of(file: &std::path::Path) -> (i64, Vec<(u64, u64, u64)>, Vec<i64>) {
    let mut src = Source::open_path(&file.to_string_lossy()).expect("capture opens");
    let mut state = State::new();
    let mut spin_pid = None;
    let mut all = Vec::new();
    let mut mine = Vec::new();
    while let Some(frame) = src.next_frame().expect("capture reads") {
        state.apply(&frame);
        let Frame::Event(e) = &frame else { continue };
        let Some(th) = state.thread(e.tid) else { continue };
        if spin_pid.is_none() && th.comm == b"scap-workload" {
            spin_pid = Some(th.pid);
        }
        if e.event_type == ev::PROCINFO_E {
            all.push(e.tid);
            if Some(e.tid) == spin_pid {
                mine.push((e.ts, e.param_u64(0).expect("cpu_usr"), e.param_u64(1).expect("cpu_sys")));
            }
        }
    }
    (spin_pid.expect("the workload ran"), mine, all)
}

/// Records `scap-workload spin` into `file` (any format scap-record writes).
fn record_spin(file: &std::path::Path) {
    let rec =
        sh(&format!("scap-record -w '{}' -- '{}' spin {SPIN_MS}", file.display(), bin("scap-workload").display()));
    assert!(rec.status.success(), "scap-record: {}", String::from_utf8_lossy(&rec.stderr));
}

/// The CPU% of a process in a topprocs_cpu table (`CPU%  Process  PID` lines), the highest
/// over the intervals printed.
fn topprocs_cpu_of(text: &str, pid: i64) -> Option<f64> {
    text.lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.len() >= 3 && w[w.len() - 1] == pid.to_string())
                .then(|| w[0].trim_end_matches('%').parse::<f64>().ok())?
        })
        .reduce(f64::max)
}

#[test]
fn procinfo_events_report_a_busy_thread_and_feed_the_cpu_columns() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("procinfo");
    let file = dir.0.join("spin.scz");
    record_spin(&file);
    let (pid, mine, all) = procinfo_of(&file);

    // Only the command is in scope: every procinfo event is about it.
    assert!(!all.is_empty(), "no procinfo event in a {SPIN_MS} ms capture");
    assert!(all.iter().all(|&t| t == pid), "procinfo events for threads out of scope: {all:?} (workload {pid})");
    // About once a second, in clock ticks (1/100 s), growing while it spins in user space.
    assert!(mine.len() >= 2 && mine.len() <= 5, "procinfo events of the workload: {mine:?}");
    for w in mine.windows(2) {
        let gap = w[1].0 - w[0].0;
        assert!((500_000_000..2_000_000_000).contains(&gap), "procinfo events {gap} ns apart: {mine:?}");
        assert!(w[1].1 >= w[0].1 && w[1].2 >= w[0].2, "CPU times went back: {mine:?}");
    }
    let (first, last) = (mine[0], mine[mine.len() - 1]);
    let ticks = (last.1 + last.2) - (first.1 + first.2);
    let secs = (last.0 - first.0) as f64 / 1e9;
    // A spinning thread gets most of a CPU; the machine is shared, so allow a lot less, but a
    // wrong unit (ns, jiffies of another HZ) fails by orders of magnitude either way.
    assert!(
        ticks as f64 >= 20.0 * secs && ticks as f64 <= 101.0 * secs + 2.0,
        "{ticks} ticks in {secs:.2} s: {mine:?}"
    );
    assert!(last.1 > last.2, "the spin is user time: {mine:?}");

    // topprocs_cpu (scap-chisel) shows the workload's CPU.
    let chisel = sh(&format!("scap-chisel -r '{}' topprocs_cpu", file.display()));
    assert!(chisel.status.success(), "scap-chisel: {}", String::from_utf8_lossy(&chisel.stderr));
    let text = String::from_utf8_lossy(&chisel.stdout);
    let pct = topprocs_cpu_of(&text, pid).unwrap_or_else(|| panic!("pid {pid} not in topprocs_cpu:\n{text}"));
    // The share is over the whole capture, whose first second has no delta yet, and the
    // machine may be busy: a wrong unit would still be off by orders of magnitude.
    assert!((5.0..=100.0).contains(&pct), "topprocs_cpu shows {pct}% for the workload:\n{text}");

    // scap-top's procs view shows it too, from the file (one sample)...
    let top = sh(&format!("scap-top -r '{}' -v procs -j", file.display()));
    assert!(top.status.success(), "scap-top: {}", String::from_utf8_lossy(&top.stderr));
    let cpu = procs_cpu_of(&top.stdout, pid);
    assert!(cpu.is_some_and(|c| c > 10.0), "scap-top procs CPU of {pid}: {cpu:?}");

    // ...and live, from a pipe (a sample a second).
    let live = sh(&format!(
        "scap-record -- '{}' spin {SPIN_MS} 2>/dev/null | scap-top -v procs -j -d 1000",
        bin("scap-workload").display()
    ));
    assert!(live.status.success(), "scap-record | scap-top: {}", String::from_utf8_lossy(&live.stderr));
    let json: serde_json::Value = serde_json::from_slice(&live.stdout).expect("scap-top -j prints JSON");
    let row = json["slices"]
        .as_array()
        .expect("slices")
        .iter()
        .filter_map(|s| s["data"].as_array())
        .flatten()
        .find(|r| r["d"][9].as_str().is_some_and(|c| c.ends_with(&format!("scap-workload spin {SPIN_MS}"))))
        .unwrap_or_else(|| panic!("no scap-workload row in live scap-top: {json}"));
    let live_pid = row["d"][0].as_i64().expect("pid");
    let cpu = procs_cpu_of(&live.stdout, live_pid);
    assert!(cpu.is_some_and(|c| c > 10.0), "live scap-top procs CPU of {live_pid}: {cpu:?}");
}

/// The highest CPU (the procs view's third column) of a pid over the samples of `scap-top -j`.
fn procs_cpu_of(json: &[u8], pid: i64) -> Option<f64> {
    let json: serde_json::Value = serde_json::from_slice(json).expect("scap-top -j prints JSON");
    let key = pid.to_string();
    json["slices"]
        .as_array()
        .expect("slices")
        .iter()
        .filter_map(|s| s["data"].as_array())
        .flatten()
        .filter(|r| r["k"].as_str() == Some(key.as_str()))
        .filter_map(|r| r["d"][2].as_f64())
        .reduce(f64::max)
}

#[test]
fn a_live_scap_file_with_procinfo_works_in_sysdig() {
    if !live_ready() {
        return;
    }
    let Some(sysdig) = reference_sysdig() else { return };
    let dir = TempDir::new("procinfo-scap");
    let file = dir.0.join("spin.scap");
    record_spin(&file);
    let (pid, mine, _) = procinfo_of(&file);
    assert!(mine.len() >= 2, "procinfo events of the workload: {mine:?}");

    // sysdig reads the procinfo events as it reads its own (-D shows internal events).
    let ev = sh(&format!("'{}' -D -r '{}' evt.type=procinfo and thread.tid={pid}", sysdig.display(), file.display()));
    assert!(ev.status.success(), "sysdig: {}", String::from_utf8_lossy(&ev.stderr));
    let text = String::from_utf8_lossy(&ev.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("> procinfo cpu_usr=")).collect();
    assert_eq!(lines.len(), mine.len(), "sysdig -D shows the procinfo events:\n{text}");
    assert!(lines.iter().all(|l| l.contains("scap-workload")), "{text}");

    // And its topprocs_cpu computes the workload's CPU from them, as ours does. (How much CPU
    // the spinning workload got depends on what else the machine runs: it is not asserted.)
    let top = sh(&format!("'{}' -r '{}' -c topprocs_cpu", sysdig.display(), file.display()));
    assert!(top.status.success(), "sysdig -c topprocs_cpu: {}", String::from_utf8_lossy(&top.stderr));
    let text = String::from_utf8_lossy(&top.stdout);
    let pct = topprocs_cpu_of(&text, pid).unwrap_or_else(|| panic!("pid {pid} not in sysdig's topprocs_cpu:\n{text}"));
    assert!(pct > 0.0, "sysdig's topprocs_cpu shows {pct}% for the workload:\n{text}");
    let ours = sh(&format!("scap-chisel topprocs_cpu -r '{}'", file.display()));
    assert!(ours.status.success(), "scap-chisel topprocs_cpu: {}", String::from_utf8_lossy(&ours.stderr));
    let ours = String::from_utf8_lossy(&ours.stdout);
    assert_eq!(topprocs_cpu_of(&ours, pid), Some(pct), "topprocs_cpu, sysdig:\n{text}\nours:\n{ours}");
}
