//! `ScapWriter`: writes stream frames as a libscap `.scap` trace that sysdig 0.29.3 and today's
//! libscap read.
//!
//! Layout (SCAP_FORMAT.md): a section header, machine info, interface list (v2), user list
//! (v2), process list (v9), one fd list (v2) per thread with fds, then one event block (v2) per
//! event. The state records of a stream come before its first event, so the metadata blocks
//! are buffered until the first event (or the end) and written together. Events marked hidden
//! go into EVF blocks with the "state only" dump flag, which libscap uses for the same purpose.
//! Container records become `container_json` events, as libsinsp stores containers: those known
//! before the first event lead the events (where the reader takes them back as records), later
//! ones are written where they arrive, "state only" (they are state, not something that
//! happened). Stats and End have no place in the format and are left out.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::block;
use super::blocks::fd_type;
use crate::event::Event;
use crate::schema;
use crate::wire::{
    ContainerRecord, FdRecord, Frame, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord,
};

/// Writes a `.scap` file from frames.
pub struct ScapWriter<W: Write> {
    out: W,
    machine: MachineInfo,
    threads: Vec<ThreadRecord>,
    fds: BTreeMap<i64, Vec<FdRecord>>,
    users: Vec<UserRecord>,
    groups: Vec<GroupRecord>,
    interfaces: Vec<InterfaceRecord>,
    containers: Vec<ContainerRecord>,
    started: bool,
    last_ts: u64,
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
            containers: Vec::new(),
            started: false,
            last_ts: 0,
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
            Frame::Container(c) if !self.started => self.containers.push(c.clone()),
            Frame::Container(c) => {
                // Between events it is state, never shown: a "state only" event, as hidden ones.
                let mut e = container_event(c, self.last_ts);
                e.flags |= crate::event::FLAG_HIDDEN;
                self.event(&e);
            }
            Frame::Event(e) => {
                self.start_at(e.ts)?;
                self.last_ts = e.ts;
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
        self.start_at(self.last_ts)?;
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes the metadata blocks, then the leading container events stamped `ts`.
    fn start_at(&mut self, ts: u64) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        for c in std::mem::take(&mut self.containers) {
            let e = container_event(&c, ts);
            self.event(&e);
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

/// libscap's container type number for a runtime name (the inverse of `runtime_name`).
fn runtime_type(name: &str) -> i64 {
    (0..=10).find(|&t| super::container::runtime_name(t) == name).unwrap_or(0)
}

/// A container as the JSON libsinsp stores in `container_json` events: the runtime's own when
/// the record came from one, else built from the record.
fn container_json(c: &ContainerRecord) -> String {
    if !c.json.is_empty() {
        return c.json.clone();
    }
    let labels: serde_json::Map<String, serde_json::Value> =
        c.labels.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    let mounts: Vec<serde_json::Value> = c
        .mounts
        .iter()
        .map(|m| {
            serde_json::json!({
                "Source": m.source, "Destination": m.dest, "Mode": m.mode, "RW": m.rw, "Propagation": m.propagation
            })
        })
        .collect();
    let ip = if c.ip == 0 { String::new() } else { std::net::Ipv4Addr::from(c.ip.to_ne_bytes()).to_string() };
    serde_json::json!({
        "container": {
            "id": c.id,
            "type": runtime_type(&c.runtime),
            "name": c.name,
            "image": c.image,
            "imageid": c.image_id,
            "imagerepo": c.image_repo,
            "imagetag": c.image_tag,
            "imagedigest": c.image_digest,
            "labels": labels,
            "Mounts": mounts,
            "privileged": c.privileged.unwrap_or(false),
            "ip": ip,
            "cpu_shares": c.limits.cpu_shares,
            "cpu_quota": c.limits.cpu_quota,
            "cpu_period": c.limits.cpu_period,
            "memory_limit": c.limits.memory_limit,
            "swap_limit": c.limits.swap_limit,
            "lookup_state": if c.lookup_failed { 2 } else { 1 },
        }
    })
    .to_string()
}

/// A `container_json` event describing `c`, on no thread (tid -1).
fn container_event(c: &ContainerRecord, ts: u64) -> Event {
    let mut json = container_json(c).into_bytes();
    json.push(0);
    // The first kind has 16-bit parameter lengths; longer descriptions need the second.
    let t =
        if json.len() > usize::from(u16::MAX) { schema::ev::CONTAINER_JSON_2_E } else { schema::ev::CONTAINER_JSON_E };
    Event::from_params(0, ts, -1, 0, t, &[&json])
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

    #[test]
    fn containers_lead_the_events_and_read_back_as_records() {
        let c = ContainerRecord {
            id: "1b709bd0d100".into(),
            runtime: "docker".into(),
            name: "web".into(),
            image: "nginx:1".into(),
            labels: vec![("app".into(), "web".into())],
            complete: true,
            ..ContainerRecord::default()
        };
        let mut w = ScapWriter::new(Vec::new());
        w.write(&Frame::Header(Header::default())).expect("write");
        w.write(&Frame::Container(c.clone())).expect("write");
        w.write(&Frame::Event(Event::from_params(1, 1_000, 10, 0, ev::SYSCALL_CLOSE_E, &[&3i64.to_le_bytes()])))
            .expect("write");
        let bytes = w.finish().expect("finish");
        let mut src = Source::open(Box::new(io::Cursor::new(bytes)), "mem").expect("opens");
        let mut got = Vec::new();
        while let Some(f) = src.next_frame().expect("reads") {
            got.push(f);
        }
        let back = got.iter().find_map(|f| if let Frame::Container(x) = f { Some(x.clone()) } else { None });
        let back = back.expect("a container record");
        assert_eq!((back.id.as_str(), back.name.as_str(), back.image.as_str()), ("1b709bd0d100", "web", "nginx:1"));
        assert_eq!(back.runtime, "docker");
        assert_eq!(back.labels, c.labels);
        // The container event takes event number 1, as in traces libsinsp writes.
        let first = got.iter().find_map(|f| if let Frame::Event(e) = f { Some(e.num) } else { None });
        assert_eq!(first, Some(2));
    }
}
