//! What sysdig shows for the container of a thread: the values of the `container.*` and `k8s.*`
//! fields, with sysdig 0.29.3's rules for the host, for containers it knows only by id, and for
//! Kubernetes metadata (the kubelet's container labels first, then the `k8s` metaevents of
//! older captures).
//!
//! The field registry maps field names to `ContainerField` and `K8sField` and calls
//! `container_field` and `k8s_field`; this module holds the rules so they live in one place.
//!
//! Beyond sysdig 0.29.3: `container.label[KEY]`, `container.labels` and `container.ip`, which
//! newer libsinsp has.

use crate::k8s::{join_labels, Object};
use crate::state::{State, Thread};
use crate::wire::{ContainerRecord, MountRecord};

/// A field of the `container` class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerField {
    /// `container.id`: the id, or `host`.
    Id,
    /// `container.name`.
    Name,
    /// `container.image`.
    Image,
    /// `container.image.id`.
    ImageId,
    /// `container.image.repository`.
    ImageRepository,
    /// `container.image.tag`.
    ImageTag,
    /// `container.image.digest`.
    ImageDigest,
    /// `container.type`: the runtime, or `host`.
    Type,
    /// `container.privileged`: `true`/`false` for Docker-compatible runtimes.
    Privileged,
    /// `container.mounts`: every mount, comma-separated.
    Mounts,
    /// `container.mount[N|GLOB]`: one mount by index or by source glob.
    Mount(MountKey),
    /// `container.mount.source[N|GLOB]`, by index or destination glob.
    MountSource(MountKey),
    /// `container.mount.dest[N|GLOB]`, by index or source glob.
    MountDest(MountKey),
    /// `container.mount.mode[N|GLOB]`.
    MountMode(MountKey),
    /// `container.mount.rdwr[N|GLOB]`.
    MountRdwr(MountKey),
    /// `container.mount.propagation[N|GLOB]`.
    MountPropagation(MountKey),
    /// `container.healthcheck`.
    Healthcheck,
    /// `container.liveness_probe`.
    LivenessProbe,
    /// `container.readiness_probe`.
    ReadinessProbe,
    /// `container.label[KEY]` (newer libsinsp).
    Label(String),
    /// `container.labels` (newer libsinsp).
    Labels,
    /// `container.ip` (newer libsinsp).
    Ip,
}

/// How a mount is chosen: by position or by a glob on a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountKey {
    /// The mount at this index.
    Index(usize),
    /// The first mount whose path matches this glob.
    Glob(String),
}

impl MountKey {
    /// From a field argument: a number is an index, anything else a glob.
    pub fn parse(arg: &str) -> MountKey {
        arg.parse::<usize>().map_or_else(|_| MountKey::Glob(arg.to_string()), MountKey::Index)
    }
}

/// A field of the `k8s` class.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum K8sField {
    PodName,
    PodId,
    PodLabel(String),
    PodLabels,
    RcName,
    RcId,
    RcLabel(String),
    RcLabels,
    SvcName,
    SvcId,
    SvcLabel(String),
    SvcLabels,
    NsName,
    NsId,
    NsLabel(String),
    NsLabels,
    RsName,
    RsId,
    RsLabel(String),
    RsLabels,
    DeploymentName,
    DeploymentId,
    DeploymentLabel(String),
    DeploymentLabels,
}

