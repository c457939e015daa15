//! The state engine: what every consumer stage knows about the machine at each event.
//!
//! `State` holds the thread table (each thread with its fd table), users, groups, interfaces and
//! containers. It is rebuilt from snapshot records plus events by `State::apply`, the same way in
//! every stage, so that a filter, a chisel and a printer agree on fd and process names.
//!
//! It follows libsinsp 0.29.3's model closely, because sysdig's output depends on its details:
//! threads own fd tables and share their main thread's through `CLONE_FILES`; events from unknown
//! threads create placeholder threads named `<NA>`; a closed fd and an exited thread disappear
//! only when the next event arrives, so fields of a `close` exit or a `procexit` still see them;
//! an exit event sees its enter event's parameters only for the syscalls libsinsp stores.
//!
//! Order of work for one event (`State::on_event`):
//! 1. removals deferred from the previous event happen;
//! 2. the event's thread and fd are looked up and its effect parsed (`parse.rs`); what the event
//!    refers to is left in `State::cur` for field extraction;
//! 3. consumers read fields from the event and the updated state.

mod containers;
mod fds;
mod parse;
pub mod paths;
pub mod ports;
mod threads;

use std::collections::{HashMap, HashSet};

pub use fds::{
    fd_flags, is_ipv4_mapped, l4, l4proto_name, ntop6, push_i64, push_ipv4, push_ipv6, push_u64, type_char,
    write_digits, Fd, FdTable, SockInfo, CANCELED_FD, FD_UNKNOWN, MAX_FDS,
};
pub use parse::{arg, arg_index, enter_available, AT_FDCWD};

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address as text; IPv6 as `inet_ntop` writes it.
pub fn format_ip(ip: &[u8]) -> String {
    match ip.len() {
        4 => format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(ip);
            ntop6(&a)
        }
        _ => String::new(),
    }
}
pub(crate) use threads::split_nul;
pub use threads::{cl, split_args, Category, EnterInfo, Thread};

use crate::event::Event;
use crate::scap::blocks::fd_type;
use crate::wire::{ContainerRecord, Frame, GroupRecord, Header, InterfaceRecord, UserRecord};

/// What the event being looked at refers to (libsinsp keeps this in the event object).
#[derive(Clone, Debug, Default)]
pub struct Current {
    /// The thread the parser resolved for the event, when it did (libsinsp's `m_tinfo`).
    pub tid: Option<i64>,
    /// The event is a container event whose thread is the container's placeholder.
    pub container_thread: bool,
    /// The fd the event operates on: (tid owning the fd table, fd number).
    pub fd: Option<(i64, i64)>,
    /// The errno of a failed exit event, as a positive number.
    pub errorcode: i32,
    /// The event changed state but must not be shown (state-only, failed container lookups).
    pub filtered_out: bool,
    /// For context switches, ns since the previous switch on the same CPU (0 for the first).
    pub exectime: u64,
    /// Name of the event's fd before parsing, for `State::fd_name_changed`, when `old_name_kept`
    /// (kept only for events whose parsing may rename their fd).
    old_name: Vec<u8>,
    old_name_kept: bool,
}

impl Current {
    /// Back to nothing resolved, keeping the name buffer.
    fn clear(&mut self) {
        self.tid = None;
        self.container_thread = false;
        self.fd = None;
        self.errorcode = 0;
        self.filtered_out = false;
        self.exectime = 0;
        self.old_name_kept = false;
    }

    /// Keeps the event's fd's name before parsing.
    fn keep_old_name(&mut self, name: &[u8]) {
        self.old_name.clear();
        self.old_name.extend_from_slice(name);
        self.old_name_kept = true;
    }
}

/// A syslog message decoded from a write to /dev/log, valid for the event that wrote it.
#[derive(Clone, Debug, Default)]
pub struct Syslog {
    /// Priority: facility * 8 + severity.
    pub priority: u32,
    /// The message after the `<PRI>` prefix.
    pub msg: Vec<u8>,
}

