//! Kubernetes objects described by the `k8s` metaevents of older captures.
//!
//! sysdig once watched the API server and stored what it saw in the capture as `k8s` events,
//! each a JSON document `{"kind": "Pod", "type": "ADDED", "items": [...]}` listing namespaces,
//! pods (with the ids of their containers), replication controllers, replica sets, services,
//! deployments and daemon sets. `K8sState` keeps those objects so that the `k8s.*` fields of a
//! thread's container resolve as sysdig resolves them: the pod whose container statuses name
//! the container, the namespace by the pod's namespace name, and the controllers and services
//! whose selectors all match the pod's labels in the pod's namespace.
//!
//! Live captures have no such events: there the kubelet's container labels
//! (`io.kubernetes.pod.name`, ...) give the pod, through the container records.

use std::collections::HashMap;

use serde_json::Value;

/// One Kubernetes object: its identity, labels and selector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object {
    /// Name.
    pub name: String,
    /// Uid.
    pub uid: String,
    /// Namespace (empty for namespaces themselves).
    pub namespace: String,
    /// Labels, in the order the document lists them.
    pub labels: Vec<(String, String)>,
    /// Selector of a controller or service.
    pub selector: Vec<(String, String)>,
}

impl Object {
    fn from_json(item: &Value) -> Object {
        let s = |k: &str| item[k].as_str().unwrap_or_default().to_string();
        Object {
            name: s("name"),
            uid: s("uid"),
            namespace: s("namespace"),
            labels: pairs(&item["labels"]),
            selector: pairs(&item["selector"]),
        }
    }

    /// The value of label `key`.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether this controller or service selects `pod`: same namespace, and every selector
    /// pair is among the pod's labels (an empty selector or label set selects nothing).
    pub fn selects(&self, pod: &Pod) -> bool {
        !self.selector.is_empty()
            && !pod.object.labels.is_empty()
            && self.namespace == pod.object.namespace
            && self.selector.iter().all(|sel| pod.object.labels.contains(sel))
    }
}

/// A pod and the containers it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pod {
    /// The pod itself.
    pub object: Object,
    /// Its containers' ids as sysdig reports them (12 hex digits for Docker, containerd and
    /// CRI-O; rkt ids whole).
    pub container_ids: Vec<String>,
}

/// Labels as sysdig prints a set of them: `key:value` (or `key` alone when the value is empty),
/// joined by `, `.
pub fn join_labels<'a>(labels: impl IntoIterator<Item = &'a (String, String)>) -> String {
    let mut out = String::new();
    for (k, v) in labels {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(k);
        if !v.is_empty() {
            out.push(':');
            out.push_str(v);
        }
    }
    out
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| m.iter().map(|(k, x)| (k.clone(), x.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default()
}

/// The Kubernetes objects a capture described.
#[derive(Clone, Debug, Default)]
pub struct K8sState {
    /// Namespaces.
    pub namespaces: Vec<Object>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Replication controllers.
    pub controllers: Vec<Object>,
    /// Replica sets.
    pub replica_sets: Vec<Object>,
    /// Services.
    pub services: Vec<Object>,
    /// Deployments.
    pub deployments: Vec<Object>,
    /// Daemon sets.
    pub daemon_sets: Vec<Object>,
    /// Index into `pods` by container id; the first pod naming a container keeps it.
    by_container: HashMap<String, usize>,
}

/// Container id prefixes in pod statuses, and whether the id is cut to 12 characters.
const ID_PREFIXES: &[(&str, bool)] =
    &[("docker://", true), ("rkt://", false), ("containerd://", true), ("cri-o://", true)];

impl K8sState {
    /// Whether no object was ever described.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty() && self.pods.is_empty()
    }

    /// Applies one `k8s` event's JSON. Documents that do not parse are ignored.
    pub fn apply_json(&mut self, json: &[u8]) {
        let Ok(doc) = serde_json::from_slice::<Value>(json) else { return };
        let kind = doc["kind"].as_str().unwrap_or_default();
        let deleted = doc["type"].as_str() == Some("DELETED");
        let Some(items) = doc["items"].as_array() else { return };
        for item in items {
            let object = Object::from_json(item);
            match kind {
                "Namespace" => upsert(&mut self.namespaces, object, deleted, |o| o),
                "ReplicationController" => upsert(&mut self.controllers, object, deleted, |o| o),
                "ReplicaSet" => upsert(&mut self.replica_sets, object, deleted, |o| o),
                "Service" => upsert(&mut self.services, object, deleted, |o| o),
                "Deployment" => upsert(&mut self.deployments, object, deleted, |o| o),
                "DaemonSet" => upsert(&mut self.daemon_sets, object, deleted, |o| o),
                "Pod" => {
                    let pod = Pod { object, container_ids: container_ids(item) };
                    upsert(&mut self.pods, pod, deleted, |p| &p.object);
                    self.reindex();
                }
                _ => {}
            }
        }
    }

    fn reindex(&mut self) {
        self.by_container.clear();
        for (i, pod) in self.pods.iter().enumerate() {
            for id in &pod.container_ids {
                self.by_container.entry(id.clone()).or_insert(i);
            }
        }
    }

    /// The pod running a container.
    pub fn pod_of_container(&self, container_id: &str) -> Option<&Pod> {
        self.by_container.get(container_id).and_then(|&i| self.pods.get(i))
    }

    /// A namespace by name.
    pub fn namespace(&self, name: &str) -> Option<&Object> {
        self.namespaces.iter().find(|n| n.name == name)
    }

    /// The first replication controller selecting `pod`.
    pub fn controller_of(&self, pod: &Pod) -> Option<&Object> {
        self.controllers.iter().find(|o| o.selects(pod))
    }

    /// The first replica set selecting `pod`.
    pub fn replica_set_of(&self, pod: &Pod) -> Option<&Object> {
        self.replica_sets.iter().find(|o| o.selects(pod))
    }

    /// The first deployment selecting `pod`.
    pub fn deployment_of(&self, pod: &Pod) -> Option<&Object> {
        self.deployments.iter().find(|o| o.selects(pod))
    }

    /// Every service selecting `pod`, in the order they were described.
    pub fn services_of<'a>(&'a self, pod: &'a Pod) -> impl Iterator<Item = &'a Object> + 'a {
        self.services.iter().filter(move |o| o.selects(pod))
    }
}

