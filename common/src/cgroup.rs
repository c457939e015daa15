//! Which container a thread runs in, read from its cgroup paths.
//!
//! Container runtimes put each container's processes into a cgroup whose path names the
//! container. `detect` recognizes the layouts of Docker, containerd (its CRI plugin and nerdctl),
//! CRI-O, Podman (root and rootless), LXC, libvirt-lxc and systemd-nspawn, under cgroup v1 and v2,
//! with the cgroupfs and the systemd cgroup drivers. Every consumer of the stream uses it through
//! the state engine, and scap-enrich uses it to know which runtime to ask for metadata.
//!
//! Ids of runc-based runtimes are 64 hex digits in the path and are reported, like sysdig does,
//! as their first 12; LXC, libvirt-lxc and systemd-nspawn containers are known by name.
//!
//! The order of the checks follows sysdig: Podman, then Docker-style paths (which are also what
//! containerd's CRI plugin and dockershim use with the cgroupfs driver), then the CRI runtimes'
//! own prefixes, then libvirt-lxc and LXC; systemd-nspawn, which sysdig does not know, comes last.
//! (sysdig tries LXC first, and so takes libvirt's legacy `/libvirt/lxc/NAME` for plain LXC.)

/// How a container's cgroup path was laid out, which says which runtime made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `.../<64 hex>`: Docker with the cgroupfs driver, and also containerd's CRI plugin,
    /// dockershim and nerdctl with cgroupfs. Only asking the runtimes tells them apart.
    Runc,
    /// `.../docker-<64 hex>.scope`: Docker with the systemd driver.
    DockerScope,
    /// `.../libpod-<64 hex>.scope[/container]`: Podman; `rootless_uid` is the owner of a rootless
    /// container (from `/user.slice/user-UID.slice/`), `None` for root's.
    Podman {
        /// The user running a rootless Podman, `None` for root.
        rootless_uid: Option<u32>,
    },
    /// `cri-containerd-<64 hex>.scope` or `...:cri-containerd:<64 hex>`: containerd's CRI plugin.
    CriContainerd,
    /// `nerdctl-<64 hex>.scope`: containerd driven by nerdctl with the systemd driver.
    Nerdctl,
    /// `crio-<64 hex>[.scope]`: CRI-O.
    CriO,
    /// `/lxc/NAME`, `/lxc.payload/NAME` or `/lxc.payload.NAME`: LXC.
    Lxc,
    /// `NAME.libvirt-lxc`, `machine-lxc\x2dNAME.scope` or `/libvirt/lxc/NAME`: libvirt's LXC driver.
    LibvirtLxc,
    /// `machine-NAME.scope` or `systemd-nspawn@NAME.service`: systemd-nspawn.
    Nspawn,
}

impl Layout {
    /// The runtime name sysdig shows in `container.type` for a container detected this way and
    /// not (yet) described by its runtime.
    pub fn runtime_name(self) -> &'static str {
        match self {
            Layout::Runc | Layout::DockerScope => "docker",
            Layout::Podman { .. } => "podman",
            Layout::CriContainerd | Layout::Nerdctl => "containerd",
            Layout::CriO => "cri-o",
            Layout::Lxc => "lxc",
            Layout::LibvirtLxc => "libvirt-lxc",
            Layout::Nspawn => "systemd-nspawn",
        }
    }

    /// Whether sysdig, reading a trace, records a container with no metadata for this layout
    /// (it does for the engines that need no runtime connection to say a container exists).
    pub fn makes_placeholder(self) -> bool {
        !matches!(self, Layout::CriContainerd | Layout::CriO)
    }

    /// Whether the container's name is its id (containers known by name rather than by hash).
    pub fn named_by_id(self) -> bool {
        matches!(self, Layout::Lxc | Layout::LibvirtLxc | Layout::Nspawn)
    }
}

/// A container found in a thread's cgroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The id sysdig reports: 12 hex digits, or the name for LXC, libvirt-lxc and nspawn.
    pub id: String,
    /// The full id as the runtime knows it (64 hex digits, or the name).
    pub full_id: String,
    /// Which layout matched.
    pub layout: Layout,
    /// The cgroup path that matched.
    pub cgroup: String,
}