impl Syslog {
    /// Severity, 0..7.
    pub fn severity(&self) -> u32 {
        self.priority & 7
    }
    /// Facility, 0..23.
    pub fn facility(&self) -> u32 {
        self.priority >> 3
    }
}

/// Hashes the integer ids the state's tables are keyed by (tids, fd numbers) with one
/// multiplication (Fibonacci hashing). The kernel hands out these ids, so SipHash's defence
/// against chosen keys buys nothing, and several lookups per event made it a tenth of a
/// chisel's time. Other keys go through FNV-1a.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by tid or fd number (see `IdHasher`).
pub type IdMap<V> = HashMap<i64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// A thread's cgroups: (subsystem, path) pairs.
type Cgroups = Vec<(Vec<u8>, Vec<u8>)>;

/// Everything a consumer knows about the machine.
#[derive(Default, Debug)]
pub struct State {
    /// The stream header, once seen.
    pub header: Option<Header>,
    /// Threads by tid.
    pub threads: IdMap<Thread>,
    /// Users by (container id, uid); the host's under "".
    pub users: HashMap<(String, u32), UserRecord>,
    /// Groups by (container id, gid).
    pub groups: HashMap<(String, u32), GroupRecord>,
    /// Network interfaces.
    pub interfaces: Vec<InterfaceRecord>,
    /// Containers by id.
    pub containers: HashMap<String, ContainerRecord>,
    /// Kubernetes objects described by `k8s` metaevents (older captures only).
    pub k8s: crate::k8s::K8sState,
    /// Timestamp of the first event (container events excluded), for relative times.
    pub first_ts: Option<u64>,
    /// Timestamp of the latest event.
    pub last_ts: u64,
    /// Timestamp of the event before the latest one (0 before the second event).
    pub prev_ts: u64,
    /// Events seen, hidden ones included.
    pub n_events: u64,
    /// What the latest event refers to.
    pub cur: Current,
    /// The syslog message the latest event wrote, if any.
    pub syslog: Option<Syslog>,
    /// The thread a mid-stream container event is attributed to.
    pub container_thread: Option<Thread>,
    /// Port names to show in socket names and tuples (`-R`); `None` shows numbers.
    pub port_names: Option<std::sync::Arc<ports::PortNames>>,
    server_ports: HashSet<u16>,
    /// The cgroups `resolve_container` read last, and what it found in them.
    last_cgroups: Option<(Cgroups, Option<crate::cgroup::Detected>)>,
    /// What `resolve_container` found in each set of cgroups it read (a trace repeats its
    /// process list in every section).
    cgroup_answers: HashMap<Cgroups, Option<crate::cgroup::Detected>>,
    /// The cgroups text an event carried last, and its parse.
    event_cgroups: containers::CgroupsText,
    snapshot_open: bool,
    tid_to_remove: Option<i64>,
    fds_to_remove: Vec<i64>,
    tid_of_fds_to_remove: i64,
    import_prev: (i64, SockInfo),
    switch_ts: Vec<u64>,
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State::default()
    }

    /// Applies any frame: records update the tables, events run the parser.
    #[inline]
    pub fn apply(&mut self, frame: &Frame) {
        match frame {
            Frame::Event(e) => self.on_event(e),
            _ => self.apply_record(frame),
        }
    }

    /// Applies a frame other than an event.
    fn apply_record(&mut self, frame: &Frame) {
        match frame {
            Frame::Event(e) => self.on_event(e),
            Frame::Header(h) => self.header = Some(h.clone()),
            Frame::Thread(t) => {
                self.snapshot_open = true;
                let thread = Thread::from_record(t);
                let tid = thread.tid;
                self.threads.insert(tid, thread);
                if t.container_id.is_empty() {
                    self.resolve_container(tid);
                }
            }
            Frame::Fd(f) => {
                self.snapshot_open = true;
                if let fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK = f.fd_type {
                    if let Some(s) = &f.socket {
                        self.server_ports.insert(s.sport);
                    }
                }
                if self.import_prev.0 != f.tid {
                    self.import_prev = (f.tid, SockInfo::default());
                }
                let fd = Fd::from_record_after(f, &self.import_prev.1);
                self.import_prev.1 = fd.sock;
                // A record for an unknown thread still lands somewhere sensible.
                let t = self.threads.entry(f.tid).or_insert_with(|| Thread::unknown(f.tid));
                t.fds.insert(f.fd, fd);
            }
            Frame::User(u) => {
                self.users.insert((u.container_id.clone(), u.uid), u.clone());
            }
            Frame::Group(g) => {
                self.groups.insert((g.container_id.clone(), g.gid), g.clone());
            }
            Frame::Interface(i) => self.interfaces.push(i.clone()),
            Frame::Container(c) => {
                self.containers.insert(c.id.clone(), c.clone());
            }
            Frame::ThreadGone(g) => self.remove_thread(g.tid, true),
            Frame::Stats(_) | Frame::End(_) | Frame::Unknown(_) => {}
        }
    }

    /// Finishes a snapshot as libsinsp does after importing a trace's tables: counts each
    /// process's threads, and turns IPv4 sockets around whose source port is a listening port.
    fn close_snapshot(&mut self) {
        self.snapshot_open = false;
        self.recreate_child_counts();
        let server_ports = std::mem::take(&mut self.server_ports);
        for t in self.threads.values_mut() {
            for (_, fd) in t.fds.iter_mut() {
                if fd.fd_type != fd_type::IPV4_SOCK {
                    continue;
                }
                if server_ports.contains(&fd.sock.v4_sport()) {
                    let (sip, sport) = (fd.sock.v4_sip(), fd.sock.v4_sport());
                    fd.sock.set_v4_sip(fd.sock.v4_dip());
                    fd.sock.set_v4_sport(fd.sock.v4_dport());
                    fd.sock.set_v4_dip(sip);
                    fd.sock.set_v4_dport(sport);
                    fd.name = fd.sock_name();
                    fd.set_role_server();
                } else {
                    fd.set_role_client();
                }
            }
        }
        self.server_ports = server_ports;
    }

    /// Sets every main thread's count of other threads from the table.
    fn recreate_child_counts(&mut self) {
        for t in self.threads.values_mut() {
            t.nchilds = 0;
        }
        let pids: Vec<i64> = self.threads.values().filter(|t| t.flags & cl::CLONE_THREAD != 0).map(|t| t.pid).collect();
        for pid in pids {
            let main = self.get_or_create(pid);
            if let Some(m) = self.threads.get_mut(&main) {
                m.nchilds += 1;
            }
        }
    }

    /// Updates the state for one event (steps 1 and 2 in the module docs).
    pub fn on_event(&mut self, e: &Event) {
        if self.snapshot_open {
            self.close_snapshot();
        }
        self.syslog = None;
        if self.first_ts.is_none()
            && e.event_type != crate::schema::ev::CONTAINER_JSON_E
            && e.event_type != crate::schema::ev::CONTAINER_JSON_2_E
        {
            self.first_ts = Some(e.ts);
        }
        self.prev_ts = self.last_ts;
        self.last_ts = e.ts;
        self.n_events += 1;
        if let Some(tid) = self.tid_to_remove.take() {
            self.remove_thread(tid, false);
        }
        if !self.fds_to_remove.is_empty() {
            let tid = self.tid_of_fds_to_remove;
            self.get_or_create(tid);
            let fds = std::mem::take(&mut self.fds_to_remove);
            if let Some(owner) = self.table_owner(tid) {
                if let Some(t) = self.threads.get_mut(&owner) {
                    for fd in &fds {
                        t.fds.remove(*fd);
                    }
                }
            }
            self.fds_to_remove = fds;
            self.fds_to_remove.clear();
        }
        parse::process_event(self, e);
        // `parse::reset` counts it itself for the newer layout.
        if e.event_type == crate::schema::ev::SCHEDSWITCH_1_E {
            self.account_switch(e);
        }
    }

    /// CPU time between context switches, as sysdig's `thread.exectime` and `thread.totexectime`
    /// count it: per CPU, from one switch to the next.
    fn account_switch(&mut self, e: &Event) {
        let exectime = self.switch_exectime(e);
        if let Some(t) = self.threads.get_mut(&e.tid) {
            t.totexectime = t.totexectime.wrapping_add(exectime);
        }
    }

    /// The time since the previous switch on the event's CPU (0 for the first), which becomes
    /// the event's `exectime`.
    pub(crate) fn switch_exectime(&mut self, e: &Event) -> u64 {
        let cpu = usize::from(e.cpu);
        if self.switch_ts.len() <= cpu {
            self.switch_ts.resize(cpu + 1, 0);
        }
        let last = std::mem::replace(&mut self.switch_ts[cpu], e.ts);
        let exectime = if last != 0 { e.ts.wrapping_sub(last) } else { 0 };
        self.cur.exectime = exectime;
        exectime
    }

    /// The tid of the thread whose fd table `tid` uses: its own, or its main thread's when it
    /// shares files. `None` when the thread or its main thread is unknown.
    pub fn table_owner(&self, tid: i64) -> Option<i64> {
        let t = self.threads.get(&tid)?;
        if !t.shares_files() {
            return Some(tid);
        }
        self.main_of(tid)
    }

    /// The tid of the main thread of `tid`'s process, if it is known.
    pub fn main_of(&self, tid: i64) -> Option<i64> {
        let t = self.threads.get(&tid)?;
        if t.is_main() {
            return Some(tid);
        }
        self.threads.contains_key(&t.pid).then_some(t.pid)
    }

    /// Looks a thread up, creating the placeholder libsinsp creates for unknown threads.
    #[inline]
    pub(crate) fn get_or_create(&mut self, tid: i64) -> i64 {
        if !self.threads.contains_key(&tid) {
            self.add_placeholder(tid);
        }
        tid
    }

    /// Adds the placeholder for an unknown thread, counting the known threads of its process.
    #[cold]
    fn add_placeholder(&mut self, tid: i64) {
        let mut t = Thread::unknown(tid);
        t.nchilds = self.threads.values().filter(|o| o.pid == tid).count() as u64;
        self.add_thread(t);
    }

    /// Adds a thread, counting it on its main thread if it is a secondary thread.
    pub(crate) fn add_thread(&mut self, t: Thread) {
        let (is_thread, pid, tid) = (t.flags & cl::CLONE_THREAD != 0, t.pid, t.tid);
        self.threads.insert(tid, t);
        if is_thread {
            let main = self.get_or_create(pid);
            if let Some(m) = self.threads.get_mut(&main) {
                m.nchilds += 1;
            }
        }
    }

    /// Removes a thread unless other threads of its process still count on it (or `force`).
    pub(crate) fn remove_thread(&mut self, tid: i64, force: bool) {
        let Some(t) = self.threads.get(&tid) else { return };
        let (nchilds, is_thread, pid) = (t.nchilds, t.flags & cl::CLONE_THREAD != 0, t.pid);
        if nchilds != 0 && !force {
            return;
        }
        if is_thread {
            if let Some(m) = self.threads.get_mut(&pid) {
                m.nchilds = m.nchilds.saturating_sub(1);
            }
        }
        self.threads.remove(&tid);
        if nchilds != 0 {
            self.recreate_child_counts();
        }
    }

    /// The thread with this tid.
    pub fn thread(&self, tid: i64) -> Option<&Thread> {
        self.threads.get(&tid)
    }

    /// The thread fields of an event read: the container placeholder for container events,
    /// otherwise the event's thread if the table has it.
    pub fn event_thread(&self, e: &Event) -> Option<&Thread> {
        if self.cur.container_thread {
            return self.container_thread.as_ref();
        }
        self.threads.get(&e.tid)
    }

    /// The main thread of the process `tid` belongs to.
    pub fn process_of(&self, tid: i64) -> Option<&Thread> {
        self.threads.get(&self.main_of(tid)?)
    }

    /// The main thread of a thread (itself when it is one).
    pub fn main_thread<'a>(&'a self, t: &'a Thread) -> Option<&'a Thread> {
        if t.is_main() {
            return Some(t);
        }
        self.threads.get(&t.pid)
    }

    /// A thread's parent thread (`ptid`).
    pub fn parent(&self, t: &Thread) -> Option<&Thread> {
        self.threads.get(&t.ptid)
    }

    /// The parent process of a thread's process.
    pub fn parent_of(&self, tid: i64) -> Option<&Thread> {
        let p = self.process_of(tid)?;
        self.threads.get(&p.ptid)
    }

    /// The fd table `tid` uses.
    pub fn fd_table(&self, tid: i64) -> Option<&FdTable> {
        Some(&self.threads.get(&self.table_owner(tid)?)?.fds)
    }

    /// An fd of a thread (through its shared table when it shares files).
    pub fn fd(&self, tid: i64, fd: i64) -> Option<&Fd> {
        self.fd_table(tid)?.get(fd)
    }

    /// The fd number an event operates on: an enter event's `fd` parameter, else the fd the
    /// parser resolved, else the thread's last fd.
    pub fn event_fd(&self, e: &Event) -> Option<i64> {
        if e.is_enter() {
            let info = e.info()?;
            let idx = info.params.iter().position(|p| p.name == "fd" && p.ty == crate::schema::ParamType::Fd)?;
            return e.param(idx).and_then(crate::event::le_i64);
        }
        if let Some((_, num)) = self.cur.fd {
            return Some(num);
        }
        self.threads.get(&e.tid).map(|t| t.lastevent_fd).filter(|&fd| fd != -1)
    }

    /// Whether parsing the latest event changed the name of its fd (`fd.name_changed`).
    /// Compared when asked: nothing changes the fd between the event's parsing and the reading
    /// of its fields. The name before parsing is kept only when parsing could change it.
    pub fn fd_name_changed(&self) -> bool {
        self.cur.old_name_kept && self.cur_fd().is_some_and(|f| f.name != self.cur.old_name)
    }

    /// The fd the latest event operates on.
    pub fn cur_fd(&self) -> Option<&Fd> {
        let (owner, num) = self.cur.fd?;
        self.threads.get(&owner)?.fds.get(num)
    }

    /// The working directory of a thread (its main thread's), with a trailing `/`.
    pub fn cwd<'a>(&'a self, t: &'a Thread) -> &'a [u8] {
        self.main_thread(t).map_or(b"./".as_slice(), |m| m.cwd.as_slice())
    }

    /// A user, looked up in the container first, then on the host.
    pub fn user(&self, container_id: &str, uid: u32) -> Option<&UserRecord> {
        if !container_id.is_empty() {
            if let Some(u) = self.users.get(&(container_id.to_string(), uid)) {
                return Some(u);
            }
        }
        self.users.get(&(String::new(), uid))
    }

    /// A group, looked up in the container first, then on the host.
    pub fn group(&self, container_id: &str, gid: u32) -> Option<&GroupRecord> {
        if !container_id.is_empty() {
            if let Some(g) = self.groups.get(&(container_id.to_string(), gid)) {
                return Some(g);
            }
        }
        self.groups.get(&(String::new(), gid))
    }

    /// The container a thread runs in, when known.
    pub fn container_of(&self, t: &Thread) -> Option<&ContainerRecord> {
        if t.container_id.is_empty() {
            return None;
        }
        self.containers.get(&t.container_id)
    }
}
