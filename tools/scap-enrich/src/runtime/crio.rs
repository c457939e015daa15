//! CRI-O: the inspection endpoint its socket serves over HTTP (`GET /containers/ID`).

use std::path::Path;
use std::time::Duration;

use scap_common::wire::ContainerRecord;
use serde_json::Value;

use super::docker::split_image;
use super::http::{self, HttpError};

/// Asks CRI-O about container `full_id`; `Ok(None)` when it does not know it.
pub fn lookup(
    socket: &Path,
    full_id: &str,
    short_id: &str,
    timeout: Duration,
) -> Result<Option<ContainerRecord>, HttpError> {
    let resp = http::get(socket, &format!("/containers/{full_id}"), timeout)?;
    if resp.status == 404 {
        return Ok(None);
    }
    if resp.status != 200 {
        return Err(HttpError::Protocol {
            path: socket.display().to_string(),
            what: format!("status {} for container {short_id}", resp.status),
        });
    }
    let v: Value = serde_json::from_slice(&resp.body)
        .map_err(|e| HttpError::Protocol { path: socket.display().to_string(), what: e.to_string() })?;
    Ok(Some(parse(&v, short_id)))
}

/// A record from CRI-O's description of a container.
pub fn parse(v: &Value, short_id: &str) -> ContainerRecord {
    let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
    let mut labels: Vec<(String, String)> =
        v["labels"].as_object().map(|m| m.iter().map(|(k, x)| (k.clone(), s(x))).collect()).unwrap_or_default();
    labels.sort();
    let label = |k: &str| labels.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let image = s(&v["image"]);
    let (repo, tag, digest) = split_image(&image);
    let ip = v["ip_addresses"]
        .as_array()
        .and_then(|a| a.iter().filter_map(Value::as_str).find_map(|a| a.parse::<std::net::Ipv4Addr>().ok()))
        .map_or(0, |a| u32::from_ne_bytes(a.octets()));
    ContainerRecord {
        id: short_id.to_string(),
        runtime: "cri-o".into(),
        name: label("io.kubernetes.container.name").unwrap_or_else(|| s(&v["name"])),
        image,
        image_id: s(&v["image_ref"]).trim_start_matches("sha256:").to_string(),
        image_repo: repo,
        image_tag: if tag.is_empty() { "latest".into() } else { tag },
        image_digest: digest,
        labels,
        ip,
        complete: true,
        ..ContainerRecord::default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn crio_description() {
        let v = serde_json::json!({
            "name": "k8s_web_shop-7d9_prod_1f1a_0", "pid": 4242, "image": "quay.io/team/web:2",
            "image_ref": "sha256:abc", "labels": {"io.kubernetes.container.name": "web",
            "io.kubernetes.pod.name": "shop-7d9", "io.kubernetes.pod.namespace": "prod"},
            "ip_addresses": ["10.88.0.5"]
        });
        let r = parse(&v, "0123456789ab");
        assert_eq!((r.name.as_str(), r.image_repo.as_str(), r.image_tag.as_str()), ("web", "quay.io/team/web", "2"));
        assert_eq!(r.image_id, "abc");
        assert_eq!(r.ip.to_ne_bytes(), [10, 88, 0, 5]);
        assert_eq!(r.labels.len(), 3);
    }
}
