//! The snapshot that opens a live capture: threads with their fds, users, groups and network
//! interfaces, read from /proc, /etc and getifaddrs.
//!
//! It is taken after the probe is attached and draining, so nothing can happen unseen between
//! the snapshot and the first event: a change that races the snapshot shows up both in it and
//! as an event after it, and applying an event on top of a state that already has its effect is
//! harmless.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use scap_common::scap::blocks::fd_type;
use scap_common::wire::{Bytes, FdRecord, GroupRecord, InterfaceRecord, SocketInfo, ThreadRecord, UserRecord};

/// Which processes the snapshot describes.
pub enum Who {
    /// Every process on the host.
    All,
    /// These process ids.
    Pids(BTreeSet<u32>),
}

fn bytes(b: &[u8]) -> Bytes {
    Bytes::from(b.to_vec())
}

/// All process ids in /proc.
pub fn all_pids() -> Vec<u32> {
    let Ok(rd) = fs::read_dir("/proc") else { return Vec::new() };
    let mut v: Vec<u32> =
        rd.filter_map(|e| e.ok()).filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok())).collect();
    v.sort_unstable();
    v
}

/// The parent pid of a process, from /proc/PID/stat.
pub fn ppid_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// `root` and every process descending from it.
pub fn process_tree(root: u32) -> BTreeSet<u32> {
    let parents: Vec<(u32, u32)> = all_pids().into_iter().filter_map(|p| Some((p, ppid_of(p)?))).collect();
    let mut tree = BTreeSet::from([root]);
    loop {
        let before = tree.len();
        for &(p, pp) in &parents {
            if tree.contains(&pp) {
                tree.insert(p);
            }
        }
        if tree.len() == before {
            return tree;
        }
    }
}

/// The processes whose cgroup v2 path (relative to the v2 root, `/a/b`) is `rel` or below it.
pub fn cgroup_members(rel: &str) -> BTreeSet<u32> {
    all_pids()
        .into_iter()
        .filter(|p| {
            fs::read_to_string(format!("/proc/{p}/cgroup"))
                .ok()
                .and_then(|c| c.lines().find(|l| l.starts_with("0::")).map(|l| l[3..].to_string()))
                .is_some_and(|cg| cg == rel || cg.starts_with(&format!("{}/", rel.trim_end_matches('/'))))
        })
        .collect()
}

/// Thread and fd records for the chosen processes.
pub fn threads(who: &Who) -> (Vec<ThreadRecord>, Vec<FdRecord>) {
    let pids: Vec<u32> = match who {
        Who::All => all_pids(),
        Who::Pids(set) => set.iter().copied().collect(),
    };
    // /proc/net is read only when some fd is a socket: scanning the kernel's socket tables
    // costs milliseconds, and a traced command usually starts with none.
    let sockets = std::cell::OnceCell::new();
    let mut threads = Vec::new();
    let mut fds = Vec::new();
    for pid in pids {
        let Some(proc_rec) = process(pid) else { continue };
        let tids: Vec<u32> = fs::read_dir(format!("/proc/{pid}/task"))
            .map(|rd| rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect())
            .unwrap_or_default();
        for tid in tids {
            let mut t = proc_rec.clone();
            t.tid = i64::from(tid);
            if let Ok(comm) = fs::read(format!("/proc/{pid}/task/{tid}/comm")) {
                t.comm = bytes(comm.strip_suffix(b"\n").unwrap_or(&comm));
            }
            t.vtid = t.tid;
            threads.push(t);
        }
        fds.extend(fd_records(pid, &sockets));
    }
    (threads, fds)
}

