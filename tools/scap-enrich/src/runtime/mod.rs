//! Asking container runtimes about a container: which runtime to ask for each cgroup layout, and
//! the answer as a `ContainerRecord`.
//!
//! - Docker and Podman: their Engine API over a unix socket (`docker.rs`).
//! - containerd and CRI-O: the CRI API over gRPC (`cri.rs`, `grpc.rs`, `proto.rs`);
//!   CRI-O's HTTP inspection endpoint (`crio.rs`) and containerd's task bundles
//!   (`containerd.rs`, which also covers nerdctl and ctr containers) when the CRI does not answer.
//! - LXC, libvirt-lxc, systemd-nspawn: named by their cgroup; there is no daemon to ask.
//!
//! The Kubernetes fields come from the labels the kubelet sets on containers
//! (`io.kubernetes.pod.name`, `.namespace`, `.uid`), which the CRI runtimes pass through.

mod containerd;
pub mod cri;
mod crio;
pub mod docker;
pub mod grpc;
pub mod http;
pub mod proto;

use std::path::{Path, PathBuf};
use std::time::Duration;

use scap_common::cgroup::{Detected, Layout};
use scap_common::wire::ContainerRecord;

/// Where the runtimes listen, and how long to wait for them.
#[derive(Clone, Debug)]
pub struct Runtimes {
    /// Docker's API socket.
    pub docker: PathBuf,
    /// Podman's API socket for root containers; rootless ones use `/run/user/UID/podman/podman.sock`.
    pub podman: PathBuf,
    /// CRI-O's socket (CRI over gRPC, and its HTTP inspection endpoint).
    pub crio: PathBuf,
    /// containerd's socket, for its CRI plugin.
    pub containerd: PathBuf,
    /// Directories holding containerd's running tasks, one subdirectory per namespace.
    pub containerd_tasks: Vec<PathBuf>,
    /// The longest a runtime may take to answer.
    pub timeout: Duration,
}

impl Default for Runtimes {
    fn default() -> Runtimes {
        Runtimes {
            docker: PathBuf::from("/var/run/docker.sock"),
            podman: PathBuf::from("/run/podman/podman.sock"),
            crio: PathBuf::from("/var/run/crio/crio.sock"),
            containerd: PathBuf::from("/run/containerd/containerd.sock"),
            containerd_tasks: vec![
                PathBuf::from("/run/containerd/io.containerd.runtime.v2.task"),
                PathBuf::from("/run/docker/containerd/daemon/io.containerd.runtime.v2.task"),
            ],
            timeout: Duration::from_secs(2),
        }
    }
}

/// A problem talking to a runtime; `key` says what it is about, so it is reported once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What the problem is about (the socket path).
    pub key: String,
    /// The message for the user.
    pub message: String,
}

/// What the runtimes said about one container.
#[derive(Debug)]
pub struct Answer {
    /// The container's record: metadata when a runtime knew it, else the id and runtime with
    /// `lookup_failed` set.
    pub record: ContainerRecord,
    /// Records of related containers the answer described (a Kubernetes pod's sandbox).
    pub related: Vec<ContainerRecord>,
    /// Problems met on the way.
    pub problems: Vec<Problem>,
}

impl Runtimes {
    /// Asks the runtimes that may own a container detected from cgroups.
    pub fn describe(&self, found: &Detected) -> Answer {
        let mut problems = Vec::new();
        let note = |problems: &mut Vec<Problem>, socket: &Path, e: http::HttpError| {
            problems.push(Problem { key: socket.display().to_string(), message: e.to_string() });
        };
        let id = found.id.as_str();
        let full = found.full_id.as_str();
        let mut record = None;
        let mut related = Vec::new();
        let mut cri = |socket: &Path, runtime: &str, problems: &mut Vec<Problem>| match cri::lookup(
            socket,
            full,
            id,
            runtime,
            self.timeout,
        ) {
            Ok(Some(d)) => {
                related.extend(d.sandbox);
                Some(d.container)
            }
            Ok(None) => None,
            Err(e) => {
                // Absent CRI sockets are normal where the runtime is not in use.
                if !e.is_unreachable() {
                    problems.push(Problem { key: socket.display().to_string(), message: e.to_string() });
                }
                None
            }
        };
        match found.layout {
            Layout::Runc | Layout::DockerScope => {
                match docker::lookup(&self.docker, full, id, "docker", self.timeout) {
                    Ok(r) => record = r,
                    Err(e) => note(&mut problems, &self.docker, e),
                }
                if record.is_none() && found.layout == Layout::Runc {
                    // Kubernetes on containerd with the cgroupfs driver looks the same.
                    record = cri(&self.containerd, "containerd", &mut problems)
                        .or_else(|| containerd::lookup(&self.containerd_tasks, full, id));
                }
            }
            Layout::Podman { rootless_uid } => {
                let socket = match rootless_uid {
                    Some(uid) => PathBuf::from(format!("/run/user/{uid}/podman/podman.sock")),
                    None => self.podman.clone(),
                };
                match docker::lookup(&socket, full, id, "podman", self.timeout) {
                    Ok(Some(mut r)) => {
                        if let Some(uid) = rootless_uid {
                            r.labels.push(("podman_owner_uid".into(), uid.to_string()));
                            r.labels.sort();
                        }
                        record = Some(r);
                    }
                    Ok(None) => {}
                    Err(e) => note(&mut problems, &socket, e),
                }
            }
            Layout::CriO => {
                record = cri(&self.crio, "cri-o", &mut problems);
                if record.is_none() {
                    match crio::lookup(&self.crio, full, id, self.timeout) {
                        Ok(r) => record = r,
                        Err(e) => note(&mut problems, &self.crio, e),
                    }
                }
            }
            Layout::CriContainerd | Layout::Nerdctl => {
                record = cri(&self.containerd, "containerd", &mut problems)
                    .or_else(|| containerd::lookup(&self.containerd_tasks, full, id));
                if record.is_none() {
                    problems.push(Problem {
                        key: "containerd".into(),
                        message: format!(
                            "containerd does not know container {id} (CRI at {}, tasks under {})",
                            self.containerd.display(),
                            display_list(&self.containerd_tasks)
                        ),
                    });
                }
            }
            Layout::Lxc | Layout::LibvirtLxc | Layout::Nspawn => {
                record = Some(ContainerRecord {
                    id: id.to_string(),
                    runtime: found.layout.runtime_name().to_string(),
                    name: id.to_string(),
                    complete: true,
                    ..ContainerRecord::default()
                });
            }
        }
        let record = record.unwrap_or_else(|| ContainerRecord {
            id: id.to_string(),
            runtime: found.layout.runtime_name().to_string(),
            complete: true,
            lookup_failed: true,
            ..ContainerRecord::default()
        });
        Answer { record, related, problems }
    }
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
