//! The Kubernetes Container Runtime Interface (CRI) of containerd and CRI-O, over gRPC:
//! `ContainerStatus` for the container, `PodSandboxStatus` for its pod.
//!
//! The container's labels carry the kubelet's `io.kubernetes.*` names; the pod's own labels
//! come with its sandbox, which becomes a record of its own (as sysdig keeps a pod's pause
//! container), linked by the `io.kubernetes.sandbox.id` label.

use std::path::Path;
use std::time::Duration;

use scap_common::wire::{ContainerRecord, MountRecord};

use super::docker::split_image;
use super::grpc;
use super::http::HttpError;
use super::proto::{self, Wire};

/// CRI versions tried, newest first.
const VERSIONS: &[&str] = &["runtime.v1", "runtime.v1alpha2"];

/// What the CRI said: the container and, when known, its pod sandbox.
#[derive(Debug)]
pub struct Described {
    /// The container.
    pub container: ContainerRecord,
    /// Its pod's sandbox, carrying the pod's labels.
    pub sandbox: Option<ContainerRecord>,
}

/// Asks the CRI runtime on `socket` about container `full_id`; `Ok(None)` when it does not know
/// it under any CRI version.
pub fn lookup(
    socket: &Path,
    full_id: &str,
    short_id: &str,
    runtime: &str,
    timeout: Duration,
) -> Result<Option<Described>, HttpError> {
    let mut request = Vec::new();
    proto::put_str(&mut request, 1, full_id);
    proto::put_bool(&mut request, 2, true);
    for version in VERSIONS {
        let path = format!("/{version}.RuntimeService/ContainerStatus");
        let Some(answer) = grpc::call(socket, &path, &request, timeout)? else { continue };
        let mut container = parse_container(&answer, short_id, runtime);
        let sandbox_id = sandbox_id(&answer, &container);
        let mut sandbox = None;
        if let Some(sid) = sandbox_id {
            let mut req = Vec::new();
            proto::put_str(&mut req, 1, &sid);
            let path = format!("/{version}.RuntimeService/PodSandboxStatus");
            if let Ok(Some(pod)) = grpc::call(socket, &path, &req, timeout) {
                let s = parse_sandbox(&pod, &sid, runtime);
                container.ip = s.ip;
                for (k, v) in [
                    ("io.kubernetes.pod.name", s.name.clone()),
                    ("io.kubernetes.pod.namespace", label(&s, "io.kubernetes.pod.namespace").unwrap_or_default()),
                    ("io.kubernetes.pod.uid", label(&s, "io.kubernetes.pod.uid").unwrap_or_default()),
                ] {
                    if !v.is_empty() && label(&container, k).is_none() {
                        container.labels.push((k.to_string(), v));
                    }
                }
                sandbox = Some(s);
            }
            if label(&container, "io.kubernetes.sandbox.id").is_none() {
                container.labels.push(("io.kubernetes.sandbox.id".into(), sid));
            }
            container.labels.sort();
        }
        return Ok(Some(Described { container, sandbox }));
    }
    Ok(None)
}