/// Length of a runc-style container id.
const FULL_ID_LEN: usize = 64;
/// Length of the id sysdig reports.
const SHORT_ID_LEN: usize = 12;

/// The container a thread with these cgroup paths runs in, `None` for the host.
pub fn detect<'a>(paths: impl IntoIterator<Item = &'a [u8]> + Clone) -> Option<Detected> {
    let paths = || paths.clone().into_iter().filter_map(|p| std::str::from_utf8(p).ok());
    let mut found = None;
    for check in CHECKS {
        if let Some(d) = paths().find_map(check) {
            found = Some(d);
            break;
        }
    }
    found
}

/// The checks in the order they are tried.
const CHECKS: &[fn(&str) -> Option<Detected>] = &[podman, docker, cri, libvirt_lxc, lxc, nspawn];

fn runc_id(cgroup: &str, prefix: &str, suffix: &str, layout: Layout) -> Option<Detected> {
    let start = cgroup.rfind(prefix)? + prefix.len();
    let end = if suffix.is_empty() { cgroup.len() } else { cgroup.rfind(suffix)? };
    let id = cgroup.get(start..end)?;
    if id.len() != FULL_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Detected { id: id[..SHORT_ID_LEN].to_string(), full_id: id.to_string(), layout, cgroup: cgroup.to_string() })
}

fn podman(cgroup: &str) -> Option<Detected> {
    let mut d = runc_id(cgroup, "/libpod-", ".scope", Layout::Podman { rootless_uid: None })?;
    let uid = cgroup
        .strip_prefix("/user.slice/user-")
        .and_then(|rest| rest.split_once(".slice/"))
        .and_then(|(uid, _)| uid.parse::<u32>().ok());
    d.layout = Layout::Podman { rootless_uid: uid };
    Some(d)
}

fn docker(cgroup: &str) -> Option<Detected> {
    runc_id(cgroup, "/", "", Layout::Runc).or_else(|| runc_id(cgroup, "/docker-", ".scope", Layout::DockerScope))
}

fn cri(cgroup: &str) -> Option<Detected> {
    runc_id(cgroup, "/crio-", "", Layout::CriO)
        .or_else(|| runc_id(cgroup, "/cri-containerd-", ".scope", Layout::CriContainerd))
        .or_else(|| runc_id(cgroup, "/crio-", ".scope", Layout::CriO))
        .or_else(|| runc_id(cgroup, ":cri-containerd:", "", Layout::CriContainerd))
        .or_else(|| runc_id(cgroup, "/nerdctl-", ".scope", Layout::Nerdctl))
}

/// A named container: the path component after `marker`, up to the next `/`.
fn named(cgroup: &str, marker: &str, layout: Layout) -> Option<Detected> {
    let start = cgroup.find(marker)? + marker.len();
    let rest = &cgroup[start..];
    let name = rest.split('/').next().unwrap_or(rest);
    if name.is_empty() {
        return None;
    }
    Some(Detected { id: name.to_string(), full_id: name.to_string(), layout, cgroup: cgroup.to_string() })
}

fn lxc(cgroup: &str) -> Option<Detected> {
    named(cgroup, "/lxc/", Layout::Lxc)
        .or_else(|| named(cgroup, "/lxc.payload/", Layout::Lxc))
        .or_else(|| named(cgroup, "/lxc.payload.", Layout::Lxc))
}

