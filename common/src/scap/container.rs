//! Container events stored in traces (`container` and `container_json` events), as records.

use crate::event::Event;
use crate::schema::ev;
use crate::wire::{ContainerLimits, ContainerRecord, MountRecord};

/// The container runtime names sysdig shows for libscap's container type numbers.
pub fn runtime_name(ty: i64) -> &'static str {
    match ty {
        0 => "docker",
        1 => "lxc",
        2 => "libvirt-lxc",
        3 => "mesos",
        4 => "rkt",
        5 => "cri",
        6 => "containerd",
        7 => "cri-o",
        8 => "bpm",
        9 => "static",
        10 => "podman",
        _ => "unknown",
    }
}

fn cstr(b: &[u8]) -> String {
    String::from_utf8_lossy(b.strip_suffix(b"\0").unwrap_or(b)).into_owned()
}

/// Turns a container event into a record; `None` when it is not one or does not parse.
pub fn from_event(e: &Event) -> Option<ContainerRecord> {
    match e.event_type {
        ev::CONTAINER_E => {
            let id = cstr(e.param(0)?);
            let ty = e.param_i64(1).unwrap_or(0);
            Some(ContainerRecord {
                id,
                runtime: runtime_name(ty).into(),
                name: e.param(2).map(cstr).unwrap_or_default(),
                image: e.param(3).map(cstr).unwrap_or_default(),
                complete: true,
                ..ContainerRecord::default()
            })
        }
        ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E => from_json(&cstr(e.param(0)?)),
        _ => None,
    }
}

/// Parses the JSON libsinsp stores in `container_json` events.
pub fn from_json(json: &str) -> Option<ContainerRecord> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let c = v.get("container")?;
    let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let i = |k: &str| c.get(k).and_then(|x| x.as_i64()).unwrap_or(0);
    let labels = c
        .get("labels")
        .and_then(|l| l.as_object())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    let mounts = c
        .get("Mounts")
        .and_then(|m| m.as_array())
        .map(|arr| {
            arr.iter()
                .map(|m| {
                    let ms = |k: &str| m.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
                    MountRecord {
                        source: ms("Source"),
                        dest: ms("Destination"),
                        mode: ms("Mode"),
                        rw: m.get("RW").and_then(|x| x.as_bool()).unwrap_or(false),
                        propagation: ms("Propagation"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let ip = s("ip").parse::<std::net::Ipv4Addr>().map(|a| u32::from_ne_bytes(a.octets())).unwrap_or(0);
    Some(ContainerRecord {
        id: s("id"),
        runtime: runtime_name(i("type")).into(),
        name: s("name"),
        image: s("image"),
        image_id: s("imageid"),
        image_repo: s("imagerepo"),
        image_tag: s("imagetag"),
        image_digest: s("imagedigest"),
        labels,
        privileged: c.get("privileged").and_then(|x| x.as_bool()),
        mounts,
        ip,
        limits: ContainerLimits {
            cpu_shares: i("cpu_shares"),
            cpu_quota: i("cpu_quota"),
            cpu_period: i("cpu_period"),
            memory_limit: i("memory_limit"),
            swap_limit: i("swap_limit"),
        },
        probes: Vec::new(),
        json: json.to_string(),
        complete: true,
        lookup_failed: false,
    })
}