/// Adds or replaces (by uid) an object, or removes it.
fn upsert<T>(list: &mut Vec<T>, item: T, deleted: bool, object: impl Fn(&T) -> &Object) {
    let uid = object(&item).uid.clone();
    let pos = list.iter().position(|o| object(o).uid == uid);
    match (pos, deleted) {
        (Some(i), true) => {
            list.remove(i);
        }
        (Some(i), false) => list[i] = item,
        (None, false) => list.push(item),
        (None, true) => {}
    }
}

fn container_ids(pod: &Value) -> Vec<String> {
    let Some(statuses) = pod["containerStatuses"].as_array() else { return Vec::new() };
    statuses
        .iter()
        .filter_map(|s| s["containerID"].as_str())
        .filter_map(|id| {
            ID_PREFIXES.iter().find_map(|(prefix, cut)| {
                let rest = id.strip_prefix(prefix)?;
                Some(if *cut { rest.chars().take(12).collect() } else { rest.to_string() })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PODS: &str = r#"{"apiVersion":"v1","kind":"Pod","type":"ADDED","items":[
      {"containerStatuses":[{"containerID":"docker://730a6f492270921c8cf91d8c8c7c125ebb94a4749e0d4c753b1dc1cd42d84025"}],
       "labels":{"app":"critical-app","pod-template-hash":"1440326531","role":"backend"},
       "name":"backend-1440326531-csj02","namespace":"critical-app","uid":"d52db280"},
      {"containerStatuses":[{"containerID":"docker://b3a718d8b3397b08d58aa2b406db332c28b01e99f46ff23007243f53c266fe2f"}],
       "labels":null,"name":"client","namespace":"critical-app","uid":"da587b4d"}]}"#;

    fn state() -> K8sState {
        let mut k = K8sState::default();
        k.apply_json(
            br#"{"kind":"Namespace","type":"ADDED","items":[{"labels":null,"name":"critical-app","uid":"cfcd4980"}]}"#,
        );
        k.apply_json(PODS.as_bytes());
        k.apply_json(br#"{"kind":"Service","type":"ADDED","items":[
            {"labels":{"app":"critical-app","role":"backend"},"name":"backend","namespace":"critical-app",
             "selector":{"app":"critical-app","role":"backend"},"uid":"d5237196"},
            {"labels":{"component":"apiserver"},"name":"kubernetes","namespace":"default","selector":null,"uid":"64a00156"}]}"#);
        k.apply_json(
            br#"{"kind":"ReplicaSet","type":"ADDED","items":[
            {"labels":{"app":"critical-app"},"name":"backend-1440326531","namespace":"critical-app",
             "selector":{"app":"critical-app","pod-template-hash":"1440326531","role":"backend"},"uid":"d52b7b8c"}]}"#,
        );
        k
    }

    #[test]
    fn pods_are_found_by_container() {
        let k = state();
        let pod = k.pod_of_container("730a6f492270").map(|p| p.object.name.as_str());
        assert_eq!(pod, Some("backend-1440326531-csj02"));
        assert!(k.pod_of_container("730a6f49227").is_none());
        assert_eq!(k.namespace("critical-app").map(|n| n.uid.as_str()), Some("cfcd4980"));
    }

    #[test]
    fn selectors_pick_controllers_and_services() {
        let k = state();
        let backend = k.pod_of_container("730a6f492270").cloned().unwrap_or_default();
        let client = k.pod_of_container("b3a718d8b339").cloned().unwrap_or_default();
        assert_eq!(k.replica_set_of(&backend).map(|r| r.name.as_str()), Some("backend-1440326531"));
        assert_eq!(k.services_of(&backend).map(|s| s.name.as_str()).collect::<Vec<_>>(), ["backend"]);
        assert!(k.replica_set_of(&client).is_none(), "a pod without labels is selected by nothing");
        assert_eq!(join_labels(&backend.object.labels), "app:critical-app, pod-template-hash:1440326531, role:backend");
        assert_eq!(join_labels(&client.object.labels), "");
    }

    #[test]
    fn deleted_objects_go() {
        let mut k = state();
        k.apply_json(br#"{"kind":"Pod","type":"DELETED","items":[{"name":"client","namespace":"critical-app","uid":"da587b4d"}]}"#);
        assert!(k.pod_of_container("b3a718d8b339").is_none());
        assert!(k.pod_of_container("730a6f492270").is_some());
    }
}