fn label(r: &ContainerRecord, key: &str) -> Option<String> {
    r.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// A container record from a `ContainerStatusResponse`.
pub fn parse_container(answer: &[u8], short_id: &str, runtime: &str) -> ContainerRecord {
    let status = proto::field(answer, 1).map(Wire::message).unwrap_or_default();
    let text = |msg: &[u8], n| proto::field(msg, n).map(Wire::text).unwrap_or_default();
    let metadata = proto::field(status, 2).map(Wire::message).unwrap_or_default();
    let image_spec = proto::field(status, 8).map(Wire::message).unwrap_or_default();
    let image = text(image_spec, 1);
    let (repo, tag, digest) = split_image(&image);
    let mut labels = proto::string_map(status, 12);
    labels.sort();
    let mounts = proto::fields(status)
        .into_iter()
        .filter(|(n, _)| *n == 14)
        .map(|(_, m)| {
            let m = m.message();
            let propagation = match proto::field(m, 5) {
                Some(Wire::Int(1)) => "rslave",
                Some(Wire::Int(2)) => "rshared",
                _ => "private",
            };
            MountRecord {
                source: text(m, 2),
                dest: text(m, 1),
                mode: String::new(),
                rw: proto::field(m, 3) != Some(Wire::Int(1)),
                propagation: propagation.into(),
            }
        })
        .collect();
    ContainerRecord {
        id: short_id.to_string(),
        runtime: runtime.to_string(),
        name: text(metadata, 1),
        image: image.clone(),
        image_id: text(status, 9).rsplit(':').next().unwrap_or_default().to_string(),
        image_repo: repo,
        image_tag: if tag.is_empty() && !image.is_empty() { "latest".into() } else { tag },
        image_digest: digest,
        labels,
        mounts,
        complete: true,
        ..ContainerRecord::default()
    }
}

/// The container's pod sandbox: from the verbose `info` JSON, else a label.
fn sandbox_id(answer: &[u8], container: &ContainerRecord) -> Option<String> {
    let info = proto::string_map(answer, 2);
    let from_info = info.iter().find(|(k, _)| k == "info").and_then(|(_, json)| {
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        v["sandboxID"].as_str().map(str::to_string)
    });
    from_info.or_else(|| label(container, "io.kubernetes.sandbox.id")).filter(|s| !s.is_empty())
}

/// A record for a pod sandbox from a `PodSandboxStatusResponse`: named after the pod, with the
/// pod's labels and address.
pub fn parse_sandbox(answer: &[u8], sandbox_id: &str, runtime: &str) -> ContainerRecord {
    let status = proto::field(answer, 1).map(Wire::message).unwrap_or_default();
    let text = |msg: &[u8], n| proto::field(msg, n).map(Wire::text).unwrap_or_default();
    let metadata = proto::field(status, 2).map(Wire::message).unwrap_or_default();
    let network = proto::field(status, 5).map(Wire::message).unwrap_or_default();
    let mut labels = proto::string_map(status, 7);
    for (k, v) in [("io.kubernetes.pod.uid", text(metadata, 2)), ("io.kubernetes.pod.namespace", text(metadata, 3))] {
        if !v.is_empty() && !labels.iter().any(|(n, _)| n == k) {
            labels.push((k.to_string(), v));
        }
    }
    labels.sort();
    let ip = text(network, 1).parse::<std::net::Ipv4Addr>().map_or(0, |a| u32::from_ne_bytes(a.octets()));
    ContainerRecord {
        id: sandbox_id.chars().take(12).collect(),
        runtime: runtime.to_string(),
        name: text(metadata, 1),
        labels,
        ip,
        complete: true,
        ..ContainerRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(parts: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (n, body) in parts {
            out.push((*n << 3 | 2) as u8);
            out.push(body.len() as u8);
            out.extend_from_slice(body);
        }
        out
    }

    fn s(v: &str) -> Vec<u8> {
        v.as_bytes().to_vec()
    }

    #[test]
    fn a_container_status() {
        let entry = |k: &str, v: &str| msg(&[(1, s(k)), (2, s(v))]);
        let status = msg(&[
            (1, s("ab")),
            (2, msg(&[(1, s("web"))])),
            (8, msg(&[(1, s("docker.io/library/nginx:1.25"))])),
            (9, s("sha256:0123")),
            (12, entry("io.kubernetes.pod.name", "shop-1")),
            (14, msg(&[(1, s("/data")), (2, s("/srv"))])),
        ]);
        let info = entry("info", r#"{"sandboxID":"fedcba9876543210"}"#);
        let answer = msg(&[(1, status), (2, info)]);
        let r = parse_container(&answer, "0123456789ab", "containerd");
        assert_eq!((r.name.as_str(), r.image_tag.as_str(), r.image_id.as_str()), ("web", "1.25", "0123"));
        assert_eq!(r.labels, vec![("io.kubernetes.pod.name".into(), "shop-1".into())]);
        assert_eq!((r.mounts[0].source.as_str(), r.mounts[0].rw), ("/srv", true));
        assert_eq!(sandbox_id(&answer, &r).as_deref(), Some("fedcba9876543210"));
    }

    #[test]
    fn a_pod_sandbox_status() {
        let entry = |k: &str, v: &str| msg(&[(1, s(k)), (2, s(v))]);
        let status = msg(&[
            (2, msg(&[(1, s("shop-1")), (2, s("u-1")), (3, s("prod"))])),
            (5, msg(&[(1, s("10.1.2.3"))])),
            (7, entry("app", "shop")),
        ]);
        let r = parse_sandbox(&msg(&[(1, status)]), "fedcba9876543210", "containerd");
        assert_eq!((r.id.as_str(), r.name.as_str()), ("fedcba987654", "shop-1"));
        assert!(r.labels.contains(&("app".into(), "shop".into())));
        assert!(r.labels.contains(&("io.kubernetes.pod.namespace".into(), "prod".into())));
        assert_eq!(r.ip.to_ne_bytes(), [10, 1, 2, 3]);
    }
}
