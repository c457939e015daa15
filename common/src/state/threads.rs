//! `Thread`: one entry of the thread table, with what libsinsp keeps per thread.

use super::fds::FdTable;
use crate::event::{Event, Params};
use crate::wire::ThreadRecord;

/// libscap's `PPM_CL_*` thread flags that the state engine reads or sets.
pub mod cl {
    #![allow(missing_docs)]
    pub const CLONE_FILES: u32 = 1 << 0;
    pub const CLONE_FS: u32 = 1 << 1;
    pub const CLONE_THREAD: u32 = 1 << 13;
    pub const CLONE_INVERTED: u32 = 1 << 16;
    pub const NAME_CHANGED: u32 = 1 << 17;
    pub const CLOSED: u32 = 1 << 18;
    pub const ACTIVE: u32 = 1 << 19;
    pub const PIPE_SRC: u32 = 1 << 21;
    pub const PIPE_DST: u32 = 1 << 22;
    pub const CHILD_IN_PIDNS: u32 = 1 << 29;
    pub const IS_MAIN_THREAD: u32 = 1 << 30;
}

/// An enter event kept for its exit (libsinsp stores only some of them, see `parse.rs`).
#[derive(Clone, Debug, Default)]
pub struct EnterInfo {
    /// The enter event's type.
    pub event_type: u16,
    /// When it happened.
    pub ts: u64,
    /// Its parameter count.
    pub n_params: u32,
    /// Its parameters in libscap's layout.
    pub raw: Vec<u8>,
}

impl EnterInfo {
    /// The enter event's parameter `idx`.
    pub fn param(&self, idx: usize) -> Option<&[u8]> {
        Params::of(self.event_type, self.n_params, &self.raw).nth(idx)
    }

    /// The enter event's parameter `idx` as a signed integer.
    pub fn param_i64(&self, idx: usize) -> Option<i64> {
        self.param(idx).and_then(crate::event::le_i64)
    }

    /// The enter event's parameter `idx` as an unsigned integer.
    pub fn param_u64(&self, idx: usize) -> Option<u64> {
        self.param(idx).and_then(crate::event::le_u64)
    }

    /// Copies an event in, reusing the buffer.
    pub fn set_from(&mut self, e: &Event) {
        self.event_type = e.event_type;
        self.ts = e.ts;
        self.n_params = e.n_params;
        self.raw.clear();
        self.raw.extend_from_slice(&e.raw);
    }
}

/// Category of a process started by a container runtime for a probe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Category {
    /// An ordinary process.
    #[default]
    None,
    /// A container health check.
    Healthcheck,
    /// A Kubernetes liveness probe.
    LivenessProbe,
    /// A Kubernetes readiness probe.
    ReadinessProbe,
}

