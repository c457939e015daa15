//! The probe's C sources carry the license their object declares to the kernel: SPDX
//! `GPL-2.0-only OR MIT`, license string "Dual MIT/GPL" (GPL-compatible, so the kernel lets the
//! programs use its GPL-only helpers). The rest of the repository is Apache-2.0.

fn source(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bpf").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_c_sources_carry_the_license_the_object_declares() {
    for name in ["probe.bpf.c", "scap_abi.h"] {
        let first = source(name).lines().next().unwrap_or_default().to_string();
        assert_eq!(first, "// SPDX-License-Identifier: GPL-2.0-only OR MIT", "{name}");
    }
    assert!(source("probe.bpf.c").contains("char LICENSE[] SEC(\"license\") = \"Dual MIT/GPL\";"));
    let object = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bpf/probe.bpf.o"))
        .expect("the committed object");
    assert!(object.windows(13).any(|w| w == b"Dual MIT/GPL\0"), "the committed object's license section");
}
