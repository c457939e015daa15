//! Evaluator throughput on one core: decodes a trace once, then runs a compiled filter over the
//! pre-decoded events with the state applied, timing only the evaluation.
//!
//! `cargo run --release -p scap-filter --example eval_bench -- TRACE [FILTER] [ROUNDS]`

use std::time::{Duration, Instant};

use scap_common::fields::Ctx;
use scap_common::input::Source;
use scap_common::state::State;
use scap_common::wire::Frame;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let trace = args.get(1).map(String::as_str).unwrap_or("-");
    let filter = scap_filter::Filter::compile(args.get(2).map(String::as_str).unwrap_or("evt.type=open"))?;
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut source = Source::open_path(trace)?;
    let mut frames = Vec::new();
    while let Some(f) = source.next_frame()? {
        frames.push(f);
    }
    let events: Vec<&scap_common::event::Event> =
        frames.iter().filter_map(|f| if let Frame::Event(e) = f { Some(e) } else { None }).collect();

    // 1. Tight loop over the pre-decoded events, against the state at the end of the trace.
    let mut end_state = State::new();
    for f in &frames {
        end_state.apply(f);
    }
    let t0 = Instant::now();
    let mut n_matched = 0u64;
    for _ in 0..rounds {
        for e in &events {
            n_matched += u64::from(std::hint::black_box(filter.matches(&Ctx::new(e, &end_state))));
        }
    }
    let tight = t0.elapsed();
    let n = (events.len() * rounds) as f64;
    println!(
        "filter {:?}: pre-decoded events, end state: {:.1} ns/event, {:.1} M events/s ({} matched per pass)",
        filter.text(),
        tight.as_nanos() as f64 / n,
        n / tight.as_secs_f64() / 1e6,
        n_matched / rounds as u64
    );

    // 2. Replaying the stream with state applied per event: (apply + evaluate) - (apply alone).
    let replay = |evaluate: bool| {
        let t0 = Instant::now();
        let mut hits = 0u64;
        for _ in 0..rounds {
            let mut state = State::new();
            for f in &frames {
                state.apply(f);
                if evaluate {
                    if let Frame::Event(e) = f {
                        hits += u64::from(std::hint::black_box(filter.matches(&Ctx::new(e, &state))));
                    }
                }
            }
        }
        (t0.elapsed(), hits)
    };
    let (apply_only, _) = replay(false);
    let (with_eval, _) = replay(true);
    let eval = with_eval.saturating_sub(apply_only).max(Duration::from_nanos(1));
    println!(
        "filter {:?}: replayed with state: {:.1} ns/event evaluating ({:.1} M events/s), {:.1} ns/event applying state",
        filter.text(),
        eval.as_nanos() as f64 / n,
        n / eval.as_secs_f64() / 1e6,
        apply_only.as_nanos() as f64 / n
    );
    Ok(())
}