/// A thread, and through its main thread, a process (libsinsp's `sinsp_threadinfo`).
#[derive(Clone, Debug)]
pub struct Thread {
    /// Thread id.
    pub tid: i64,
    /// Process id.
    pub pid: i64,
    /// Parent thread id.
    pub ptid: i64,
    /// Session id.
    pub sid: i64,
    /// Process group id in the thread's namespace.
    pub vpgid: i64,
    /// Command name.
    pub comm: Vec<u8>,
    /// `argv[0]`.
    pub exe: Vec<u8>,
    /// Full executable path.
    pub exepath: Vec<u8>,
    /// Arguments after `argv[0]`.
    pub args: Vec<Vec<u8>>,
    /// Environment (kept on the main thread).
    pub env: Vec<Vec<u8>>,
    /// Working directory with a trailing `/` (kept on the main thread).
    pub cwd: Vec<u8>,
    /// Open file limit (kept on the main thread).
    pub fdlimit: i64,
    /// `cl` flags.
    pub flags: u32,
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
    /// Login uid.
    pub loginuid: u32,
    /// Virtual memory, KiB.
    pub vmsize_kb: u32,
    /// Resident memory, KiB.
    pub vmrss_kb: u32,
    /// Swap, KiB.
    pub vmswap_kb: u32,
    /// Major page faults.
    pub pfmajor: u64,
    /// Minor page faults.
    pub pfminor: u64,
    /// Tid in the pid namespace, -1 when unknown.
    pub vtid: i64,
    /// Pid in the pid namespace, -1 when unknown.
    pub vpid: i64,
    /// Cgroups as (subsystem, path).
    pub cgroups: Vec<(Vec<u8>, Vec<u8>)>,
    /// Root directory.
    pub root: Vec<u8>,
    /// Controlling terminal.
    pub tty: u32,
    /// Container id, empty for the host.
    pub container_id: String,
    /// When the thread was created (0 if before the capture).
    pub clone_ts: u64,
    /// Whether the executable is writable.
    pub exe_writable: bool,
    /// Inheritable, permitted, effective capabilities.
    pub caps: (u64, u64, u64),
    /// pid namespace init start time.
    pub pidns_init_start_ts: u64,
    /// Number of threads of this process besides the main one (kept on the main thread).
    pub nchilds: u64,
    /// Whether this thread is a probe run by a container runtime.
    pub category: Category,
    /// This thread's own fd table; threads sharing files use their main thread's.
    pub fds: FdTable,
    /// The fd the last event operated on.
    pub lastevent_fd: i64,
    /// The type of the last enter event (0xffff when none).
    pub lastevent_type: u16,
    /// The stored enter event and whether it is valid for the current exit.
    pub lastevent_data: Option<EnterInfo>,
    /// Whether `lastevent_data` may be used by the current exit event.
    pub lastevent_valid: bool,
    /// Latency of the last exit event, ns.
    pub latency: u64,
    /// When the last enter event happened.
    pub last_latency_entertime: u64,
    /// Timestamp of the thread's last event.
    pub lastevent_ts: u64,
    /// Timestamp of the event before that.
    pub prevevent_ts: u64,
    /// Whether this is a placeholder for a thread only known from its events.
    pub synthetic: bool,
    /// CPU time counted from context switches out of this thread, ns.
    pub totexectime: u64,
}

impl Default for Thread {
    fn default() -> Thread {
        Thread {
            tid: 0,
            pid: -1,
            ptid: 0,
            sid: -1,
            vpgid: -1,
            comm: Vec::new(),
            exe: Vec::new(),
            exepath: Vec::new(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: Vec::new(),
            fdlimit: -1,
            flags: cl::NAME_CHANGED,
            uid: 0,
            gid: 0,
            loginuid: 0,
            vmsize_kb: 0,
            vmrss_kb: 0,
            vmswap_kb: 0,
            pfmajor: 0,
            pfminor: 0,
            vtid: -1,
            vpid: -1,
            cgroups: Vec::new(),
            root: Vec::new(),
            tty: 0,
            container_id: String::new(),
            clone_ts: 0,
            exe_writable: false,
            caps: (0, 0, 0),
            pidns_init_start_ts: 0,
            nchilds: 0,
            category: Category::None,
            fds: FdTable::default(),
            lastevent_fd: 0,
            lastevent_type: u16::MAX,
            lastevent_data: None,
            lastevent_valid: false,
            latency: 0,
            last_latency_entertime: 0,
            lastevent_ts: 0,
            prevevent_ts: 0,
            synthetic: false,
            totexectime: 0,
        }
    }
}

impl Thread {
    /// A thread from a snapshot or lookup record (its fds come as separate records).
    pub fn from_record(r: &ThreadRecord) -> Thread {
        let mut t = Thread {
            tid: r.tid,
            pid: r.pid,
            ptid: r.ptid,
            sid: r.sid,
            vpgid: r.vpgid,
            comm: r.comm.to_vec(),
            exe: r.exe.to_vec(),
            exepath: r.exepath.to_vec(),
            exe_writable: r.exe_writable,
            args: r.args.iter().map(|a| a.to_vec()).collect(),
            fdlimit: r.fdlimit,
            uid: r.uid,
            gid: r.gid,
            vmsize_kb: r.vmsize_kb,
            vmrss_kb: r.vmrss_kb,
            vmswap_kb: r.vmswap_kb,
            pfmajor: r.pfmajor,
            pfminor: r.pfminor,
            vtid: r.vtid,
            vpid: r.vpid,
            tty: r.tty,
            loginuid: r.loginuid,
            root: r.root.to_vec(),
            container_id: r.container_id.clone(),
            caps: (r.cap_inheritable, r.cap_permitted, r.cap_effective),
            pidns_init_start_ts: r.pidns_init_start_ts,
            ..Thread::default()
        };
        t.flags |= r.flags | cl::ACTIVE;
        if t.is_main() {
            t.env = r.env.iter().map(|a| a.to_vec()).collect();
            while t.env.last().is_some_and(|e| e.is_empty()) {
                t.env.pop();
            }
            t.cwd = super::paths::concatenate(b"", &r.cwd).0;
            if !t.cwd.ends_with(b"/") {
                t.cwd.push(b'/');
            }
        }
        t.cgroups = r.cgroups.iter().map(|(k, v)| (normalize_subsys(k.as_bytes()), v.to_vec())).collect();
        t
    }