fn libvirt_lxc(cgroup: &str) -> Option<Detected> {
    if let Some(head) = cgroup.strip_suffix(".libvirt-lxc") {
        let name = head.rsplit('/').next().unwrap_or(head);
        if !name.is_empty() {
            return Some(Detected {
                id: name.to_string(),
                full_id: name.to_string(),
                layout: Layout::LibvirtLxc,
                cgroup: cgroup.to_string(),
            });
        }
    }
    if let Some(pos) = cgroup.find("-lxc\\x2d") {
        let rest = &cgroup[pos + "-lxc\\x2d".len()..];
        if let Some(name) = rest.strip_suffix(".scope").filter(|n| !n.is_empty() && !n.contains('/')) {
            return Some(Detected {
                id: name.to_string(),
                full_id: name.to_string(),
                layout: Layout::LibvirtLxc,
                cgroup: cgroup.to_string(),
            });
        }
    }
    let marker = "/libvirt/lxc/";
    let pos = cgroup.find(marker)?;
    let name = &cgroup[pos + marker.len()..];
    (!name.is_empty()).then(|| Detected {
        id: name.to_string(),
        full_id: name.to_string(),
        layout: Layout::LibvirtLxc,
        cgroup: cgroup.to_string(),
    })
}

fn nspawn(cgroup: &str) -> Option<Detected> {
    let unit = cgroup.split('/').find(|c| {
        (c.starts_with("machine-") && c.ends_with(".scope"))
            || (c.starts_with("systemd-nspawn@") && c.ends_with(".service"))
    })?;
    let escaped = if let Some(n) = unit.strip_prefix("machine-").and_then(|n| n.strip_suffix(".scope")) {
        // Virtual machines (qemu) and libvirt containers register as machines too.
        if n.starts_with("qemu\\x2d") || n.starts_with("lxc\\x2d") {
            return None;
        }
        n
    } else {
        unit.strip_prefix("systemd-nspawn@").and_then(|n| n.strip_suffix(".service"))?
    };
    let name = unescape_unit(escaped);
    (!name.is_empty()).then(|| Detected {
        id: name.clone(),
        full_id: name,
        layout: Layout::Nspawn,
        cgroup: cgroup.to_string(),
    })
}

