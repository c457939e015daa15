//! containerd: the OCI bundle of a running task (`TASKS/NAMESPACE/ID/config.json`).
//!
//! containerd's own API is gRPC; its task bundles on disk say what is needed without it. The CRI
//! plugin annotates the runtime spec with the Kubernetes names (`io.kubernetes.cri.*`), which
//! become the labels the kubelet-facing fields read; nerdctl annotates the container's name.

use std::fs;
use std::path::PathBuf;

use scap_common::wire::{ContainerRecord, MountRecord};
use serde_json::Value;

use super::docker::split_image;

/// The record of task `full_id` in any namespace under any of `task_dirs`; `None` when absent.
pub fn lookup(task_dirs: &[PathBuf], full_id: &str, short_id: &str) -> Option<ContainerRecord> {
    for dir in task_dirs {
        let Ok(namespaces) = fs::read_dir(dir) else { continue };
        for ns in namespaces.filter_map(Result::ok) {
            let bundle = ns.path().join(full_id);
            let Ok(text) = fs::read(bundle.join("config.json")) else { continue };
            let Ok(spec) = serde_json::from_slice::<Value>(&text) else { continue };
            return Some(parse(&spec, short_id, &ns.file_name().to_string_lossy()));
        }
    }
    None
}

/// A record from an OCI runtime spec written by containerd in `namespace`.
pub fn parse(spec: &Value, short_id: &str, namespace: &str) -> ContainerRecord {
    let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
    let ann = |k: &str| spec["annotations"][k].as_str().map(str::to_string);
    let mut labels = Vec::new();
    // The names the kubelet would have put on the container as labels.
    for (annotation, label) in [
        ("io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name"),
        ("io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace"),
        ("io.kubernetes.cri.sandbox-uid", "io.kubernetes.pod.uid"),
        ("io.kubernetes.cri.container-name", "io.kubernetes.container.name"),
        ("io.kubernetes.cri.sandbox-id", "io.kubernetes.sandbox.id"),
    ] {
        if let Some(v) = ann(annotation) {
            labels.push((label.to_string(), v));
        }
    }
    labels.sort();
    let name =
        ann("io.kubernetes.cri.container-name").or_else(|| ann("nerdctl/name")).unwrap_or_else(|| s(&spec["hostname"]));
    let image = ann("io.kubernetes.cri.image-name").unwrap_or_default();
    let (repo, tag, digest) = split_image(&image);
    let mounts = spec["mounts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|m| s(&m["type"]) == "bind")
                .map(|m| {
                    let options: Vec<String> =
                        m["options"].as_array().map(|o| o.iter().map(s).collect()).unwrap_or_default();
                    MountRecord {
                        source: s(&m["source"]),
                        dest: s(&m["destination"]),
                        mode: String::new(),
                        rw: !options.iter().any(|o| o == "ro"),
                        propagation: options
                            .iter()
                            .find(|o| o.ends_with("private") || o.ends_with("shared") || o.ends_with("slave"))
                            .cloned()
                            .unwrap_or_default(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let runtime = if namespace == "moby" { "docker" } else { "containerd" };
    ContainerRecord {
        id: short_id.to_string(),
        runtime: runtime.into(),
        name,
        image: image.clone(),
        image_repo: repo,
        image_tag: if tag.is_empty() && !image.is_empty() { "latest".into() } else { tag },
        image_digest: digest,
        labels,
        mounts,
        complete: true,
        ..ContainerRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cri_annotations_become_kubelet_labels() {
        let spec = serde_json::json!({
            "hostname": "shop-7d9",
            "annotations": {
                "io.kubernetes.cri.container-type": "container",
                "io.kubernetes.cri.container-name": "web",
                "io.kubernetes.cri.sandbox-name": "shop-7d9",
                "io.kubernetes.cri.sandbox-namespace": "prod",
                "io.kubernetes.cri.sandbox-uid": "1f1a",
                "io.kubernetes.cri.image-name": "docker.io/library/nginx:1.25"
            },
            "mounts": [{"destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "rprivate", "ro"]}]
        });
        let r = parse(&spec, "0123456789ab", "k8s.io");
        assert_eq!((r.name.as_str(), r.runtime.as_str()), ("web", "containerd"));
        assert_eq!((r.image_repo.as_str(), r.image_tag.as_str()), ("docker.io/library/nginx", "1.25"));
        assert!(r.labels.contains(&("io.kubernetes.pod.name".into(), "shop-7d9".into())));
        assert!(r.labels.contains(&("io.kubernetes.pod.namespace".into(), "prod".into())));
        assert_eq!((r.mounts[0].rw, r.mounts[0].propagation.as_str()), (false, "rprivate"));
    }
}
