//! Parsers for the metadata blocks of a `.scap` file: machine info, process, fd, interface and
//! user lists. Each turns a block body into stream records.
//!
//! Layouts are described in ../shared/corpus/SCAP_FORMAT.md sections 5 to 9.

use crate::wire::{Bytes, FdRecord, GroupRecord, InterfaceRecord, MachineInfo, SocketInfo, ThreadRecord, UserRecord};

/// A bounds-checked little-endian reader over a block body.
pub(crate) struct Body<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// The error of a read past the end of a block body (out of line: reads are on the hot path).
#[cold]
#[inline(never)]
fn short_body(n: usize, pos: usize, left: usize) -> String {
    format!("needs {n} bytes at body offset {pos}, only {left} left")
}

impl<'a> Body<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Body<'a> {
        Body { bytes, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    #[inline]
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err(short_body(n, self.pos, self.remaining()));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    #[inline]
    pub(crate) fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }

    fn i64(&mut self) -> Result<i64, String> {
        Ok(self.u64()? as i64)
    }

    /// A `u16` length followed by that many bytes.
    fn string(&mut self) -> Result<&'a [u8], String> {
        let n = self.u16()? as usize;
        self.take(n)
    }

    /// A sub-reader over the next `n` bytes.
    fn sub(&mut self, n: usize) -> Result<Body<'a>, String> {
        Ok(Body::new(self.take(n)?))
    }
}

/// Splits a NUL-separated list, dropping the empty tail after a final NUL.
pub fn split_nul(b: &[u8]) -> Vec<Bytes> {
    let b = b.strip_suffix(b"\0").unwrap_or(b);
    if b.is_empty() {
        return Vec::new();
    }
    crate::state::split_nul(b).map(owned).collect()
}

/// Splits an argument list as libsinsp does: every string up to its NUL, so `"\0"` is one empty
/// argument (a process started with an empty argv[1]).
pub fn split_args(b: &[u8]) -> Vec<Bytes> {
    crate::state::split_args(b).into_iter().map(Bytes::from).collect()
}

/// Splits libscap's cgroups string (`subsys=path` entries, NUL-separated) at each entry's last
/// `=`, as libsinsp does (`name=systemd=/docker/...` is subsystem `name=systemd`).
pub fn split_cgroups(b: &[u8]) -> Vec<(String, Bytes)> {
    // The entries as `split_nul` cuts them, without copying each one first.
    let b = b.strip_suffix(b"\0").unwrap_or(b);
    if b.is_empty() {
        return Vec::new();
    }
    crate::state::split_nul(b)
        .map(|entry| match memchr::memrchr(b'=', entry) {
            Some(eq) => (lossy(&entry[..eq]), owned(&entry[eq + 1..])),
            None => (lossy(entry), Bytes::new()),
        })
        .collect()
}