    /// The placeholder libsinsp adds when an event comes from a thread it has never seen.
    pub fn unknown(tid: i64) -> Thread {
        Thread {
            tid,
            pid: tid,
            ptid: -1,
            comm: b"<NA>".to_vec(),
            exe: b"<NA>".to_vec(),
            uid: u32::MAX,
            gid: u32::MAX,
            loginuid: u32::MAX,
            synthetic: true,
            ..Thread::default()
        }
    }

    /// Whether this thread is its process's main thread.
    pub fn is_main(&self) -> bool {
        self.tid == self.pid || self.flags & cl::IS_MAIN_THREAD != 0
    }

    /// Whether this is a placeholder for a thread nothing described.
    pub fn is_placeholder(&self) -> bool {
        self.comm == b"<NA>" && self.uid == u32::MAX
    }

    /// Whether the thread uses its main thread's fd table.
    pub fn shares_files(&self) -> bool {
        self.flags & cl::CLONE_FILES != 0
    }

    /// Sets the arguments from a NUL-separated list.
    pub fn set_args(&mut self, b: &[u8]) {
        self.args = split_args(b);
    }

    /// Sets the environment from a NUL-separated list, stopping at an all-zero tail.
    pub fn set_env(&mut self, b: &[u8]) {
        self.env.clear();
        let mut rest = b;
        while !rest.is_empty() {
            let len = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
            if len == 0 && rest.iter().all(|&c| c == 0) {
                return;
            }
            self.env.push(rest[..len].to_vec());
            rest = rest.get(len + 1..).unwrap_or(&[]);
        }
    }

    /// Sets the cgroups from libscap's `subsys=path` NUL-separated list.
    pub fn set_cgroups(&mut self, b: &[u8]) {
        self.cgroups.clear();
        // An entry without `=` ends the list (the empty one after a final NUL among them).
        for entry in split_nul(b) {
            let Some(eq) = memchr::memrchr(b'=', entry) else { return };
            self.cgroups.push((normalize_subsys(&entry[..eq]), entry[eq + 1..].to_vec()));
        }
    }
}

/// Splits a NUL-separated argument list as libsinsp does: each string up to its NUL.
pub fn split_args(b: &[u8]) -> Vec<Vec<u8>> {
    if b.is_empty() {
        return Vec::new();
    }
    split_nul(b.strip_suffix(b"\0").unwrap_or(b)).map(<[u8]>::to_vec).collect()
}

/// The pieces between NULs, as `b.split(|&c| c == 0)` gives them (an empty one after a final
/// NUL), found with `memchr`.
pub(crate) fn split_nul(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    memchr::memchr_iter(0, b).map(Some).chain(std::iter::once(None)).map(move |nul| {
        let end = nul.unwrap_or(b.len());
        let piece = &b[start..end];
        start = end + 1;
        piece
    })
}

/// libsinsp's renames of cgroup subsystem names.
fn normalize_subsys(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    if let Some(pos) = v.windows(7).position(|w| w == b"_cgroup") {
        v.drain(pos..pos + 7);
    }
    match &v[..] {
        b"perf" => b"perf_event".to_vec(),
        b"mem" => b"memory".to_vec(),
        b"io" => b"blkio".to_vec(),
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_stops_at_zero_tail() {
        let mut t = Thread::default();
        t.set_env(b"A=1\0B=2\0\0\0\0");
        assert_eq!(t.env, vec![b"A=1".to_vec(), b"B=2".to_vec()]);
    }

    #[test]
    fn args_keep_empty_strings() {
        assert_eq!(split_args(b"a\0\0b\0"), vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn cgroup_names_are_normalized() {
        let mut t = Thread::default();
        t.set_cgroups(b"perf=/x\0io=/y\0cpu=/z\0");
        let names: Vec<_> = t.cgroups.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(names, vec![b"perf_event".to_vec(), b"blkio".to_vec(), b"cpu".to_vec()]);
    }
}
