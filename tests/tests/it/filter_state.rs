//! Issue 4: what scap-filter forwards is enough to rebuild the state.
//!
//! A filter that matches nothing still forwards, hidden, every event that changes state. On every
//! corpus trace (but the 146k-event k8s one), the state a downstream stage rebuilds from that
//! output must equal the state rebuilt from the whole stream: same threads (what they are, not
//! the enter event they last saw) and same fd tables, compared whenever both have just seen the
//! same event. If the state engine learns from a new kind of event, this fails until
//! `scap_filter::changes_state` forwards it.

use scap_common::stage::{Collect, Stage};
use scap_common::state::{State, Thread};
use scap_common::wire::Frame;
use scap_tests::*;

use crate::filter_diff::frames_of;

/// A thread as far as later events can see it: everything but the bookkeeping of the event it
/// saw last (stored enter, latency start, last fd, timestamps), which the stage only guarantees
/// for the events it forwards. Its fd table in fd order.
fn thread_view(t: &Thread) -> String {
    let mut t = t.clone();
    let mut fds: Vec<_> = t.fds.iter().map(|(n, f)| (n, f.clone())).collect();
    fds.sort_by_key(|(n, _)| *n);
    t.fds = Default::default();
    t.lastevent_fd = 0;
    t.lastevent_type = 0;
    t.lastevent_data = None;
    t.lastevent_valid = false;
    t.latency = 0;
    t.last_latency_entertime = 0;
    t.lastevent_ts = 0;
    t.prevevent_ts = 0;
    t.flags &= !scap_common::state::cl::ACTIVE;
    format!("{t:?} fds {fds:?}")
}

fn compare(full: &State, rebuilt: &State, at: u64, what: &str) -> Result<(), String> {
    for (tid, t) in &full.threads {
        if t.synthetic {
            continue;
        }
        let Some(r) = rebuilt.threads.get(tid) else {
            return Err(format!("{what}: at event {at}: thread {tid} missing"));
        };
        if thread_view(t) != thread_view(r) {
            return Err(format!(
                "{what}: at event {at}: thread {tid} differs:\n  full    {}\n  rebuilt {}",
                thread_view(t),
                thread_view(r)
            ));
        }
    }
    Ok(())
}

#[test]
fn forwarded_events_rebuild_the_whole_state() {
    let mut failures = Vec::new();
    for trace in readable_traces() {
        let name = stem(&trace);
        if name == "bencer-k8s__capture" {
            continue;
        }
        let mut stage = scap_filter::FilterStage::new(scap_filter::Config::new("evt.num=0").expect("compiles"));
        let mut full = State::new();
        let mut rebuilt = State::new();
        let mut n_checked = 0u64;
        let result = (|| {
            for frame in frames_of(&trace) {
                full.apply(&frame);
                let num = if let Frame::Event(e) = &frame { Some(e.num) } else { None };
                let mut out = Collect::default();
                stage.on_frame(frame, &mut out).map_err(|e| e.to_string())?;
                let mut last = None;
                for f in &out.0 {
                    rebuilt.apply(f);
                    if let Frame::Event(e) = f {
                        last = Some(e.num);
                    }
                }
                // Compare when the rebuilt state has just seen the same event as the full one.
                if num.is_some() && last == num {
                    n_checked += 1;
                    if n_checked.is_multiple_of(64) {
                        compare(&full, &rebuilt, num.unwrap_or(0), &name)?;
                    }
                }
            }
            compare(&full, &rebuilt, u64::MAX, &name)
        })();
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