/// Undoes systemd's unit name escaping (`\x2d` for `-`, and so on).
fn unescape_unit(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') {
            if let Some(v) = s.get(i + 2..i + 4).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ae85346893b45b61a4860645c718e65fea67576d19839c072214aea81907609d";

    /// Checks one `/proc/PID/cgroup` sample (lines `N:controllers:path`) against the expected
    /// id and layout, `None` for the host.
    fn check(proc_cgroup: &str, expected: Option<(&str, Layout)>) {
        let paths: Vec<&[u8]> =
            proc_cgroup.lines().filter_map(|l| l.splitn(3, ':').nth(2)).map(str::as_bytes).collect();
        let got = detect(paths.iter().copied()).map(|d| (d.id, d.layout));
        assert_eq!(got, expected.map(|(id, l)| (id.to_string(), l)), "cgroups:\n{proc_cgroup}");
    }

    #[test]
    fn docker_cgroupfs_v1() {
        // Taken from this machine: docker 20.10, cgroupfs driver, cgroup v1.
        let s = format!("12:pids:/docker/{ID}\n4:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n0::/docker/{ID}\n");
        check(&s, Some(("ae85346893b4", Layout::Runc)));
    }

    #[test]
    fn docker_systemd_v2() {
        check(&format!("0::/system.slice/docker-{ID}.scope\n"), Some(("ae85346893b4", Layout::DockerScope)));
    }

    #[test]
    fn host_processes() {
        check("0::/init.scope\n", None);
        check("0::/user.slice/user-1000.slice/session-3.scope\n", None);
        check("0::/system.slice/docker.service\n", None);
        check("4:memory:/process_api/de16fe1118905355965c6734214b8774\n0::/\n", None);
        check("0::/system.slice/containerd.service\n", None);
        // Podman's monitor runs outside the container.
        check(&format!("0::/machine.slice/libpod-conmon-{ID}.scope\n"), None);
        // A qemu virtual machine registered with machined is not a container.
        check("0::/machine.slice/machine-qemu\\x2d1\\x2dwin10.scope/libvirt/emulator\n", None);
        // LXC's monitor process.
        check("0::/lxc.monitor.web\n", None);
    }

    #[test]
    fn kubernetes_dockershim_and_containerd_cgroupfs() {
        let s = format!("11:cpu,cpuacct:/kubepods/besteffort/pod3f7c2b1a-0d2e-4a8b-9c61-7e5f4d3c2b1a/{ID}\n");
        check(&s, Some(("ae85346893b4", Layout::Runc)));
        let s = format!("0::/kubepods/burstable/pod3f7c2b1a-0d2e-4a8b-9c61-7e5f4d3c2b1a/{ID}\n");
        check(&s, Some(("ae85346893b4", Layout::Runc)));
    }

    #[test]
    fn containerd_cri_systemd() {
        let s = format!(
            "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod3f7c2b1a_0d2e_4a8b_9c61_7e5f4d3c2b1a.slice/cri-containerd-{ID}.scope\n"
        );
        check(&s, Some(("ae85346893b4", Layout::CriContainerd)));
    }

    #[test]
    fn containerd_cri_without_systemd_cgroup() {
        let s = format!("4:memory:/kubepods-besteffort-pod3f7c2b1a_0d2e.slice:cri-containerd:{ID}\n");
        check(&s, Some(("ae85346893b4", Layout::CriContainerd)));
    }

    #[test]
    fn nerdctl_systemd() {
        check(&format!("0::/system.slice/nerdctl-{ID}.scope\n"), Some(("ae85346893b4", Layout::Nerdctl)));
    }

    #[test]
    fn crio() {
        let s = format!(
            "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f7c2b1a_0d2e.slice/crio-{ID}.scope\n"
        );
        check(&s, Some(("ae85346893b4", Layout::CriO)));
        let s = format!("5:memory:/kubepods/burstable/pod3f7c2b1a-0d2e/crio-{ID}\n");
        check(&s, Some(("ae85346893b4", Layout::CriO)));
        // CRI-O's conmon has its own scope, outside the container.
        check(&format!("0::/kubepods.slice/crio-conmon-{ID}.scope\n"), None);
    }

    #[test]
    fn podman_root_and_rootless() {
        check(
            &format!("0::/machine.slice/libpod-{ID}.scope/container\n"),
            Some(("ae85346893b4", Layout::Podman { rootless_uid: None })),
        );
        check(
            &format!("1:name=systemd:/machine.slice/libpod-{ID}.scope\n"),
            Some(("ae85346893b4", Layout::Podman { rootless_uid: None })),
        );
        check(
            &format!("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope/container\n"),
            Some(("ae85346893b4", Layout::Podman { rootless_uid: Some(1000) })),
        );
    }

    #[test]
    fn lxc_all_versions() {
        check("4:memory:/lxc/web01\n", Some(("web01", Layout::Lxc)));
        check("4:memory:/lxc.payload/web01\n", Some(("web01", Layout::Lxc)));
        check("0::/lxc.payload.web01/system.slice/cron.service\n", Some(("web01", Layout::Lxc)));
    }

    #[test]
    fn libvirt_lxc() {
        check("4:memory:/machine/web01.libvirt-lxc\n", Some(("web01", Layout::LibvirtLxc)));
        check("0::/machine.slice/machine-lxc\\x2d4242\\x2dweb01.scope\n", Some(("4242\\x2dweb01", Layout::LibvirtLxc)));
        check("4:memory:/libvirt/lxc/web01\n", Some(("web01", Layout::LibvirtLxc)));
    }

    #[test]
    fn systemd_nspawn() {
        check(
            "0::/machine.slice/machine-debian\\x2dtest.scope/payload/system.slice/cron.service\n",
            Some(("debian-test", Layout::Nspawn)),
        );
        check("0::/machine.slice/systemd-nspawn@build.service/payload/init.scope\n", Some(("build", Layout::Nspawn)));
        check("1:name=systemd:/machine.slice/machine-build.scope\n", Some(("build", Layout::Nspawn)));
    }

    #[test]
    fn bad_ids_are_not_containers() {
        check(&format!("0::/docker/{}\n", &ID[..63]), None);
        check(&format!("0::/docker/{}g\n", &ID[..63]), None);
        check(&format!("0::/docker/{ID}0\n"), None);
    }
}