fn process(pid: u32) -> Option<ThreadRecord> {
    let base = format!("/proc/{pid}");
    let stat = fs::read_to_string(format!("{base}/stat")).ok()?;
    let (head, after) = stat.rsplit_once(')')?;
    let comm = head.split_once('(').map(|(_, c)| c).unwrap_or_default();
    let f: Vec<&str> = after.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let cmdline = fs::read(format!("{base}/cmdline")).unwrap_or_default();
    let mut argv = scap_common::scap::blocks::split_nul(&cmdline);
    let exe = if argv.is_empty() { bytes(comm.as_bytes()) } else { argv.remove(0) };
    let status = fs::read_to_string(format!("{base}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l[name.len()..].split_whitespace().next().map(str::to_string))
    };
    let kb = |name: &str| field(name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    let cap = |name: &str| field(name).and_then(|v| u64::from_str_radix(&v, 16).ok()).unwrap_or(0);
    let link = |name: &str| fs::read_link(format!("{base}/{name}")).map(|p| p.into_os_string().into_encoded_bytes());
    let mut cwd = link("cwd").unwrap_or_default();
    if !cwd.ends_with(b"/") {
        cwd.push(b'/');
    }
    let cgroups = fs::read_to_string(format!("{base}/cgroup"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ':');
            let _id = parts.next()?;
            let subsys = parts.next()?;
            let path = parts.next()?;
            let subsys = if subsys.is_empty() { "unified" } else { subsys };
            Some((subsys.to_string(), bytes(path.as_bytes())))
        })
        .collect();
    let loginuid = fs::read_to_string(format!("{base}/loginuid")).ok().and_then(|s| s.trim().parse::<u32>().ok());
    let fdlimit = fs::read_to_string(format!("{base}/limits"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3).and_then(|v| v.parse().ok()))
        .unwrap_or(0);
    let env = fs::read(format!("{base}/environ")).unwrap_or_default();
    // NSpid lists the pid in each nested namespace, outermost first: the last is its own view.
    let nspid = status
        .lines()
        .find(|l| l.starts_with("NSpid:"))
        .and_then(|l| l.split_whitespace().last().and_then(|v| v.parse::<i64>().ok()));
    Some(ThreadRecord {
        tid: i64::from(pid),
        pid: i64::from(pid),
        ptid: num(1),
        sid: num(3),
        vpgid: num(2),
        pgid: num(2),
        comm: bytes(comm.as_bytes()),
        exe,
        exepath: bytes(&link("exe").unwrap_or_default()),
        args: argv,
        env: scap_common::scap::blocks::split_nul(&env),
        cwd: bytes(&cwd),
        fdlimit,
        flags: 0,
        uid: field("Uid:").and_then(|v| v.parse().ok()).unwrap_or(0),
        gid: field("Gid:").and_then(|v| v.parse().ok()).unwrap_or(0),
        loginuid: loginuid.unwrap_or(u32::MAX),
        vmsize_kb: kb("VmSize:"),
        vmrss_kb: kb("VmRSS:"),
        vmswap_kb: kb("VmSwap:"),
        pfmajor: num(9) as u64,
        pfminor: num(7) as u64,
        vtid: i64::from(pid),
        vpid: nspid.unwrap_or(i64::from(pid)),
        cgroups,
        root: bytes(&link("root").unwrap_or_default()),
        tty: num(4) as u32,
        cap_inheritable: cap("CapInh:"),
        cap_permitted: cap("CapPrm:"),
        cap_effective: cap("CapEff:"),
        ..ThreadRecord::default()
    })
}

/// Socket inode to what /proc/net knows about it.
struct SockEntry {
    fd_type: u8,
    socket: Option<SocketInfo>,
    name: Vec<u8>,
}

fn socket_table() -> std::collections::HashMap<u64, SockEntry> {
    let mut m = std::collections::HashMap::new();
    for (file, v6, l4) in [("tcp", false, 2u8), ("udp", false, 3), ("tcp6", true, 2), ("udp6", true, 3)] {
        let Ok(text) = fs::read_to_string(format!("/proc/net/{file}")) else { continue };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(remote), Some(ino)) =
                (f.get(1), f.get(2), f.get(9).and_then(|s| s.parse::<u64>().ok()))
            else {
                continue;
            };
            let (Some((la, lp)), Some((ra, rp))) = (hex_endpoint(local, v6), hex_endpoint(remote, v6)) else {
                continue;
            };
            let listening = rp == 0 && ra.iter().all(|&b| b == 0);
            let fd_type = match (v6, listening) {
                (false, false) => fd_type::IPV4_SOCK,
                (true, false) => fd_type::IPV6_SOCK,
                (false, true) => fd_type::IPV4_SERVSOCK,
                (true, true) => fd_type::IPV6_SERVSOCK,
            };
            let socket = if listening {
                SocketInfo { sip: bytes(&la), dip: Bytes::new(), sport: lp, dport: 0, l4proto: l4 }
            } else {
                SocketInfo { sip: bytes(&la), dip: bytes(&ra), sport: lp, dport: rp, l4proto: l4 }
            };
            m.insert(ino, SockEntry { fd_type, socket: Some(socket), name: Vec::new() });
        }
    }
    if let Ok(text) = fs::read_to_string("/proc/net/unix") {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let Some(ino) = f.get(6).and_then(|s| s.parse::<u64>().ok()) else { continue };
            let name = f.get(7).map(|s| s.as_bytes().to_vec()).unwrap_or_default();
            m.insert(ino, SockEntry { fd_type: fd_type::UNIX_SOCK, socket: None, name });
        }
    }
    m
}