fn owned(b: &[u8]) -> Bytes {
    Bytes::from(b.to_vec())
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Machine info block (0x201).
pub fn machine_info(body: &[u8]) -> Result<MachineInfo, String> {
    let mut b = Body::new(body);
    let num_cpus = b.u32()?;
    let memory_bytes = b.u64()?;
    let max_pid = b.u64()?;
    let host = b.take(128)?;
    let host = host.split(|&c| c == 0).next().unwrap_or_default();
    let boot_ts = if b.remaining() >= 8 { b.u64()? } else { 0 };
    Ok(MachineInfo { hostname: lossy(host), num_cpus, memory_bytes, max_pid, boot_ts, kernel: String::new() })
}

/// Process list blocks, versions 1 to 9.
pub fn process_list(body: &[u8], version: u8) -> Result<Vec<ThreadRecord>, String> {
    let mut b = Body::new(body);
    let mut out = Vec::new();
    while b.remaining() >= 4 {
        if version >= 9 {
            let start = b.pos();
            let entry_len = b.u32()? as usize;
            if entry_len < 4 {
                return Err(format!("process entry length {entry_len} at body offset {start} is too small"));
            }
            let mut entry = b.sub(entry_len - 4)?;
            out.push(process_entry(&mut entry, version)?);
        } else {
            out.push(process_entry(&mut b, version)?);
        }
    }
    Ok(out)
}

fn process_entry(b: &mut Body<'_>, version: u8) -> Result<ThreadRecord, String> {
    let mut t =
        // Fields an older entry lacks take libscap's defaults: -1 for ids, 0 for the tty.
        ThreadRecord {
            tid: b.i64()?,
            pid: b.i64()?,
            ptid: b.i64()?,
            sid: -1,
            vpgid: -1,
            vtid: -1,
            vpid: -1,
            loginuid: u32::MAX,
            ..ThreadRecord::default()
        };
    if version >= 6 {
        t.sid = b.i64()?;
    }
    if version >= 8 {
        t.vpgid = b.i64()?;
    }
    t.comm = owned(b.string()?);
    t.exe = owned(b.string()?);
    if version >= 7 {
        t.exepath = owned(b.string()?);
    }
    t.args = split_args(b.string()?);
    t.cwd = owned(b.string()?);
    t.fdlimit = b.i64()?;
    t.flags = b.u32()?;
    t.uid = b.u32()?;
    t.gid = b.u32()?;
    if version >= 2 {
        t.vmsize_kb = b.u32()?;
        t.vmrss_kb = b.u32()?;
        t.vmswap_kb = b.u32()?;
        t.pfmajor = b.u64()?;
        t.pfminor = b.u64()?;
    }
    if version >= 3 {
        t.env = split_nul(b.string()?);
    }
    if version >= 4 {
        t.vtid = b.i64()?;
        t.vpid = b.i64()?;
        t.cgroups = split_cgroups(b.string()?);
    }
    if version >= 5 {
        t.root = owned(b.string()?);
    }
    if version >= 9 {
        process_tail(b, &mut t)?;
    }
    Ok(t)
}

/// The optional fields at the end of a v9 entry, read while the entry has room.
/// Writers of libs 0.10 and later put `pidns_init_start_ts` and `tty` first; like today's
/// libscap we tell them apart by the room left (29 bytes is the size of the older tail).
fn process_tail(b: &mut Body<'_>, t: &mut ThreadRecord) -> Result<(), String> {
    const OLD_TAIL: usize = 4 + 1 + 8 * 3;
    if b.remaining() > OLD_TAIL {
        t.pidns_init_start_ts = b.u64()?;
        if b.remaining() >= 4 {
            t.tty = b.u32()?;
        }
    }
    if b.remaining() >= 4 {
        t.loginuid = b.u32()?;
    }
    if b.remaining() >= 1 {
        t.exe_writable = b.u8()? != 0;
    }
    if b.remaining() >= 24 {
        t.cap_inheritable = b.u64()?;
        t.cap_permitted = b.u64()?;
        t.cap_effective = b.u64()?;
    }
    Ok(())
}

/// Fd list blocks (0x203 v1, 0x218 v2): the fds of one thread.
pub fn fd_list(body: &[u8], v2: bool) -> Result<Vec<FdRecord>, String> {
    let mut b = Body::new(body);
    let tid = b.i64()?;
    let mut out = Vec::new();
    while b.remaining() >= 4 {
        if v2 {
            let start = b.pos();
            let entry_len = b.u32()? as usize;
            if entry_len < 4 {
                return Err(format!("fd entry length {entry_len} at body offset {start} is too small"));
            }
            let mut entry = b.sub(entry_len - 4)?;
            out.push(fd_entry(&mut entry, tid, true)?);
        } else {
            out.push(fd_entry(&mut b, tid, false)?);
        }
    }
    Ok(out)
}

/// libscap's fd type numbers (`scap_fd_type`).
pub mod fd_type {
    #![allow(missing_docs)]
    pub const UNINITIALIZED: u8 = 0;
    pub const FILE: u8 = 1;
    pub const DIRECTORY: u8 = 2;
    pub const IPV4_SOCK: u8 = 3;
    pub const IPV6_SOCK: u8 = 4;
    pub const IPV4_SERVSOCK: u8 = 5;
    pub const IPV6_SERVSOCK: u8 = 6;
    pub const FIFO: u8 = 7;
    pub const UNIX_SOCK: u8 = 8;
    pub const EVENT: u8 = 9;
    pub const UNSUPPORTED: u8 = 10;
    pub const SIGNALFD: u8 = 11;
    pub const EVENTPOLL: u8 = 12;
    pub const INOTIFY: u8 = 13;
    pub const TIMERFD: u8 = 14;
    pub const NETLINK: u8 = 15;
    pub const FILE_V2: u8 = 16;
    pub const BPF: u8 = 17;
    pub const USERFAULTFD: u8 = 18;
    pub const IOURING: u8 = 19;
    pub const MEMFD: u8 = 20;
    pub const PIDFD: u8 = 21;
}

fn fd_entry(b: &mut Body<'_>, tid: i64, v2: bool) -> Result<FdRecord, String> {
    let fd = b.i64()?;
    let ino = b.u64()?;
    let ty = b.u8()?;
    let mut r = FdRecord { tid, fd, ino, fd_type: ty, ..FdRecord::default() };
    match ty {
        fd_type::IPV4_SOCK => {
            let sip = b.take(4)?;
            let dip = b.take(4)?;
            let sport = b.u16()?;
            let dport = b.u16()?;
            let l4proto = b.u8()?;
            r.socket = Some(SocketInfo { sip: owned(sip), dip: owned(dip), sport, dport, l4proto });
        }
        fd_type::IPV6_SOCK => {
            let sip = b.take(16)?;
            let dip = b.take(16)?;
            let sport = b.u16()?;
            let dport = b.u16()?;
            let l4proto = b.u8()?;
            r.socket = Some(SocketInfo { sip: owned(sip), dip: owned(dip), sport, dport, l4proto });
        }
        fd_type::IPV4_SERVSOCK => {
            let ip = b.take(4)?;
            let port = b.u16()?;
            let l4proto = b.u8()?;
            r.socket = Some(SocketInfo { sip: owned(ip), dip: Bytes::new(), sport: port, dport: 0, l4proto });
        }
        fd_type::IPV6_SERVSOCK => {
            let ip = b.take(16)?;
            let port = b.u16()?;
            let l4proto = b.u8()?;
            r.socket = Some(SocketInfo { sip: owned(ip), dip: Bytes::new(), sport: port, dport: 0, l4proto });
        }
        fd_type::UNIX_SOCK => {
            let source = b.u64()?;
            let dest = b.u64()?;
            r.unix = Some((source, dest));
            r.name = owned(b.string()?);
        }
        fd_type::FILE_V2 => {
            r.open_flags = b.u32()?;
            r.name = owned(b.string()?);
            if v2 && b.remaining() >= 4 {
                r.dev = b.u32()?;
            }
        }
        fd_type::UNINITIALIZED => {}
        _ => r.name = owned(b.string()?),
    }
    Ok(r)
}

/// Interface list blocks (0x205 v1, 0x219 v2).
pub fn interface_list(body: &[u8], v2: bool) -> Result<Vec<InterfaceRecord>, String> {
    let mut b = Body::new(body);
    let mut out = Vec::new();
    while b.remaining() >= 4 {
        if v2 {
            let entry_len = b.u32()? as usize;
            let mut entry = b.sub(entry_len)?;
            out.push(interface_entry(&mut entry)?);
        } else {
            out.push(interface_entry(&mut b)?);
        }
    }
    Ok(out)
}

fn interface_entry(b: &mut Body<'_>) -> Result<InterfaceRecord, String> {
    let ty = b.u16()?;
    let namelen = b.u16()? as usize;
    let width = match ty {
        1 | 3 => 4,
        2 | 4 => 16,
        other => return Err(format!("unknown interface entry type {other}")),
    };
    let addr = owned(b.take(width)?);
    let netmask = owned(b.take(width)?);
    let bcast = owned(b.take(width)?);
    let linkspeed = if ty <= 2 { b.u64()? } else { 0 };
    let name = lossy(b.take(namelen)?);
    Ok(InterfaceRecord { name, addr, netmask, bcast, linkspeed })
}

/// A user or a group from a user list block.
pub enum UserOrGroup {
    /// A user entry.
    User(UserRecord),
    /// A group entry.
    Group(GroupRecord),
}

/// User list blocks (0x206 v1, 0x220 v2).
pub fn user_list(body: &[u8], v2: bool) -> Result<Vec<UserOrGroup>, String> {
    let mut b = Body::new(body);
    let mut out = Vec::new();
    while b.remaining() >= 4 {
        if v2 {
            let start = b.pos();
            let entry_len = b.u32()? as usize;
            if entry_len < 4 {
                return Err(format!("user entry length {entry_len} at body offset {start} is too small"));
            }
            let mut entry = b.sub(entry_len - 4)?;
            out.push(user_entry(&mut entry)?);
        } else {
            out.push(user_entry(&mut b)?);
        }
    }
    Ok(out)
}

fn user_entry(b: &mut Body<'_>) -> Result<UserOrGroup, String> {
    match b.u8()? {
        0 => {
            let uid = b.u32()?;
            let gid = b.u32()?;
            let name = lossy(b.string()?);
            let home = lossy(b.string()?);
            let shell = lossy(b.string()?);
            Ok(UserOrGroup::User(UserRecord { uid, gid, name, home, shell, container_id: String::new() }))
        }
        1 => {
            let gid = b.u32()?;
            let name = lossy(b.string()?);
            Ok(UserOrGroup::Group(GroupRecord { gid, name, container_id: String::new() }))
        }
        other => Err(format!("unknown user list entry kind {other}")),
    }
}
