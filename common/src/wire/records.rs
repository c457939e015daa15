//! The non-event frames of the stream: header, state records, stats and end.
//!
//! These are wire types: every field is part of the stream format. They serialize as CBOR maps with
//! named fields, and every field has a default, so a reader accepts records written by a newer
//! writer that added fields, and an older writer's records that lack them.
//! Paths, arguments, names and `comm` are byte strings: they are not always UTF-8.

use serde::{Deserialize, Serialize};

/// Bytes that travel as a CBOR byte string.
pub type Bytes = serde_bytes::ByteBuf;

/// The first frame of every stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Header {
    /// Protocol version, major (readers refuse a higher major) and minor.
    pub version: (u16, u16),
    /// Who wrote the stream (`scap-record 0.1.0`).
    pub writer: String,
    /// Where the events come from: `live` or the path of the imported trace.
    pub source: String,
    /// The machine the events were captured on.
    pub machine: MachineInfo,
    /// Bytes of I/O buffers captured per event.
    pub snaplen: u32,
    /// Optional features of the stream; unknown ones are kept and ignored.
    pub features: Vec<String>,
}

/// What a capture knows about its machine (libscap's machine info block).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachineInfo {
    /// Host name.
    pub hostname: String,
    /// Number of CPUs.
    pub num_cpus: u32,
    /// Physical memory in bytes.
    pub memory_bytes: u64,
    /// Highest pid the kernel hands out.
    pub max_pid: u64,
    /// Boot time, ns since the epoch, 0 when unknown.
    pub boot_ts: u64,
    /// Kernel release (`uname -r`), empty when unknown.
    pub kernel: String,
}

/// A thread (and, when `tid == pid`, its process) as a snapshot or a lookup found it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThreadRecord {
    /// Thread id.
    pub tid: i64,
    /// Process id (thread group id).
    pub pid: i64,
    /// Parent process id.
    pub ptid: i64,
    /// Session id.
    pub sid: i64,
    /// Process group id, as seen in the thread's pid namespace.
    pub vpgid: i64,
    /// Process group id.
    pub pgid: i64,
    /// Command name (`comm`).
    pub comm: Bytes,
    /// `argv[0]`.
    pub exe: Bytes,
    /// Full path of the executable.
    pub exepath: Bytes,
    /// Arguments after `argv[0]`.
    pub args: Vec<Bytes>,
    /// Environment, `NAME=value` each.
    pub env: Vec<Bytes>,
    /// Current working directory.
    pub cwd: Bytes,
    /// Open file limit.
    pub fdlimit: i64,
    /// libscap's `PPM_CL_*` thread flags.
    pub flags: u32,
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
    /// Login user id (`u32::MAX` when unset).
    pub loginuid: u32,
    /// Virtual memory size, KiB.
    pub vmsize_kb: u32,
    /// Resident set size, KiB.
    pub vmrss_kb: u32,
    /// Swapped memory, KiB.
    pub vmswap_kb: u32,
    /// Major page faults.
    pub pfmajor: u64,
    /// Minor page faults.
    pub pfminor: u64,
    /// Thread id in its pid namespace.
    pub vtid: i64,
    /// Process id in its pid namespace.
    pub vpid: i64,
    /// Cgroups as (subsystem, path).
    pub cgroups: Vec<(String, Bytes)>,
    /// Root directory.
    pub root: Bytes,
    /// Controlling terminal.
    pub tty: u32,
    /// Start time of the pid namespace's init, ns.
    pub pidns_init_start_ts: u64,
    /// Whether the executable is writable by the process's user.
    pub exe_writable: bool,
    /// Inheritable capabilities.
    pub cap_inheritable: u64,
    /// Permitted capabilities.
    pub cap_permitted: u64,
    /// Effective capabilities.
    pub cap_effective: u64,
    /// Id of the container the thread runs in, empty for the host.
    pub container_id: String,
}

/// A network endpoint pair, or a listening address (then `dip` is empty and `dport` 0).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocketInfo {
    /// Source address, 4 or 16 bytes in network order.
    pub sip: Bytes,
    /// Destination address.
    pub dip: Bytes,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// libscap's L4 protocol code: 1 TCP... see `FdRecord`.
    pub l4proto: u8,
}

