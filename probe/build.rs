//! Builds the BPF object with clang into OUT_DIR; without clang, uses the committed prebuilt
//! object (bpf/probe.bpf.o) so that `cargo build` works anywhere. CI rebuilds the committed
//! object with bpf/build.sh and fails when it differs.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("probe.bpf.o");
    let dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("bpf");
    for f in ["probe.bpf.c", "scap_abi.h", "vmlinux.h", "probe.bpf.o", "build.sh"] {
        println!("cargo:rerun-if-changed=bpf/{f}");
    }
    println!("cargo:rerun-if-env-changed=BPF_CLANG");
    let clang = env::var("BPF_CLANG").unwrap_or_else(|_| "clang".into());
    let built = Command::new("sh")
        .arg(dir.join("build.sh"))
        .arg(&out)
        .env("BPF_CLANG", &clang)
        .current_dir(&dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !built {
        println!("cargo:warning=clang ({clang}) could not build the BPF probe; using the committed bpf/probe.bpf.o");
        if let Err(e) = std::fs::copy(dir.join("probe.bpf.o"), &out) {
            panic!("no clang and no prebuilt probe object: {e}");
        }
    }
}
