//! Threads and fds read from `/proc`, for what a live capture sees before any event described it.
//!
//! The records have the shape the capture snapshot gives, so the state engine treats a thread
//! found here like one from the snapshot.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use scap_common::scap::blocks::fd_type;
use scap_common::wire::{Bytes, FdRecord, SocketInfo, ThreadRecord};

/// Where `/proc` is (tests and containers may mount it elsewhere).
#[derive(Clone, Debug)]
pub struct Procfs {
    root: PathBuf,
}

impl Default for Procfs {
    fn default() -> Procfs {
        Procfs { root: PathBuf::from("/proc") }
    }
}

fn bytes(b: &[u8]) -> Bytes {
    Bytes::from(b.to_vec())
}

impl Procfs {
    /// `/proc` at another path.
    pub fn at(root: impl Into<PathBuf>) -> Procfs {
        Procfs { root: root.into() }
    }

    /// The path of a process's entry.
    pub fn path(&self, pid: i64) -> PathBuf {
        self.root.join(pid.to_string())
    }

    /// A thread as `/proc` shows it now; `None` when it is gone.
    pub fn thread(&self, tid: i64) -> Option<ThreadRecord> {
        let dir = self.path(tid);
        let status = fs::read_to_string(dir.join("status")).ok()?;
        let field = |name: &str| {
            status.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')).map(str::trim))
        };
        let ids = |name: &str| -> Vec<i64> {
            field(name).map(|v| v.split_whitespace().filter_map(|x| x.parse().ok()).collect()).unwrap_or_default()
        };
        let kib = |name: &str| {
            field(name).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
        };
        let caps = |name: &str| field(name).and_then(|v| u64::from_str_radix(v, 16).ok()).unwrap_or(0);
        let pid = *ids("Tgid").first()?;
        let uids = ids("Uid");
        let gids = ids("Gid");
        let mut rec = ThreadRecord {
            tid,
            pid,
            ptid: ids("PPid").first().copied().unwrap_or(0),
            uid: uids.get(1).copied().unwrap_or(0) as u32,
            gid: gids.get(1).copied().unwrap_or(0) as u32,
            vtid: ids("NSpid").last().copied().unwrap_or(tid),
            vpid: ids("NStgid").last().copied().unwrap_or(pid),
            vmsize_kb: kib("VmSize"),
            vmrss_kb: kib("VmRSS"),
            vmswap_kb: kib("VmSwap"),
            cap_inheritable: caps("CapInh"),
            cap_permitted: caps("CapPrm"),
            cap_effective: caps("CapEff"),
            loginuid: fs::read_to_string(dir.join("loginuid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(u32::MAX),
            ..ThreadRecord::default()
        };
        let comm = fs::read(dir.join("comm")).unwrap_or_default();
        rec.comm = bytes(comm.strip_suffix(b"\n").unwrap_or(&comm));
        let cmdline = fs::read(self.path(pid).join("cmdline")).unwrap_or_default();
        let mut argv = cmdline.split(|&c| c == 0).filter(|a| !a.is_empty());
        rec.exe = argv.next().map(bytes).unwrap_or_else(|| rec.comm.clone());
        rec.args = argv.map(bytes).collect();
        let link = |name: &str| fs::read_link(dir.join(name)).ok().map(|p| bytes(p.as_os_str().as_encoded_bytes()));
        rec.exepath = link("exe").unwrap_or_default();
        rec.cwd = link("cwd").unwrap_or_default();
        rec.root = link("root").unwrap_or_default();
        rec.env = fs::read(dir.join("environ"))
            .unwrap_or_default()
            .split(|&c| c == 0)
            .filter(|a| !a.is_empty())
            .map(bytes)
            .collect();
        rec.cgroups = fs::read_to_string(dir.join("cgroup"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, ':');
                let (_, ctrl, path) = (parts.next()?, parts.next()?, parts.next()?);
                Some((ctrl.to_string(), bytes(path.as_bytes())))
            })
            .collect();
        if let Ok(stat) = fs::read_to_string(dir.join("stat")) {
            // Fields after the parenthesized command name, which may itself hold spaces.
            let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
            let f: Vec<&str> = after.split_whitespace().collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            rec.pgid = num(2);
            rec.vpgid = num(2);
            rec.sid = num(3);
            rec.tty = num(4) as u32;
            rec.pfminor = num(7) as u64;
            rec.pfmajor = num(9) as u64;
        }
        rec.fdlimit = fs::read_to_string(dir.join("limits"))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Some(rec)
    }

    /// Every open fd of process `pid`.
    pub fn fds(&self, pid: i64) -> Vec<FdRecord> {
        let Ok(rd) = fs::read_dir(self.path(pid).join("fd")) else { return Vec::new() };
        let mut nums: Vec<i64> = rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect();
        nums.sort_unstable();
        let mut sockets = SocketTable::default();
        nums.into_iter().filter_map(|fd| self.fd_with(pid, fd, &mut sockets)).collect()
    }

    /// One open fd of process `pid`; `None` when it is not open.
    pub fn fd(&self, pid: i64, fd: i64) -> Option<FdRecord> {
        self.fd_with(pid, fd, &mut SocketTable::default())
    }

    fn fd_with(&self, pid: i64, fd: i64, sockets: &mut SocketTable) -> Option<FdRecord> {
        let path = self.path(pid).join("fd").join(fd.to_string());
        let target = fs::read_link(&path).ok()?;
        let target = target.as_os_str().as_encoded_bytes().to_vec();
        let meta = fs::metadata(&path).ok();
        let mut rec = FdRecord { tid: pid, fd, ino: 0, ..FdRecord::default() };
        if let Some(m) = &meta {
            use std::os::unix::fs::MetadataExt;
            rec.ino = m.ino();
            rec.dev = m.dev() as u32;
        }
        let text = String::from_utf8_lossy(&target);
        let anon =
            |kind: &str| text.strip_prefix("anon_inode:").is_some_and(|k| k.trim_matches(['[', ']']).starts_with(kind));
        if let Some(ino) =
            text.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse::<u64>().ok())
        {
            rec.ino = ino;
            sockets.load(&self.path(pid));
            match sockets.by_inode.get(&ino) {
                Some(Sock::Ip { v6, listening, info }) => {
                    rec.fd_type = match (v6, listening) {
                        (false, false) => fd_type::IPV4_SOCK,
                        (true, false) => fd_type::IPV6_SOCK,
                        (false, true) => fd_type::IPV4_SERVSOCK,
                        (true, true) => fd_type::IPV6_SERVSOCK,
                    };
                    rec.socket = Some(info.clone());
                }
                Some(Sock::Unix { path }) => {
                    rec.fd_type = fd_type::UNIX_SOCK;
                    rec.unix = Some((0, 0));
                    rec.name = bytes(path.as_bytes());
                }
                None => rec.fd_type = fd_type::UNSUPPORTED,
            }
        } else if text.starts_with("pipe:[") {
            rec.fd_type = fd_type::FIFO;
        } else if anon("eventfd") {
            rec.fd_type = fd_type::EVENT;
        } else if anon("eventpoll") {
            rec.fd_type = fd_type::EVENTPOLL;
        } else if anon("inotify") {
            rec.fd_type = fd_type::INOTIFY;
        } else if anon("signalfd") {
            rec.fd_type = fd_type::SIGNALFD;
        } else if anon("timerfd") {
            rec.fd_type = fd_type::TIMERFD;
        } else if anon("bpf") {
            rec.fd_type = fd_type::BPF;
        } else if anon("userfaultfd") {
            rec.fd_type = fd_type::USERFAULTFD;
        } else if anon("io_uring") {
            rec.fd_type = fd_type::IOURING;
        } else if anon("pidfd") {
            rec.fd_type = fd_type::PIDFD;
        } else if text.starts_with("/memfd:") {
            rec.fd_type = fd_type::MEMFD;
            rec.name = bytes(&target);
        } else if target.first() == Some(&b'/') {
            let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
            rec.fd_type = if is_dir { fd_type::DIRECTORY } else { fd_type::FILE_V2 };
            rec.name = bytes(&target);
            rec.open_flags = open_flags(&self.path(pid), fd);
        } else {
            rec.fd_type = fd_type::UNSUPPORTED;
            rec.name = bytes(&target);
        }
        Some(rec)
    }
}

