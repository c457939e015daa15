//! `ScapWriter`: writes stream frames as a libscap `.scap` trace that sysdig 0.29.3 and today's
//! libscap read.
//!
//! Layout (SCAP_FORMAT.md): a section header, machine info, interface list (v2), user list
//! (v2), process list (v9), one fd list (v2) per thread with fds, then one event block (v2) per
//! event. The state records of a stream come before its first event, so the metadata blocks
//! are buffered until the first event (or the end) and written together. Events marked hidden
//! go into EVF blocks with the "state only" dump flag, which libscap uses for the same purpose.
//! Stats, End and container records have no place in the format and are left out.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::block;
use super::blocks::fd_type;
use crate::event::Event;
use crate::schema;
use crate::wire::{FdRecord, Frame, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord};

/// Writes a `.scap` file from frames.
pub struct ScapWriter<W: Write> {
    out: W,
    machine: MachineInfo,
    threads: Vec<ThreadRecord>,
    fds: BTreeMap<i64, Vec<FdRecord>>,
    users: Vec<UserRecord>,
    groups: Vec<GroupRecord>,
    interfaces: Vec<InterfaceRecord>,
    started: bool,
    buf: Vec<u8>,
}

impl<W: Write> ScapWriter<W> {
    /// A writer onto `out`; nothing is written until the first event or `finish`.
    pub fn new(out: W) -> ScapWriter<W> {
        ScapWriter {
            out,
            machine: MachineInfo::default(),
            threads: Vec::new(),
            fds: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
            interfaces: Vec::new(),
            started: false,
            buf: Vec::with_capacity(1 << 16),
        }
    }

