//! Issue 2: damaged input gives one line naming the problem and the byte offset, exit status 2,
//! no panic, and what was read before the damage is not lost.

use std::path::PathBuf;

use scap_tests::*;

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scap-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p
}

fn trace(name: &str) -> PathBuf {
    traces().into_iter().find(|t| stem(t) == name).unwrap_or_else(|| panic!("{name} in corpus"))
}

/// Checks the exit status, that stderr is exactly one line containing every fragment, and no panic.
fn assert_one_line_error(out: &std::process::Output, fragments: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit status, stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line of error: {err}");
    for f in fragments {
        assert!(lines[0].contains(f), "error {:?} should mention {f:?}", lines[0]);
    }
}

#[test]
fn a_truncated_trace_is_reported_with_its_offset_after_printing_what_was_read() {
    let data = std::fs::read(trace("sysdig-inspect__502error")).expect("read trace");
    let cut = scratch("cut.scap", &data[..50_000]);
    let out = sh(&format!("scap-record -r '{}' > /dev/null", cut.display()));
    assert_one_line_error(&out, &["truncated block", "at byte 49956"]);
    // The events before the cut reach the printer, which then reports the cut stream.
    let out = sh(&format!("scap-record -r '{}' 2>/dev/null | scap-print", cut.display()));
    assert!(out.stdout.starts_with(b"23 "), "events before the cut are printed");
    assert!(out.stdout.ends_with(b"procexit status=0 \n"), "up to the last whole event");
    assert_one_line_error(&out, &["stream cut at byte"]);
}

#[test]
fn random_bytes_are_refused_at_byte_zero() {
    let noise: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let p = scratch("noise.bin", &noise);
    for cmd in [format!("scap-record -r '{}' > /dev/null", p.display()), format!("scap-print < '{}'", p.display())] {
        let out = sh(&cmd);
        assert_one_line_error(&out, &["unrecognized input at byte 0"]);
    }
}

#[test]
fn a_corrupt_block_length_is_reported() {
    let mut data = std::fs::read(trace("sysdig-inspect__502error")).expect("read trace");
    // Walk to the third block and overwrite its length.
    let mut off = 0usize;
    for _ in 0..2 {
        let len = u32::from_le_bytes([data[off + 4], data[off + 5], data[off + 6], data[off + 7]]) as usize;
        off += len;
    }
    data[off + 4..off + 8].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let p = scratch("corrupt.scap", &data);
    let out = sh(&format!("scap-record -r '{}' > /dev/null", p.display()));
    assert_one_line_error(&out, &["corrupt block length 2147483647", &format!("at byte {off}")]);
}

#[test]
fn a_gzip_trace_cut_short_is_reported() {
    let data = std::fs::read(trace("falco__cat_write")).expect("read trace");
    assert_eq!(&data[..2], &[0x1f, 0x8b], "this trace is gzip");
    let p = scratch("cut.scap.gz", &data[..data.len() / 2]);
    let out = sh(&format!("scap-record -r '{}' > /dev/null", p.display()));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn empty_stdin_is_an_error() {
    for cmd in ["scap-print < /dev/null", "scap-record -r - < /dev/null > /dev/null"] {
        let out = sh(cmd);
        assert_one_line_error(&out, &["empty input", "byte 0"]);
    }
}

#[test]
fn a_stream_cut_mid_frame_is_reported_with_its_offset() {
    let out = sh(&format!(
        "scap-record -r '{}' | head -c 3000 | scap-print > /dev/null",
        trace("falco__cat_write").display()
    ));
    assert_one_line_error(&out, &["stream truncated at byte"]);
}

#[test]
fn a_stream_without_its_end_frame_is_reported() {
    let full = sh(&format!("scap-record -r '{}'", trace("falco__cat_write").display()));
    assert!(full.status.success());
    // Drop the End frame: it is the last frame; find it by walking the frames.
    let bytes = &full.stdout;
    let mut off = 0usize;
    let mut last = 0usize;
    while off + 4 <= bytes.len() {
        last = off;
        off += 4 + u32::from_le_bytes([bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]]) as usize;
    }
    let p = scratch("noend.stream", &bytes[..last]);
    let out = sh(&format!("scap-print < '{}' > /dev/null", p.display()));
    assert_one_line_error(&out, &[&format!("stream cut at byte {last}: no end frame")]);
}