/// Runtimes that report whether a container is privileged.
fn docker_compatible(runtime: &str) -> bool {
    matches!(runtime, "docker" | "cri" | "containerd" | "cri-o" | "podman")
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn mount_text(m: &MountRecord) -> String {
    format!("{}:{}:{}:{}:{}", m.source, m.dest, m.mode, m.rw, m.propagation)
}

/// The value of a `container` field for thread `tid`, `None` where sysdig prints `<NA>`.
pub fn container_field(state: &State, tid: i64, field: &ContainerField) -> Option<String> {
    container_field_of(state, state.thread(tid)?, field)
}

/// The value of a `container` field for a thread (also one outside the thread table, such as
/// the one a container event is attributed to).
pub fn container_field_of(state: &State, thread: &Thread, field: &ContainerField) -> Option<String> {
    let id = thread.container_id.as_str();
    let on_host = id.is_empty();
    match field {
        ContainerField::Id => return Some(if on_host { "host".into() } else { id.to_string() }),
        ContainerField::Name | ContainerField::Type if on_host => return Some("host".into()),
        _ if on_host => return None,
        _ => {}
    }
    let c: &ContainerRecord = state.containers.get(id)?;
    match field {
        ContainerField::Id => None,
        ContainerField::Name => non_empty(&c.name),
        ContainerField::Image => non_empty(&c.image),
        ContainerField::ImageId => non_empty(&c.image_id),
        ContainerField::ImageRepository => non_empty(&c.image_repo),
        ContainerField::ImageTag => non_empty(&c.image_tag),
        ContainerField::ImageDigest => non_empty(&c.image_digest),
        ContainerField::Type => Some(c.runtime.clone()),
        ContainerField::Privileged => docker_compatible(&c.runtime).then(|| c.privileged.unwrap_or(false).to_string()),
        ContainerField::Mounts => Some(c.mounts.iter().map(mount_text).collect::<Vec<_>>().join(",")),
        // sysdig's description promises `none` for a missing mount; its code gives <NA>.
        ContainerField::Mount(key) => find_mount(c, key, false).map(mount_text),
        ContainerField::MountSource(key) => find_mount(c, key, true).map(|m| m.source.clone()),
        ContainerField::MountDest(key) => find_mount(c, key, false).map(|m| m.dest.clone()),
        ContainerField::MountMode(key) => find_mount(c, key, false).map(|m| m.mode.clone()),
        ContainerField::MountRdwr(key) => find_mount(c, key, false).map(|m| m.rw.to_string()),
        ContainerField::MountPropagation(key) => find_mount(c, key, false).map(|m| m.propagation.clone()),
        ContainerField::Healthcheck => Some(probe(c, "healthcheck")),
        ContainerField::LivenessProbe => Some(probe(c, "liveness_probe")),
        ContainerField::ReadinessProbe => Some(probe(c, "readiness_probe")),
        ContainerField::Label(key) => c.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
        ContainerField::Labels => Some(join_labels(&c.labels)),
        ContainerField::Ip => (c.ip != 0).then(|| std::net::Ipv4Addr::from(c.ip.to_ne_bytes()).to_string()),
    }
}

/// A container's probe command line of a kind; `NONE` when it has none.
fn probe(c: &ContainerRecord, kind: &str) -> String {
    c.probes.iter().find(|(k, _)| k == kind).map_or_else(|| "NONE".into(), |(_, cmd)| cmd.clone())
}

/// The mount a key designates; a glob matches the destination when `by_dest`, else the source.
fn find_mount<'a>(c: &'a ContainerRecord, key: &MountKey, by_dest: bool) -> Option<&'a MountRecord> {
    match key {
        MountKey::Index(i) => c.mounts.get(*i),
        MountKey::Glob(g) => c.mounts.iter().find(|m| glob(g, if by_dest { &m.dest } else { &m.source })),
    }
}