/// `0100007F:1F90` to (address bytes in network order, port).
fn hex_endpoint(s: &str, v6: bool) -> Option<(Vec<u8>, u16)> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words = if v6 { 4 } else { 1 };
    if addr.len() != words * 8 {
        return None;
    }
    let mut out = Vec::with_capacity(words * 4);
    for w in 0..words {
        let v = u32::from_str_radix(&addr[w * 8..w * 8 + 8], 16).ok()?;
        // /proc/net prints each 32-bit word as the host-order value of network-order bytes.
        out.extend_from_slice(&v.to_le_bytes());
    }
    Some((out, port))
}

fn fd_records(pid: u32, sockets: &std::cell::OnceCell<std::collections::HashMap<u64, SockEntry>>) -> Vec<FdRecord> {
    let dir = format!("/proc/{pid}/fd");
    let Ok(rd) = fs::read_dir(&dir) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in rd.filter_map(|e| e.ok()) {
        let Some(fd) = entry.file_name().to_str().and_then(|s| s.parse::<i64>().ok()) else { continue };
        let Ok(target) = fs::read_link(entry.path()) else { continue };
        let target = target.into_os_string().into_encoded_bytes();
        let flags = fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}"))
            .ok()
            .and_then(|s| {
                s.lines().find(|l| l.starts_with("flags:")).and_then(|l| u32::from_str_radix(l[6..].trim(), 8).ok())
            })
            .unwrap_or(0);
        let mut r = FdRecord { tid: i64::from(pid), fd, ..FdRecord::default() };
        let text = String::from_utf8_lossy(&target).into_owned();
        if let Some(ino) = text.strip_prefix("socket:[").and_then(|s| s.strip_suffix(']')).and_then(|s| s.parse().ok())
        {
            r.ino = ino;
            match sockets.get_or_init(socket_table).get(&ino) {
                Some(s) => {
                    r.fd_type = s.fd_type;
                    r.socket = s.socket.clone();
                    r.name = bytes(&s.name);
                    if s.fd_type == fd_type::UNIX_SOCK {
                        r.unix = Some((0, 0));
                    }
                }
                None => {
                    r.fd_type = fd_type::UNSUPPORTED;
                    r.name = bytes(&target);
                }
            }
        } else if text.starts_with("pipe:[") {
            r.fd_type = fd_type::FIFO;
            r.ino = text[6..text.len().saturating_sub(1)].parse().unwrap_or(0);
            r.name = Bytes::new();
        } else if let Some(kind) = text.strip_prefix("anon_inode:") {
            r.fd_type = match kind {
                "[eventfd]" => fd_type::EVENT,
                "[signalfd]" => fd_type::SIGNALFD,
                "[eventpoll]" => fd_type::EVENTPOLL,
                "inotify" => fd_type::INOTIFY,
                "[timerfd]" => fd_type::TIMERFD,
                _ => fd_type::UNSUPPORTED,
            };
            r.name = bytes(&target);
        } else {
            let is_dir = Path::new(&text).is_dir();
            r.fd_type = if is_dir { fd_type::DIRECTORY } else { fd_type::FILE_V2 };
            r.open_flags = scap_probe::decode::flags::open_flags(u64::from(flags));
            r.name = bytes(&target);
            if let Ok(meta) = fs::metadata(&text) {
                use std::os::unix::fs::MetadataExt;
                r.ino = meta.ino();
                r.dev = meta.dev() as u32;
            }
        }
        out.push(r);
    }
    out.sort_by_key(|r| r.fd);
    out
}