/// The `flags:` of `/proc/PID/fdinfo/FD` (octal), converted to libscap's `PPM_O_*` bits.
fn open_flags(proc_pid: &Path, fd: i64) -> u32 {
    let info = fs::read_to_string(proc_pid.join("fdinfo").join(fd.to_string())).unwrap_or_default();
    let raw = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        .unwrap_or(0);
    scap_open_flags(raw)
}

/// Linux `O_*` open flags (x86-64 values) as libscap's `PPM_O_*` bits.
pub fn scap_open_flags(raw: u32) -> u32 {
    // (Linux bit, PPM bit); the access mode is handled apart.
    const MAP: &[(u32, u32)] = &[
        (0o100, 1 << 2),       // O_CREAT
        (0o2000, 1 << 3),      // O_APPEND
        (0o10000, 1 << 4),     // O_DSYNC
        (0o200, 1 << 5),       // O_EXCL
        (0o4000, 1 << 6),      // O_NONBLOCK
        (0o4000000, 1 << 7),   // O_SYNC (beyond its O_DSYNC bit)
        (0o1000, 1 << 8),      // O_TRUNC
        (0o40000, 1 << 9),     // O_DIRECT
        (0o200000, 1 << 10),   // O_DIRECTORY
        (0o100000, 1 << 11),   // O_LARGEFILE
        (0o2000000, 1 << 12),  // O_CLOEXEC
        (0o20000000, 1 << 13), // O_TMPFILE (beyond its O_DIRECTORY bit)
    ];
    let mut out = match raw & 3 {
        0 => 1,     // PPM_O_RDONLY
        1 => 2,     // PPM_O_WRONLY
        _ => 1 | 2, // PPM_O_RDWR
    };
    for (linux, ppm) in MAP {
        if raw & linux != 0 {
            out |= ppm;
        }
    }
    out
}