/// One open file descriptor of a process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FdRecord {
    /// The thread whose fd table holds the fd.
    pub tid: i64,
    /// The fd number.
    pub fd: i64,
    /// Inode number, 0 when unknown.
    pub ino: u64,
    /// libscap's fd type (`scap_fd_type`): 1 file, 2 directory, 3 IPv4 socket, ...
    pub fd_type: u8,
    /// Path, or the name sysdig shows for non-file fds.
    pub name: Bytes,
    /// Open flags.
    pub open_flags: u32,
    /// Device number.
    pub dev: u32,
    /// Addresses for network sockets.
    pub socket: Option<SocketInfo>,
    /// Unix socket source and destination kernel addresses.
    pub unix: Option<(u64, u64)>,
}

/// A user known to the host or to a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserRecord {
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// User name.
    pub name: String,
    /// Home directory.
    pub home: String,
    /// Login shell.
    pub shell: String,
    /// Container the entry comes from, empty for the host.
    pub container_id: String,
}

/// A group known to the host or to a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupRecord {
    /// Group id.
    pub gid: u32,
    /// Group name.
    pub name: String,
    /// Container the entry comes from, empty for the host.
    pub container_id: String,
}

/// A network interface address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterfaceRecord {
    /// Interface name.
    pub name: String,
    /// Address, 4 or 16 bytes in network order.
    pub addr: Bytes,
    /// Netmask, same width.
    pub netmask: Bytes,
    /// Broadcast address, same width.
    pub bcast: Bytes,
    /// Link speed, 0 when unknown.
    pub linkspeed: u64,
}

/// A container and what its runtime told about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerRecord {
    /// Container id (12 hex digits for Docker-style ids).
    pub id: String,
    /// Runtime: `docker`, `containerd`, `cri-o`, `podman`, `libvirt-lxc`, `lxc`, `systemd-nspawn`, ...
    pub runtime: String,
    /// Container name.
    pub name: String,
    /// Image as the user named it (`repo:tag`).
    pub image: String,
    /// Image id.
    pub image_id: String,
    /// Image repository.
    pub image_repo: String,
    /// Image tag.
    pub image_tag: String,
    /// Image digest.
    pub image_digest: String,
    /// Labels.
    pub labels: Vec<(String, String)>,
    /// Whether the container runs privileged.
    pub privileged: Option<bool>,
    /// Mounts as (source, destination, mode, rw, propagation).
    pub mounts: Vec<MountRecord>,
    /// The container's IPv4 address in network order, 0 when unknown.
    pub ip: u32,
    /// Number of CPU shares, memory limit and other limits, when known.
    pub limits: ContainerLimits,
    /// Health probes as (kind, command line); kind is `healthcheck`, `liveness_probe` or
    /// `readiness_probe`.
    pub probes: Vec<(String, String)>,
    /// The runtime's own JSON description, when the record came from one.
    pub json: String,
    /// Whether metadata lookup finished (successfully or not).
    pub complete: bool,
    /// Whether the lookup failed.
    pub lookup_failed: bool,
}

/// A mount of a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MountRecord {
    /// Host path.
    pub source: String,
    /// Path inside the container.
    pub dest: String,
    /// Mode string as the runtime reports it.
    pub mode: String,
    /// Whether it is writable.
    pub rw: bool,
    /// Propagation setting.
    pub propagation: String,
}

/// Resource limits of a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerLimits {
    /// CPU shares.
    pub cpu_shares: i64,
    /// CPU quota.
    pub cpu_quota: i64,
    /// CPU period.
    pub cpu_period: i64,
    /// Memory limit, bytes.
    pub memory_limit: i64,
    /// Swap limit, bytes.
    pub swap_limit: i64,
}

/// Removes a thread from the state (sent when a stage learns it is gone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThreadGone {
    /// Thread id.
    pub tid: i64,
}

/// Capture statistics, sent periodically and at the end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    /// When the counters were read, ns since the epoch.
    pub ts: u64,
    /// Per-CPU (or per-buffer) counters, cumulative since the capture began.
    pub cpus: Vec<CpuStats>,
}

/// Counters of one CPU or ring buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CpuStats {
    /// CPU (or buffer) index.
    pub cpu: u32,
    /// Events the kernel produced.
    pub events: u64,
    /// Events lost because the buffer was full.
    pub drops_buffer: u64,
    /// Events lost for other reasons (failed reads of user memory, ...).
    pub drops_other: u64,
}

/// The last frame of a complete stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct End {
    /// Events written to the stream, hidden ones included.
    pub n_events: u64,
    /// Events lost, as the last stats counted them.
    pub n_drops: u64,
    /// Why the stream ended: `eof`, `count`, `duration`, `signal`.
    pub reason: String,
}