/// Users from /etc/passwd.
pub fn users() -> Vec<UserRecord> {
    fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(UserRecord {
                name: f.first()?.to_string(),
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
                home: f.get(5)?.to_string(),
                shell: f.get(6).unwrap_or(&"").to_string(),
                container_id: String::new(),
            })
        })
        .collect()
}

/// Groups from /etc/group.
pub fn groups() -> Vec<GroupRecord> {
    fs::read_to_string("/etc/group")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(GroupRecord {
                name: f.first()?.to_string(),
                gid: f.get(2)?.parse().ok()?,
                container_id: String::new(),
            })
        })
        .collect()
}

/// Network interface addresses (IPv4 and IPv6) from getifaddrs.
pub fn interfaces() -> Vec<InterfaceRecord> {
    let mut out = Vec::new();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` with a list we free below with freeifaddrs.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return out;
    }
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a non-null node of the list getifaddrs returned, alive until freeifaddrs.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let name = unsafe { std::ffi::CStr::from_ptr(ifa.ifa_name) }.to_string_lossy().into_owned();
        // SAFETY: ifa_addr is non-null and points to a sockaddr of at least its family's size.
        let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
        let get = |p: *mut libc::sockaddr| -> Vec<u8> {
            if p.is_null() {
                return Vec::new();
            }
            match family {
                // SAFETY: for AF_INET the sockaddr is a sockaddr_in.
                libc::AF_INET => unsafe { (*(p as *const libc::sockaddr_in)).sin_addr.s_addr.to_ne_bytes().to_vec() },
                // SAFETY: for AF_INET6 the sockaddr is a sockaddr_in6.
                libc::AF_INET6 => unsafe { (*(p as *const libc::sockaddr_in6)).sin6_addr.s6_addr.to_vec() },
                _ => Vec::new(),
            }
        };
        if family != libc::AF_INET && family != libc::AF_INET6 {
            continue;
        }
        let addr = get(ifa.ifa_addr);
        let netmask = get(ifa.ifa_netmask);
        let bcast = get(ifa.ifa_ifu);
        out.push(InterfaceRecord {
            name,
            addr: bytes(&addr),
            netmask: bytes(&netmask),
            bcast: bytes(&bcast),
            linkspeed: 0,
        });
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_endpoints_decode_to_network_order() {
        let (a, p) = hex_endpoint("0100007F:1F90", false).expect("parses");
        assert_eq!(a, vec![127, 0, 0, 1]);
        assert_eq!(p, 8080);
    }

    #[test]
    fn our_own_process_is_described() {
        let me = std::process::id();
        let (threads, fds) = threads(&Who::Pids(BTreeSet::from([me])));
        assert!(threads.iter().any(|t| t.tid == i64::from(me) && t.pid == i64::from(me)));
        assert!(fds.iter().all(|f| f.tid == i64::from(me)));
    }
}