enum Sock {
    Ip { v6: bool, listening: bool, info: SocketInfo },
    Unix { path: String },
}

/// Sockets of a network namespace by inode, from `/proc/PID/net/*`, read once per lookup.
#[derive(Default)]
struct SocketTable {
    loaded: bool,
    by_inode: HashMap<u64, Sock>,
}

impl SocketTable {
    fn load(&mut self, proc_pid: &Path) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        for (file, v6, l4proto) in [("tcp", false, 2u8), ("tcp6", true, 2), ("udp", false, 3), ("udp6", true, 3)] {
            let text = fs::read_to_string(proc_pid.join("net").join(file)).unwrap_or_default();
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                if f.len() < 10 {
                    continue;
                }
                let (Some((sip, sport)), Some((dip, dport)), Ok(ino)) =
                    (parse_addr(f[1], v6), parse_addr(f[2], v6), f[9].parse::<u64>())
                else {
                    continue;
                };
                // TCP state 0A is LISTEN; an unconnected UDP socket has no peer.
                let listening = if l4proto == 2 { f[3] == "0A" } else { dport == 0 };
                let info = if listening {
                    SocketInfo { sip: bytes(&sip), dip: Bytes::new(), sport, dport: 0, l4proto }
                } else {
                    SocketInfo { sip: bytes(&sip), dip: bytes(&dip), sport, dport, l4proto }
                };
                self.by_inode.insert(ino, Sock::Ip { v6, listening, info });
            }
        }
        let text = fs::read_to_string(proc_pid.join("net").join("unix")).unwrap_or_default();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let Some(Ok(ino)) = f.get(6).map(|i| i.parse::<u64>()) {
                self.by_inode.insert(ino, Sock::Unix { path: f.get(7).unwrap_or(&"").to_string() });
            }
        }
    }
}

/// `0100007F:1F90` (address in host byte order per 32-bit word, port in hex) as network-order
/// address bytes and a port.
fn parse_addr(s: &str, v6: bool) -> Option<(Vec<u8>, u16)> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words = if v6 { 4 } else { 1 };
    if addr.len() != words * 8 {
        return None;
    }
    let mut out = Vec::with_capacity(words * 4);
    for w in 0..words {
        let v = u32::from_str_radix(&addr[w * 8..w * 8 + 8], 16).ok()?;
        out.extend_from_slice(&v.to_le_bytes());
    }
    Some((out, port))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn proc_net_addresses() {
        assert_eq!(parse_addr("0100007F:1F90", false), Some((vec![127, 0, 0, 1], 8080)));
        let (a, p) = parse_addr("00000000000000000000000001000000:0016", true).unwrap();
        assert_eq!(p, 22);
        assert_eq!(a, [0u8; 15].iter().copied().chain([1]).collect::<Vec<u8>>());
    }

    #[test]
    fn this_process_reads_back() {
        let me = i64::from(std::process::id());
        let p = Procfs::default();
        let t = p.thread(me).unwrap();
        assert_eq!((t.tid, t.pid), (me, me));
        assert!(!t.comm.is_empty());
        assert!(!t.exepath.is_empty());
        let file = std::fs::File::open("/proc/self/status").unwrap();
        let fds = p.fds(me);
        assert!(
            fds.iter().any(|f| f.name.as_slice() == b"/proc/self/status" || f.name.ends_with(b"/status")),
            "{fds:?}"
        );
        drop(file);
    }

    #[test]
    fn a_listening_socket_is_a_server_socket() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let me = i64::from(std::process::id());
        let fds = Procfs::default().fds(me);
        let found = fds.iter().find(|f| f.socket.as_ref().is_some_and(|s| s.sport == port)).unwrap();
        assert_eq!(found.fd_type, fd_type::IPV4_SERVSOCK);
        assert_eq!(found.socket.as_ref().unwrap().sip.as_slice(), &[127, 0, 0, 1]);
    }

    #[test]
    fn open_flags_map() {
        assert_eq!(scap_open_flags(0), 1);
        assert_eq!(scap_open_flags(0o2 | 0o100 | 0o2000000), 3 | 4 | (1 << 12));
    }
}
