//! The scap-chisel binary's own checks: help, exit codes, and a run on a corpus trace.
//! (Its presence also makes `cargo test --workspace` build the binary the cross-stage tests use.)

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scap-chisel"))
}

#[test]
fn help_lists_exit_codes() {
    let out = bin().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit status: 0 success, 2 error"), "{text}");
    assert!(text.contains("--list") && text.contains("--info"), "{text}");
}

#[test]
fn no_chisel_is_an_error() {
    let out = bin().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "scap-chisel: no chisel named: give NAME, -cl or -i NAME\n");
}

#[test]
fn runs_a_chisel_on_a_trace() {
    let trace = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/traces/falco__cat_write.scap");
    let dir = std::env::temp_dir().join(format!("scap-chisel-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let chisel = dir.join("count.lua");
    std::fs::write(
        &chisel,
        "args = {}\nlocal n = 0\nfunction on_event() n = n + 1 return true end\n\
         function on_capture_end(s, ns, delta) print(n, s, ns, delta) end\n",
    )
    .expect("write");
    let out = bin().arg(&chisel).arg("-r").arg(trace).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // sysdig -r falco__cat_write.scap -c count.lua prints the same.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "345\t1470327478\t999999999\t3000000000\n");
    let _ = std::fs::remove_dir_all(&dir);
}
