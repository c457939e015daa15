//! Helpers shared by the cross-stage tests in `tests/it/`: where the corpus is, how to run the
//! workspace's binaries and the reference sysdig, and comparisons that print both sides.

pub mod docker;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The shared corpus directory (`../shared/corpus` beside the checkout).
pub fn corpus_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    root.canonicalize().unwrap_or(root)
}

/// Every trace of the corpus, sorted by name.
pub fn traces() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("traces"))
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "scap")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The traces sysdig 0.29.3 reads (all but the one whose section header has options).
pub fn readable_traces() -> Vec<PathBuf> {
    traces().into_iter().filter(|p| !stem(p).ends_with("_comments")).collect()
}

/// A trace's name without directory and extension.
pub fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The stored reference output of `TZ=UTC sysdig -r T` for a trace.
pub fn reference_default(trace: &Path) -> Vec<u8> {
    let gz = corpus_dir().join("sysdig-0.29.3-output").join(format!("{}.default.txt.gz", stem(trace)));
    let file = std::fs::File::open(&gz).unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(file), &mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
    out
}

/// The path of a workspace binary, built next to the test executable.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    let dir = exe.parent().and_then(|d| d.parent()).unwrap_or_else(|| panic!("no target dir above {}", exe.display()));
    let p = dir.join(name);
    assert!(p.exists(), "{} is not built; run cargo build --workspace first", p.display());
    p
}

/// Runs a shell pipeline with the workspace's binaries on PATH and TZ=UTC.
pub fn sh(script: &str) -> Output {
    let bindir = bin("scap-print").parent().map(Path::to_path_buf).unwrap_or_default();
    let path = format!("{}:{}", bindir.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("bash")
        .arg("-o")
        .arg("pipefail")
        .arg("-c")
        .arg(script)
        .env("PATH", path)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("running bash: {e}"))
}

/// The reference sysdig named by `SCAP_REFERENCE_SYSDIG`: `None` (with a visible note) when unset;
/// a panic when set to something missing, or when unset under `CI=true`.
pub fn reference_sysdig() -> Option<PathBuf> {
    match std::env::var_os("SCAP_REFERENCE_SYSDIG") {
        Some(p) => {
            let p = PathBuf::from(p);
            assert!(p.exists(), "SCAP_REFERENCE_SYSDIG={} does not exist", p.display());
            Some(p)
        }
        None => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but SCAP_REFERENCE_SYSDIG is not set");
            eprintln!("note: SCAP_REFERENCE_SYSDIG is unset; live comparisons against sysdig are skipped");
            None
        }
    }
}

/// Compares two outputs line by line; on mismatch, panics showing the first differing lines.
pub fn assert_same_lines(what: &str, expected: &[u8], actual: &[u8]) {
    if expected == actual {
        return;
    }
    let e: Vec<&[u8]> = expected.split(|&c| c == b'\n').collect();
    let a: Vec<&[u8]> = actual.split(|&c| c == b'\n').collect();
    let first = e.iter().zip(a.iter()).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
    let show = |v: &[&[u8]]| {
        v.iter().skip(first).take(3).map(|l| String::from_utf8_lossy(l).into_owned()).collect::<Vec<_>>().join("\n")
    };
    panic!(
        "{what}: outputs differ at line {} ({} expected lines, {} actual)\n--- expected\n```\n{}\n```\n--- actual\n```\n{}\n```",
        first + 1,
        e.len(),
        a.len(),
        show(&e),
        show(&a)
    );
}