    /// Takes one frame. State records arriving after events are dropped: `.scap` has no place
    /// for them between events.
    pub fn write(&mut self, frame: &Frame) -> io::Result<()> {
        match frame {
            Frame::Header(h) => self.machine = h.machine.clone(),
            Frame::Thread(t) if !self.started => self.threads.push(t.clone()),
            Frame::Fd(f) if !self.started => self.fds.entry(f.tid).or_default().push(f.clone()),
            Frame::User(u) if !self.started => self.users.push(u.clone()),
            Frame::Group(g) if !self.started => self.groups.push(g.clone()),
            Frame::Interface(i) if !self.started => self.interfaces.push(i.clone()),
            Frame::Event(e) => {
                self.start()?;
                self.event(e);
                if self.buf.len() >= 1 << 16 {
                    self.out.write_all(&self.buf)?;
                    self.buf.clear();
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes whatever is buffered and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.start()?;
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let mut b = Vec::new();
        section_header(&mut b);
        machine_info(&mut b, &self.machine);
        interface_list(&mut b, &self.interfaces);
        user_list(&mut b, &self.users, &self.groups);
        process_list(&mut b, &self.threads);
        for (tid, fds) in &self.fds {
            fd_list(&mut b, *tid, fds);
        }
        self.out.write_all(&b)
    }

    fn event(&mut self, e: &Event) {
        let hidden = e.is_hidden();
        let large = schema::has_large_params(e.event_type);
        let block_type = match (hidden, large) {
            (false, false) => block::EV_V2,
            (false, true) => block::EV_V2_LARGE,
            (true, false) => block::EVF_V2,
            (true, true) => block::EVF_V2_LARGE,
        };
        let mut body = Vec::with_capacity(32 + e.raw.len());
        body.extend_from_slice(&e.cpu.to_le_bytes());
        if hidden {
            body.extend_from_slice(&1u32.to_le_bytes());
        }
        let len = 26 + e.raw.len() as u32;
        body.extend_from_slice(&e.ts.to_le_bytes());
        body.extend_from_slice(&(e.tid as u64).to_le_bytes());
        body.extend_from_slice(&len.to_le_bytes());
        body.extend_from_slice(&e.event_type.to_le_bytes());
        body.extend_from_slice(&e.n_params.to_le_bytes());
        body.extend_from_slice(&e.raw);
        put_block(&mut self.buf, block_type, &body);
    }
}

/// Appends a block: type, total length, body padded to 4 bytes, total length again.
fn put_block(out: &mut Vec<u8>, block_type: u32, body: &[u8]) {
    let padded = body.len().div_ceil(4) * 4;
    let total = (12 + padded) as u32;
    out.extend_from_slice(&block_type.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.resize(out.len() + padded - body.len(), 0);
    out.extend_from_slice(&total.to_le_bytes());
}

fn put_str(b: &mut Vec<u8>, s: &[u8]) {
    let s = &s[..s.len().min(u16::MAX as usize)];
    b.extend_from_slice(&(s.len() as u16).to_le_bytes());
    b.extend_from_slice(s);
}

fn nul_joined<T: AsRef<[u8]>>(items: &[T]) -> Vec<u8> {
    let mut v = Vec::new();
    for i in items {
        v.extend_from_slice(i.as_ref());
        v.push(0);
    }
    v
}

fn section_header(out: &mut Vec<u8>) {
    let mut b = Vec::new();
    b.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&u64::MAX.to_le_bytes());
    put_block(out, block::SHB, &b);
}

fn machine_info(out: &mut Vec<u8>, m: &MachineInfo) {
    let mut b = Vec::new();
    b.extend_from_slice(&m.num_cpus.to_le_bytes());
    b.extend_from_slice(&m.memory_bytes.to_le_bytes());
    b.extend_from_slice(&m.max_pid.to_le_bytes());
    let mut host = [0u8; 128];
    let name = m.hostname.as_bytes();
    let n = name.len().min(127);
    host[..n].copy_from_slice(&name[..n]);
    b.extend_from_slice(&host);
    b.extend_from_slice(&m.boot_ts.to_le_bytes());
    b.extend_from_slice(&[0u8; 24]);
    put_block(out, block::MI, &b);
}

fn interface_list(out: &mut Vec<u8>, ifs: &[InterfaceRecord]) {
    let mut b = Vec::new();
    for i in ifs {
        let v6 = i.addr.len() == 16;
        if i.addr.len() != 4 && !v6 {
            continue;
        }
        let w = if v6 { 16 } else { 4 };
        let fixed = |x: &[u8]| {
            let mut v = x.to_vec();
            v.resize(w, 0);
            v
        };
        let mut e = Vec::new();
        e.extend_from_slice(&(if v6 { 2u16 } else { 1 }).to_le_bytes());
        let name = &i.name.as_bytes()[..i.name.len().min(u16::MAX as usize)];
        e.extend_from_slice(&(name.len() as u16).to_le_bytes());
        e.extend_from_slice(&fixed(&i.addr));
        e.extend_from_slice(&fixed(&i.netmask));
        e.extend_from_slice(&fixed(&i.bcast));
        e.extend_from_slice(&i.linkspeed.to_le_bytes());
        e.extend_from_slice(name);
        // IL v2 entry lengths do not count the length field itself.
        b.extend_from_slice(&(e.len() as u32).to_le_bytes());
        b.extend_from_slice(&e);
    }
    put_block(out, block::IL_V2, &b);
}

fn user_list(out: &mut Vec<u8>, users: &[UserRecord], groups: &[GroupRecord]) {
    let mut b = Vec::new();
    for u in users {
        let mut e = vec![0u8];
        e.extend_from_slice(&u.uid.to_le_bytes());
        e.extend_from_slice(&u.gid.to_le_bytes());
        put_str(&mut e, &u.name.as_bytes()[..u.name.len().min(255)]);
        put_str(&mut e, &u.home.as_bytes()[..u.home.len().min(255)]);
        put_str(&mut e, &u.shell.as_bytes()[..u.shell.len().min(255)]);
        b.extend_from_slice(&(e.len() as u32 + 4).to_le_bytes());
        b.extend_from_slice(&e);
    }
    for g in groups {
        let mut e = vec![1u8];
        e.extend_from_slice(&g.gid.to_le_bytes());
        put_str(&mut e, &g.name.as_bytes()[..g.name.len().min(255)]);
        b.extend_from_slice(&(e.len() as u32 + 4).to_le_bytes());
        b.extend_from_slice(&e);
    }
    put_block(out, block::UL_V2, &b);
}

fn process_list(out: &mut Vec<u8>, threads: &[ThreadRecord]) {
    let mut b = Vec::new();
    for t in threads {
        let mut e = Vec::new();
        e.extend_from_slice(&(t.tid as u64).to_le_bytes());
        e.extend_from_slice(&(t.pid as u64).to_le_bytes());
        e.extend_from_slice(&(t.ptid as u64).to_le_bytes());
        e.extend_from_slice(&(t.sid as u64).to_le_bytes());
        e.extend_from_slice(&(t.vpgid as u64).to_le_bytes());
        put_str(&mut e, &t.comm);
        put_str(&mut e, &t.exe);
        put_str(&mut e, &t.exepath);
        put_str(&mut e, &cap(nul_joined(&t.args), 4096));
        put_str(&mut e, &t.cwd);
        e.extend_from_slice(&(t.fdlimit as u64).to_le_bytes());
        e.extend_from_slice(&t.flags.to_le_bytes());
        e.extend_from_slice(&t.uid.to_le_bytes());
        e.extend_from_slice(&t.gid.to_le_bytes());
        e.extend_from_slice(&t.vmsize_kb.to_le_bytes());
        e.extend_from_slice(&t.vmrss_kb.to_le_bytes());
        e.extend_from_slice(&t.vmswap_kb.to_le_bytes());
        e.extend_from_slice(&t.pfmajor.to_le_bytes());
        e.extend_from_slice(&t.pfminor.to_le_bytes());
        put_str(&mut e, &cap(nul_joined(&t.env), 4096));
        e.extend_from_slice(&t.vtid.to_le_bytes());
        e.extend_from_slice(&t.vpid.to_le_bytes());
        let cgroups: Vec<Vec<u8>> = t
            .cgroups
            .iter()
            .map(|(s, p)| {
                let mut v = s.as_bytes().to_vec();
                v.push(b'=');
                v.extend_from_slice(p);
                v
            })
            .collect();
        put_str(&mut e, &cap(nul_joined(&cgroups), 4096));
        put_str(&mut e, &t.root);
        // The tail both the 2022 and today's readers understand: exactly 29 bytes, so neither
        // takes it for the pidns_init_start_ts/tty fields of libs 0.10+.
        e.extend_from_slice(&t.loginuid.to_le_bytes());
        e.push(u8::from(t.exe_writable));
        e.extend_from_slice(&t.cap_inheritable.to_le_bytes());
        e.extend_from_slice(&t.cap_permitted.to_le_bytes());
        e.extend_from_slice(&t.cap_effective.to_le_bytes());
        b.extend_from_slice(&(e.len() as u32 + 4).to_le_bytes());
        b.extend_from_slice(&e);
    }
    put_block(out, block::PL_V9, &b);
}

/// Truncates at `n` bytes, keeping whole NUL-terminated entries where possible.
fn cap(mut v: Vec<u8>, n: usize) -> Vec<u8> {
    if v.len() > n {
        v.truncate(n);
        if let Some(last_nul) = v.iter().rposition(|&c| c == 0) {
            v.truncate(last_nul + 1);
        }
    }
    v
}

fn fd_list(out: &mut Vec<u8>, tid: i64, fds: &[FdRecord]) {
    let mut b = Vec::new();
    b.extend_from_slice(&(tid as u64).to_le_bytes());
    for f in fds {
        let mut e = Vec::new();
        e.extend_from_slice(&f.fd.to_le_bytes());
        e.extend_from_slice(&f.ino.to_le_bytes());
        e.push(f.fd_type);
        let sock = f.socket.clone().unwrap_or_default();
        let addr = |a: &[u8], w: usize| {
            let mut v = a.to_vec();
            v.resize(w, 0);
            v
        };
        match f.fd_type {
            fd_type::IPV4_SOCK | fd_type::IPV6_SOCK => {
                let w = if f.fd_type == fd_type::IPV4_SOCK { 4 } else { 16 };
                e.extend_from_slice(&addr(&sock.sip, w));
                e.extend_from_slice(&addr(&sock.dip, w));
                e.extend_from_slice(&sock.sport.to_le_bytes());
                e.extend_from_slice(&sock.dport.to_le_bytes());
                e.push(sock.l4proto);
            }
            fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK => {
                let w = if f.fd_type == fd_type::IPV4_SERVSOCK { 4 } else { 16 };
                e.extend_from_slice(&addr(&sock.sip, w));
                e.extend_from_slice(&sock.sport.to_le_bytes());
                e.push(sock.l4proto);
            }
            fd_type::UNIX_SOCK => {
                let (s, d) = f.unix.unwrap_or_default();
                e.extend_from_slice(&s.to_le_bytes());
                e.extend_from_slice(&d.to_le_bytes());
                put_str(&mut e, &f.name[..f.name.len().min(1023)]);
            }
            fd_type::FILE_V2 => {
                e.extend_from_slice(&f.open_flags.to_le_bytes());
                put_str(&mut e, &f.name[..f.name.len().min(1023)]);
                e.extend_from_slice(&f.dev.to_le_bytes());
            }
            fd_type::UNINITIALIZED => {}
            // 0.29.3 does not know the newer types; they travel as "unsupported" with their name.
            t if t > fd_type::FILE_V2 => {
                e.pop();
                e.push(fd_type::UNSUPPORTED);
                put_str(&mut e, &f.name[..f.name.len().min(1023)]);
            }
            _ => put_str(&mut e, &f.name[..f.name.len().min(1023)]),
        }
        b.extend_from_slice(&(e.len() as u32 + 4).to_le_bytes());
        b.extend_from_slice(&e);
    }
    put_block(out, block::FDL_V2, &b);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::schema::ev;
    use crate::wire::{Bytes, Header, SocketInfo};

    fn frames() -> Vec<Frame> {
        let thread = ThreadRecord {
            tid: 10,
            pid: 10,
            ptid: 1,
            comm: Bytes::from(b"cat".to_vec()),
            exe: Bytes::from(b"cat".to_vec()),
            args: vec![Bytes::from(b"/etc/hostname".to_vec())],
            cwd: Bytes::from(b"/root/".to_vec()),
            loginuid: u32::MAX,
            cgroups: vec![("cpu".into(), Bytes::from(b"/".to_vec()))],
            ..ThreadRecord::default()
        };
        let file = FdRecord {
            tid: 10,
            fd: 3,
            fd_type: fd_type::FILE_V2,
            name: Bytes::from(b"/etc/hostname".to_vec()),
            open_flags: 1,
            ..FdRecord::default()
        };
        let sock = FdRecord {
            tid: 10,
            fd: 4,
            fd_type: fd_type::IPV4_SOCK,
            socket: Some(SocketInfo {
                sip: Bytes::from(vec![127, 0, 0, 1]),
                dip: Bytes::from(vec![127, 0, 0, 1]),
                sport: 40000,
                dport: 80,
                l4proto: 2,
            }),
            ..FdRecord::default()
        };
        let mut hidden = Event::from_params(2, 1_001, 10, 1, ev::SYSCALL_CLOSE_E, &[&3i64.to_le_bytes()]);
        hidden.flags = crate::event::FLAG_HIDDEN;
        vec![
            Frame::Header(Header {
                machine: MachineInfo { hostname: "h".into(), num_cpus: 2, ..MachineInfo::default() },
                ..Header::default()
            }),
            Frame::Thread(thread),
            Frame::Fd(file),
            Frame::Fd(sock),
            Frame::User(UserRecord {
                uid: 0,
                gid: 0,
                name: "root".into(),
                home: "/root".into(),
                shell: "/bin/sh".into(),
                container_id: String::new(),
            }),
            Frame::Group(GroupRecord { gid: 0, name: "root".into(), container_id: String::new() }),
            Frame::Interface(InterfaceRecord {
                name: "lo".into(),
                addr: Bytes::from(vec![127, 0, 0, 1]),
                netmask: Bytes::from(vec![255, 0, 0, 0]),
                bcast: Bytes::from(vec![127, 255, 255, 255]),
                linkspeed: 0,
            }),
            Frame::Event(Event::from_params(1, 1_000, 10, 0, ev::SYSCALL_READ_X, &[&3i64.to_le_bytes(), b"vm\n"])),
            Frame::Event(hidden),
        ]
    }

    #[test]
    fn a_written_trace_reads_back() {
        let mut w = ScapWriter::new(Vec::new());
        for f in frames() {
            w.write(&f).expect("write");
        }
        let bytes = w.finish().expect("finish");
        let mut src = Source::open(Box::new(io::Cursor::new(bytes)), "mem").expect("opens");
        let mut got = Vec::new();
        while let Some(f) = src.next_frame().expect("reads") {
            got.push(f);
        }
        let want = frames();
        let threads: Vec<_> = got.iter().filter(|f| matches!(f, Frame::Thread(_))).collect();
        assert_eq!(threads.len(), 1);
        if let (Frame::Thread(a), Frame::Thread(b)) = (threads[0], &want[1]) {
            assert_eq!(a.comm, b.comm);
            assert_eq!(a.args, b.args);
            assert_eq!(a.cwd, b.cwd);
            assert_eq!(a.cgroups, b.cgroups);
            assert_eq!(a.loginuid, u32::MAX);
        }
        let fds: Vec<_> =
            got.iter().filter_map(|f| if let Frame::Fd(x) = f { Some(x.clone()) } else { None }).collect();
        assert_eq!(fds.len(), 2);
        assert_eq!(fds[0].name, Bytes::from(b"/etc/hostname".to_vec()));
        assert_eq!(fds[1].socket.as_ref().map(|s| s.dport), Some(80));
        let events: Vec<_> =
            got.iter().filter_map(|f| if let Frame::Event(e) = f { Some(e.clone()) } else { None }).collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].param(1), Some(&b"vm\n"[..]));
        assert!(events[1].is_hidden());
        assert!(got.iter().any(|f| matches!(f, Frame::Interface(i) if i.name == "lo")));
        assert!(got.iter().any(|f| matches!(f, Frame::User(u) if u.name == "root")));
    }
}
