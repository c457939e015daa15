//! The Docker Engine API (and Podman's Docker-compatible API): a container's description.
//!
//! `GET /containers/ID/json` gives name, image, labels, privileged, mounts, addresses and limits;
//! `GET /images/ID/json` fills in the image's repository, tag and digest when the name the
//! container was started with does not carry them (started by image id, or without a tag).

use std::path::Path;
use std::time::Duration;

use scap_common::wire::{ContainerLimits, ContainerRecord, MountRecord};
use serde_json::Value;

use super::http::{self, HttpError};

/// Asks the engine on `socket` about container `full_id`. `Ok(None)` when the engine does not
/// know it (it belongs to another runtime).
pub fn lookup(
    socket: &Path,
    full_id: &str,
    short_id: &str,
    runtime: &str,
    timeout: Duration,
) -> Result<Option<ContainerRecord>, HttpError> {
    let resp = http::get(socket, &format!("/containers/{full_id}/json"), timeout)?;
    if resp.status == 404 {
        return Ok(None);
    }
    if resp.status != 200 {
        return Err(HttpError::Protocol {
            path: socket.display().to_string(),
            what: format!("status {} for container {short_id}", resp.status),
        });
    }
    let root: Value = serde_json::from_slice(&resp.body).map_err(|e| HttpError::Protocol {
        path: socket.display().to_string(),
        what: format!("container {short_id}: {e}"),
    })?;
    let mut rec = parse_container(&root, short_id, runtime);
    if needs_image_info(&rec, &root) && !rec.image_id.is_empty() {
        if let Ok(img) = http::get(socket, &format!("/images/{}/json", rec.image_id), timeout) {
            if img.status == 200 {
                if let Ok(v) = serde_json::from_slice::<Value>(&img.body) {
                    apply_image_info(&mut rec, &v);
                }
            }
        }
    }
    if rec.image_tag.is_empty() {
        rec.image_tag = "latest".into();
    }
    Ok(Some(rec))
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A container record from the engine's description, before any image lookup.
pub fn parse_container(root: &Value, short_id: &str, runtime: &str) -> ContainerRecord {
    let config = &root["Config"];
    let host = &root["HostConfig"];
    let image = text(&config["Image"]);
    let image_field = text(&root["Image"]);
    let mut rec = ContainerRecord {
        id: short_id.to_string(),
        runtime: runtime.to_string(),
        name: text(&root["Name"]).trim_start_matches('/').to_string(),
        image: image.clone(),
        complete: true,
        ..ContainerRecord::default()
    };
    if image_field.contains('/') {
        // Podman gives the image's name here instead of its id.
        let (repo, tag, digest) = split_image(&image_field);
        (rec.image_repo, rec.image_tag, rec.image_digest) = (repo, tag, digest);
    } else {
        rec.image_id = image_field.split_once(':').map_or(image_field.as_str(), |(_, id)| id).to_string();
        if !started_by_id(&rec, &image_field) {
            let (repo, tag, digest) = split_image(&image);
            (rec.image_repo, rec.image_tag, rec.image_digest) = (repo, tag, digest);
        }
    }
    if let Some(labels) = config["Labels"].as_object() {
        let mut l: Vec<(String, String)> = labels.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        l.sort();
        rec.labels = l;
    }
    rec.privileged = host["Privileged"].as_bool();
    if let Some(mounts) = root["Mounts"].as_array() {
        rec.mounts = mounts
            .iter()
            .map(|m| MountRecord {
                source: text(&m["Source"]),
                dest: text(&m["Destination"]),
                mode: text(&m["Mode"]),
                rw: m["RW"].as_bool().unwrap_or(false),
                propagation: text(&m["Propagation"]),
            })
            .collect();
    }
    rec.ip = container_ip(root);
    rec.limits = ContainerLimits {
        cpu_shares: host["CpuShares"].as_i64().unwrap_or(0),
        cpu_quota: host["CpuQuota"].as_i64().unwrap_or(0),
        cpu_period: host["CpuPeriod"].as_i64().unwrap_or(0),
        memory_limit: host["Memory"].as_i64().unwrap_or(0),
        swap_limit: host["MemorySwap"].as_i64().unwrap_or(0),
    };
    if let Some(probe) = healthcheck(&config["Healthcheck"]) {
        rec.probes.push(("healthcheck".into(), probe));
    }
    rec
}

/// Whether the container was started by image id (so its `Config.Image` names no repository).
fn started_by_id(rec: &ContainerRecord, image_field: &str) -> bool {
    !rec.image.is_empty() && (rec.image_id.starts_with(&rec.image) || image_field.starts_with(&rec.image))
}

fn needs_image_info(rec: &ContainerRecord, root: &Value) -> bool {
    let image_field = text(&root["Image"]);
    !image_field.contains('/')
        && (started_by_id(rec, &image_field) || rec.image_digest.is_empty() || rec.image_tag.is_empty())
}

/// The container's IPv4 address in network order: its own, or that of the first network it
/// is attached to.
fn container_ip(root: &Value) -> u32 {
    let net = &root["NetworkSettings"];
    let mut ip = text(&net["IPAddress"]);
    if ip.is_empty() {
        if let Some(nets) = net["Networks"].as_object() {
            ip = nets.values().map(|n| text(&n["IPAddress"])).find(|a| !a.is_empty()).unwrap_or_default();
        }
    }
    ip.parse::<std::net::Ipv4Addr>().map(|a| u32::from_ne_bytes(a.octets())).unwrap_or(0)
}

/// The health check's command line, `NONE` when explicitly disabled.
fn healthcheck(hc: &Value) -> Option<String> {
    let test: Vec<String> = hc["Test"].as_array()?.iter().map(text).collect();
    match test.first().map(String::as_str) {
        Some("NONE") => Some("NONE".into()),
        Some("CMD") if test.len() > 1 => Some(test[1..].join(" ")),
        Some("CMD-SHELL") if test.len() > 1 => Some(format!("/bin/sh -c {}", test[1])),
        _ => None,
    }
}

/// Fills repository, tag and digest from the engine's image description, as sysdig does: the
/// repository digest matching the container's repository, else the only digest there is; the
/// tag of the first repository tag matching the repository.
pub fn apply_image_info(rec: &mut ContainerRecord, img: &Value) {
    if let Some(d) = img["Digest"].as_str() {
        rec.image_digest = d.to_string();
    } else if let Some(digests) = img["RepoDigests"].as_array() {
        let mut distinct = std::collections::BTreeSet::new();
        for rd in digests.iter().filter_map(Value::as_str) {
            let (repo, digest) = rd.split_once('@').unwrap_or((rd, rd));
            distinct.insert(digest.to_string());
            if rec.image_repo.is_empty() {
                rec.image_repo = repo.to_string();
            }
            if rd.contains(&rec.image_repo) {
                rec.image_digest = digest.to_string();
                break;
            }
        }
        if rec.image_digest.is_empty() && distinct.len() == 1 {
            rec.image_digest = distinct.into_iter().next().unwrap_or_default();
        }
    }
    if let Some(tags) = img["RepoTags"].as_array() {
        for rt in tags.iter().filter_map(Value::as_str) {
            let (repo, tag) = rt.rsplit_once(':').unwrap_or((rt, ""));
            if rec.image_repo.is_empty() {
                rec.image_repo = repo.to_string();
            }
            if rt.contains(&rec.image_repo) {
                rec.image_tag = tag.to_string();
                break;
            }
        }
    }
}

/// Splits `[host[:port]/]repo[:tag][@digest]` into repository (with its host), tag and digest.
pub fn split_image(image: &str) -> (String, String, String) {
    let (rest, digest) = image.split_once('@').unwrap_or((image, ""));
    let last_slash = rest.rfind('/').map_or(0, |p| p + 1);
    match rest[last_slash..].rfind(':') {
        Some(colon) => {
            let at = last_slash + colon;
            (rest[..at].to_string(), rest[at + 1..].to_string(), digest.to_string())
        }
        None => (rest.to_string(), String::new(), digest.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn image_names_split() {
        let s = |i: &str| {
            let (a, b, c) = split_image(i);
            (a, b, c)
        };
        assert_eq!(s("nginx"), ("nginx".into(), "".into(), "".into()));
        assert_eq!(s("nginx:1.10"), ("nginx".into(), "1.10".into(), "".into()));
        assert_eq!(s("localhost:5000/team/app:v2"), ("localhost:5000/team/app".into(), "v2".into(), "".into()));
        assert_eq!(s("localhost:5000/team/app"), ("localhost:5000/team/app".into(), "".into(), "".into()));
        assert_eq!(
            s("mateobur/ticketclient@sha256:985f"),
            ("mateobur/ticketclient".into(), "".into(), "sha256:985f".into())
        );
    }

    #[test]
    fn a_docker_description_becomes_a_record() {
        let json = r#"{
          "Id": "ae85346893b45b61a4860645c718e65fea67576d19839c072214aea81907609d",
          "Name": "/web",
          "Image": "sha256:ef22298ea2cf62dbb8718a6094e4cb6f6882c172b10ab8baae52a9c9ae0173d2",
          "Config": {"Image": "scap-enrich-test:1", "Labels": {"tier": "front", "app": "shop"},
                     "Healthcheck": {"Test": ["CMD-SHELL", "true"]}},
          "HostConfig": {"Privileged": true, "CpuShares": 512, "Memory": 1048576},
          "Mounts": [{"Type": "bind", "Source": "/srv", "Destination": "/data", "Mode": "ro", "RW": false, "Propagation": "rprivate"}],
          "NetworkSettings": {"IPAddress": "", "Networks": {"bridge": {"IPAddress": "172.17.0.2"}}}
        }"#;
        let rec = parse_container(&serde_json::from_str(json).unwrap(), "ae85346893b4", "docker");
        assert_eq!(rec.name, "web");
        assert_eq!(rec.image, "scap-enrich-test:1");
        assert_eq!(rec.image_id, "ef22298ea2cf62dbb8718a6094e4cb6f6882c172b10ab8baae52a9c9ae0173d2");
        assert_eq!((rec.image_repo.as_str(), rec.image_tag.as_str()), ("scap-enrich-test", "1"));
        assert_eq!(rec.labels, vec![("app".into(), "shop".into()), ("tier".into(), "front".into())]);
        assert_eq!(rec.privileged, Some(true));
        assert_eq!(rec.mounts[0].dest, "/data");
        assert_eq!(rec.ip.to_ne_bytes(), [172, 17, 0, 2]);
        assert_eq!((rec.limits.cpu_shares, rec.limits.memory_limit), (512, 1048576));
        assert_eq!(rec.probes, vec![("healthcheck".to_string(), "/bin/sh -c true".to_string())]);
    }

    #[test]
    fn image_info_fills_digest_and_tag() {
        let mut rec = ContainerRecord { image_repo: "redis".into(), ..ContainerRecord::default() };
        let img = serde_json::json!({
            "RepoDigests": ["redis@sha256:aaa"],
            "RepoTags": ["other:1", "redis:7"]
        });
        apply_image_info(&mut rec, &img);
        assert_eq!((rec.image_digest.as_str(), rec.image_tag.as_str()), ("sha256:aaa", "7"));
    }
}
