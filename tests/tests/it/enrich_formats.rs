//! `-pc`, `-pk` and container and Kubernetes `-p` formats: for every corpus trace, scap-print
//! prints what sysdig 0.29.3 prints, line for line.

use std::process::Command;

use scap_tests::{assert_same_lines, readable_traces, reference_sysdig, sh, stem};

/// Container and Kubernetes formats beyond `-pc` and `-pk`, each compared on every trace.
const FORMATS: &[&str] = &[
    "*%evt.num %container.id %container.name %container.image %container.type %container.privileged",
    "*%evt.num %container.image.id %container.image.repository %container.image.tag %container.image.digest",
    "*%evt.num %container.mounts %container.mount[0] %container.mount.dest[/var/lib/*] %container.healthcheck",
    "*%evt.num %k8s.pod.name %k8s.pod.id %k8s.pod.labels %k8s.pod.label.app %k8s.ns.name %k8s.ns.id",
    "*%evt.num %k8s.rs.name %k8s.rs.labels %k8s.svc.name %k8s.svc.id %k8s.deployment.name %k8s.deployment.label.role",
    "%evt.num %proc.name %container.name %k8s.pod.name",
];

fn sysdig_output(sysdig: &std::path::Path, trace: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(sysdig).env("TZ", "UTC").arg("-r").arg(trace).args(args).output();
    out.unwrap_or_else(|e| panic!("running {}: {e}", sysdig.display())).stdout
}

fn compare(args: &[&str]) {
    let Some(sysdig) = reference_sysdig() else { return };
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    for trace in readable_traces() {
        let expected = sysdig_output(&sysdig, &trace, args);
        let out = sh(&format!("scap-print -r '{}' {}", trace.display(), quoted.join(" ")));
        assert!(out.status.success(), "{}: {}", stem(&trace), String::from_utf8_lossy(&out.stderr));
        assert_same_lines(&format!("{} {}", stem(&trace), args.join(" ")), &expected, &out.stdout);
    }
}

#[test]
fn pc_matches_sysdig_on_every_trace() {
    compare(&["-pc"]);
}

#[test]
fn pk_matches_sysdig_on_every_trace() {
    compare(&["-pk"]);
}

#[test]
fn container_and_k8s_formats_match_sysdig_on_every_trace() {
    for format in FORMATS {
        compare(&["-p", format]);
    }
}

#[test]
fn container_labels_are_fields_beyond_sysdig_0_29() {
    use scap_common::fields::{FieldArg, FieldRef};
    let arg = |text: &str| FieldRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).arg;
    assert_eq!(arg("container.label.scap.test"), FieldArg::Name("scap.test".into()));
    assert_eq!(arg("container.label[io.kubernetes.pod.name]"), FieldArg::Name("io.kubernetes.pod.name".into()));
    assert_eq!(arg("container.label[2]"), FieldArg::Name("2".into()));
    assert_eq!(arg("container.labels"), FieldArg::None);
    assert_eq!(arg("container.ip"), FieldArg::None);
    assert!(FieldRef::parse("container.label").is_err(), "a label needs its key");
}

/// A trace rewritten with `scap-record -r T -w X.scap` keeps its containers (as `container_json`
/// events): sysdig 0.29.3 prints the same container and Kubernetes fields from the copy.
#[test]
fn containers_survive_a_scap_rewrite_for_sysdig() {
    let Some(sysdig) = reference_sysdig() else { return };
    let dir = std::env::temp_dir().join(format!("scap-rewrite-containers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let format = "*%evt.num %container.id %container.name %container.image %container.type %k8s.pod.name";
    let mut containers = 0;
    for trace in readable_traces() {
        let copy = dir.join(format!("{}.scap", stem(&trace)));
        let out = sh(&format!("scap-record -r '{}' -w '{}'", trace.display(), copy.display()));
        assert!(out.status.success(), "{}: {}", stem(&trace), String::from_utf8_lossy(&out.stderr));
        let expected = sysdig_output(&sysdig, &trace, &["-p", format]);
        let actual = sysdig_output(&sysdig, &copy, &["-p", format]);
        assert_same_lines(&format!("{} rewritten", stem(&trace)), &expected, &actual);
        containers += String::from_utf8_lossy(&expected).lines().filter(|l| !l.contains(" host host ")).count();
    }
    assert!(containers > 1000, "the corpus shows events in containers ({containers})");
    let _ = std::fs::remove_dir_all(&dir);
}