/// Shell-style matching with `*`, `?` and `[...]` classes, as fnmatch(3) without flags.
pub fn glob(pattern: &str, text: &str) -> bool {
    fn class(p: &[u8], c: u8) -> Option<(bool, usize)> {
        // Returns whether `c` is in the class starting after `[`, and the class's length.
        let mut i = 0;
        let negate = matches!(p.first(), Some(b'!') | Some(b'^'));
        if negate {
            i += 1;
        }
        let mut found = false;
        let mut first = true;
        while i < p.len() {
            if p[i] == b']' && !first {
                return Some((found != negate, i + 1));
            }
            first = false;
            if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
                found |= p[i] <= c && c <= p[i + 2];
                i += 3;
            } else {
                found |= p[i] == c;
                i += 1;
            }
        }
        None
    }
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(b'*') => (0..=t.len()).any(|k| go(&p[1..], &t[k..])),
            Some(b'?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some(b'[') if !t.is_empty() => match class(&p[1..], t[0]) {
                Some((true, len)) => go(&p[1 + len..], &t[1..]),
                Some((false, _)) => false,
                None => t[0] == b'[' && go(&p[1..], &t[1..]),
            },
            Some(b'\\') if p.len() > 1 => t.first() == Some(&p[1]) && go(&p[2..], &t[1..]),
            Some(&c) => t.first() == Some(&c) && go(&p[1..], &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

/// The value of a `k8s` field for thread `tid`, `None` where sysdig prints `<NA>`.
///
/// As sysdig does: the pod name, namespace and uid come from the kubelet's labels on the
/// container when it has them, and the pod's labels from its sandbox (pause) container's
/// labels; anything else from the Kubernetes objects the capture described, by the pod that
/// lists the container.
pub fn k8s_field(state: &State, tid: i64, field: &K8sField) -> Option<String> {
    k8s_field_of(state, state.thread(tid)?, field)
}

/// The value of a `k8s` field for a thread (also one outside the thread table).
pub fn k8s_field_of(state: &State, thread: &Thread, field: &K8sField) -> Option<String> {
    let id = thread.container_id.as_str();
    if id.is_empty() {
        return None;
    }
    if let Some(c) = state.containers.get(id).filter(|c| !c.labels.is_empty()) {
        if let Some(v) = from_labels(state, c, field) {
            return Some(v);
        }
    }
    let k8s = &state.k8s;
    let pod = k8s.pod_of_container(id)?;
    let label = |o: &Object, key: &str| o.label(key).map(str::to_string);
    match field {
        K8sField::PodName => Some(pod.object.name.clone()),
        K8sField::PodId => Some(pod.object.uid.clone()),
        K8sField::PodLabel(key) => label(&pod.object, key),
        K8sField::PodLabels => Some(join_labels(&pod.object.labels)),
        K8sField::NsName => Some(pod.object.namespace.clone()),
        K8sField::NsId => k8s.namespace(&pod.object.namespace).map(|n| n.uid.clone()),
        K8sField::NsLabel(key) => k8s.namespace(&pod.object.namespace).and_then(|n| label(n, key)),
        K8sField::NsLabels => k8s.namespace(&pod.object.namespace).map(|n| join_labels(&n.labels)),
        K8sField::RcName => k8s.controller_of(pod).map(|o| o.name.clone()),
        K8sField::RcId => k8s.controller_of(pod).map(|o| o.uid.clone()),
        K8sField::RcLabel(key) => k8s.controller_of(pod).and_then(|o| label(o, key)),
        K8sField::RcLabels => k8s.controller_of(pod).map(|o| join_labels(&o.labels)),
        K8sField::RsName => k8s.replica_set_of(pod).map(|o| o.name.clone()),
        K8sField::RsId => k8s.replica_set_of(pod).map(|o| o.uid.clone()),
        K8sField::RsLabel(key) => k8s.replica_set_of(pod).and_then(|o| label(o, key)),
        K8sField::RsLabels => k8s.replica_set_of(pod).map(|o| join_labels(&o.labels)),
        K8sField::DeploymentName => k8s.deployment_of(pod).map(|o| o.name.clone()),
        K8sField::DeploymentId => k8s.deployment_of(pod).map(|o| o.uid.clone()),
        K8sField::DeploymentLabel(key) => k8s.deployment_of(pod).and_then(|o| label(o, key)),
        K8sField::DeploymentLabels => k8s.deployment_of(pod).map(|o| join_labels(&o.labels)),
        K8sField::SvcName => services(k8s.services_of(pod), |o| Some(o.name.clone())),
        K8sField::SvcId => services(k8s.services_of(pod), |o| Some(o.uid.clone())),
        K8sField::SvcLabel(key) => {
            let v = services(k8s.services_of(pod), |o| label(o, key))?;
            (!v.is_empty()).then_some(v)
        }
        K8sField::SvcLabels => {
            let mut all = Vec::new();
            let mut any = false;
            for o in k8s.services_of(pod) {
                any = true;
                all.extend(o.labels.iter().cloned());
            }
            any.then(|| join_labels(&all))
        }
    }
}

/// The values of several services joined by `, `; `None` when no service selects the pod.
fn services<'a>(list: impl Iterator<Item = &'a Object>, value: impl Fn(&Object) -> Option<String>) -> Option<String> {
    let mut out: Option<String> = None;
    for o in list {
        let joined = out.get_or_insert_with(String::new);
        if let Some(v) = value(o) {
            if !joined.is_empty() {
                joined.push_str(", ");
            }
            joined.push_str(&v);
        }
    }
    out
}

/// The fields the kubelet's labels answer, for a container that has labels.
fn from_labels(state: &State, c: &ContainerRecord, field: &K8sField) -> Option<String> {
    let label = |c: &ContainerRecord, key: &str| c.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    match field {
        K8sField::PodName => label(c, "io.kubernetes.pod.name"),
        K8sField::NsName => label(c, "io.kubernetes.pod.namespace"),
        K8sField::PodId => label(c, "io.kubernetes.pod.uid"),
        K8sField::PodLabel(_) | K8sField::PodLabels => {
            let mut sandbox = label(c, "io.kubernetes.sandbox.id")?;
            sandbox.truncate(12);
            let sandbox = state.containers.get(&sandbox).filter(|s| !s.labels.is_empty())?;
            match field {
                K8sField::PodLabel(key) => label(sandbox, key),
                _ => Some(join_labels(
                    sandbox
                        .labels
                        .iter()
                        .filter(|(k, _)| !k.starts_with("annotation.") && !k.starts_with("io.kubernetes.")),
                )),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Frame, ThreadRecord};

    const ID: &str = "1b709bd0d100aa44b45b61a4860645c718e65fea67576d19839c072214aea819";

    fn state() -> State {
        let mut s = State::new();
        let t = |tid: i64, cgroup: &str| {
            Frame::Thread(ThreadRecord {
                tid,
                pid: tid,
                cgroups: vec![("memory".into(), cgroup.as_bytes().to_vec().into())],
                ..ThreadRecord::default()
            })
        };
        s.apply(&Frame::Container(ContainerRecord {
            id: "1b709bd0d100".into(),
            runtime: "docker".into(),
            name: "db".into(),
            image: "mysql:5.7".into(),
            labels: vec![
                ("io.kubernetes.pod.name".into(), "shop-1".into()),
                ("io.kubernetes.pod.namespace".into(), "prod".into()),
                ("io.kubernetes.sandbox.id".into(), "2222222222223333".into()),
                ("tier".into(), "db".into()),
            ],
            mounts: vec![MountRecord {
                source: "/srv/db".into(),
                dest: "/var/lib/mysql".into(),
                rw: true,
                ..MountRecord::default()
            }],
            complete: true,
            ..ContainerRecord::default()
        }));
        s.apply(&Frame::Container(ContainerRecord {
            id: "222222222222".into(),
            runtime: "docker".into(),
            labels: vec![("app".into(), "shop".into()), ("io.kubernetes.pod.uid".into(), "u1".into())],
            complete: true,
            ..ContainerRecord::default()
        }));
        s.apply(&t(1, "/user.slice"));
        s.apply(&t(2, &format!("/docker/{ID}")));
        s.apply(&t(3, &format!("/docker/{}", "f".repeat(64))));
        s
    }

    #[test]
    fn host_threads() {
        let s = state();
        let f = |field| container_field(&s, 1, &field);
        assert_eq!(f(ContainerField::Id).as_deref(), Some("host"));
        assert_eq!(f(ContainerField::Name).as_deref(), Some("host"));
        assert_eq!(f(ContainerField::Type).as_deref(), Some("host"));
        assert_eq!(f(ContainerField::Image), None);
        assert_eq!(f(ContainerField::Privileged), None);
        assert_eq!(k8s_field(&s, 1, &K8sField::PodName), None);
        assert_eq!(container_field(&s, 99, &ContainerField::Id), None, "no thread, no value");
    }

    #[test]
    fn described_containers() {
        let s = state();
        let f = |field| container_field(&s, 2, &field);
        assert_eq!(f(ContainerField::Id).as_deref(), Some("1b709bd0d100"));
        assert_eq!(f(ContainerField::Name).as_deref(), Some("db"));
        assert_eq!(f(ContainerField::ImageId), None, "empty is <NA>");
        assert_eq!(f(ContainerField::Privileged).as_deref(), Some("false"));
        assert_eq!(f(ContainerField::Mounts).as_deref(), Some("/srv/db:/var/lib/mysql::true:"));
        assert_eq!(
            f(ContainerField::Mount(MountKey::parse("/srv/*"))).as_deref(),
            Some("/srv/db:/var/lib/mysql::true:")
        );
        assert_eq!(f(ContainerField::Mount(MountKey::parse("3"))), None);
        assert_eq!(f(ContainerField::MountSource(MountKey::parse("/var/lib/*"))).as_deref(), Some("/srv/db"));
        assert_eq!(f(ContainerField::Healthcheck).as_deref(), Some("NONE"));
        assert_eq!(f(ContainerField::Label("tier".into())).as_deref(), Some("db"));
    }

    #[test]
    fn containers_known_only_by_id() {
        let s = state();
        let f = |field| container_field(&s, 3, &field);
        assert_eq!(f(ContainerField::Id).as_deref(), Some("ffffffffffff"));
        assert_eq!(f(ContainerField::Name), None);
        assert_eq!(f(ContainerField::Type).as_deref(), Some("docker"));
        assert_eq!(f(ContainerField::Privileged).as_deref(), Some("false"));
    }

    #[test]
    fn kubelet_labels_give_the_pod() {
        let s = state();
        let f = |field| k8s_field(&s, 2, &field);
        assert_eq!(f(K8sField::PodName).as_deref(), Some("shop-1"));
        assert_eq!(f(K8sField::NsName).as_deref(), Some("prod"));
        assert_eq!(f(K8sField::PodLabels).as_deref(), Some("app:shop"), "from the sandbox, without io.kubernetes.*");
        assert_eq!(f(K8sField::PodLabel("app".into())).as_deref(), Some("shop"));
        assert_eq!(f(K8sField::PodId), None, "no uid label and no k8s events");
    }

    #[test]
    fn globs() {
        assert!(glob("/usr/*", "/usr/local"));
        assert!(glob("/a/?/c", "/a/b/c"));
        assert!(glob("/[a-c]x", "/bx"));
        assert!(!glob("/[!a-c]x", "/bx"));
        assert!(!glob("/usr/*/x", "/usr/local"));
    }
}
