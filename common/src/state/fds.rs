//! `Fd` and `FdTable`: the open file descriptors of a thread or process.
//!
//! An fd keeps libscap's type number and, for sockets, the address bytes in the same layout
//! libsinsp keeps them (one union for IPv4/IPv6 tuples, server addresses and unix endpoints), so
//! that every way sysdig reuses those bytes when a socket changes role gives the same names here.

use crate::scap::blocks::fd_type;
use crate::wire::FdRecord;

/// libsinsp's fd flags (`sinsp_fdinfo::FLAGS_*`).
pub mod fd_flags {
    #![allow(missing_docs)]
    pub const FROM_PROC: u32 = 1 << 0;
    pub const ROLE_CLIENT: u32 = 1 << 2;
    pub const ROLE_SERVER: u32 = 1 << 3;
    pub const CLOSE_IN_PROGRESS: u32 = 1 << 4;
    pub const CLOSE_CANCELED: u32 = 1 << 5;
    pub const IS_TRACER_FILE: u32 = 1 << 7;
    pub const IS_TRACER_FD: u32 = 1 << 8;
    pub const IS_NOT_TRACER_FD: u32 = 1 << 9;
    pub const SOCKET_CONNECTED: u32 = 1 << 13;
    pub const IS_CLONED: u32 = 1 << 14;
    pub const CONNECTION_PENDING: u32 = 1 << 15;
    pub const CONNECTION_FAILED: u32 = 1 << 16;
}

/// libscap's layer-4 protocol codes.
pub mod l4 {
    #![allow(missing_docs)]
    pub const UNKNOWN: u8 = 0;
    pub const NA: u8 = 1;
    pub const TCP: u8 = 2;
    pub const UDP: u8 = 3;
    pub const ICMP: u8 = 4;
    pub const RAW: u8 = 5;
}

/// The fd number libsinsp parks a canceled close under.
pub const CANCELED_FD: i64 = i64::MAX;

/// libscap's `SCAP_FD_UNKNOWN`: a socket of an unsupported family.
pub const FD_UNKNOWN: u8 = 0;

/// The most fds one table holds (libsinsp's `MAX_FD_TABLE_SIZE`).
pub const MAX_FDS: usize = 4096;

/// Socket address bytes, laid out as libsinsp's `sinsp_sockinfo` union.
///
/// IPv4 tuple: source ip 0..4, destination ip 4..8, source port 8..10, destination port 10..12,
/// protocol 12. IPv6 tuple: source 0..16, destination 16..32, ports 32..34 and 34..36, protocol 36.
/// IPv4 server: ip 0..4, port 4..6, protocol 6. IPv6 server: ip 0..16, port 16..18, protocol 18.
/// Unix: source 0..8, destination 8..16.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockInfo(pub [u8; 40]);

impl Default for SockInfo {
    fn default() -> SockInfo {
        SockInfo([0; 40])
    }
}

impl SockInfo {
    fn get(&self, at: usize, n: usize) -> &[u8] {
        &self.0[at..at + n]
    }
    fn u16_at(&self, at: usize) -> u16 {
        u16::from_le_bytes([self.0[at], self.0[at + 1]])
    }
    fn set_u16(&mut self, at: usize, v: u16) {
        self.0[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn u64_at(&self, at: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[at..at + 8]);
        u64::from_le_bytes(b)
    }

    /// IPv4 tuple source address.
    pub fn v4_sip(&self) -> [u8; 4] {
        let mut a = [0; 4];
        a.copy_from_slice(self.get(0, 4));
        a
    }
    /// IPv4 tuple destination address.
    pub fn v4_dip(&self) -> [u8; 4] {
        let mut a = [0; 4];
        a.copy_from_slice(self.get(4, 4));
        a
    }
    /// IPv4 tuple source port.
    pub fn v4_sport(&self) -> u16 {
        self.u16_at(8)
    }
    /// IPv4 tuple destination port.
    pub fn v4_dport(&self) -> u16 {
        self.u16_at(10)
    }
    /// IPv4 tuple protocol.
    pub fn v4_l4(&self) -> u8 {
        self.0[12]
    }
    /// Sets the IPv4 tuple source address.
    pub fn set_v4_sip(&mut self, ip: [u8; 4]) {
        self.0[0..4].copy_from_slice(&ip);
    }
    /// Sets the IPv4 tuple destination address.
    pub fn set_v4_dip(&mut self, ip: [u8; 4]) {
        self.0[4..8].copy_from_slice(&ip);
    }
    /// Sets the IPv4 tuple source port.
    pub fn set_v4_sport(&mut self, p: u16) {
        self.set_u16(8, p)
    }
    /// Sets the IPv4 tuple destination port.
    pub fn set_v4_dport(&mut self, p: u16) {
        self.set_u16(10, p)
    }
    /// Sets the IPv4 tuple protocol.
    pub fn set_v4_l4(&mut self, p: u8) {
        self.0[12] = p;
    }

    /// IPv6 tuple source address.
    pub fn v6_sip(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(self.get(0, 16));
        a
    }
    /// IPv6 tuple destination address.
    pub fn v6_dip(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(self.get(16, 16));
        a
    }
    /// IPv6 tuple source port.
    pub fn v6_sport(&self) -> u16 {
        self.u16_at(32)
    }
    /// IPv6 tuple destination port.
    pub fn v6_dport(&self) -> u16 {
        self.u16_at(34)
    }
    /// IPv6 tuple protocol.
    pub fn v6_l4(&self) -> u8 {
        self.0[36]
    }
    /// Sets the IPv6 tuple source address.
    pub fn set_v6_sip(&mut self, ip: [u8; 16]) {
        self.0[0..16].copy_from_slice(&ip);
    }
    /// Sets the IPv6 tuple destination address.
    pub fn set_v6_dip(&mut self, ip: [u8; 16]) {
        self.0[16..32].copy_from_slice(&ip);
    }
    /// Sets the IPv6 tuple source port.
    pub fn set_v6_sport(&mut self, p: u16) {
        self.set_u16(32, p)
    }
    /// Sets the IPv6 tuple destination port.
    pub fn set_v6_dport(&mut self, p: u16) {
        self.set_u16(34, p)
    }
    /// Sets the IPv6 tuple protocol.
    pub fn set_v6_l4(&mut self, p: u8) {
        self.0[36] = p;
    }

    /// IPv4 server address.
    pub fn v4srv_ip(&self) -> [u8; 4] {
        self.v4_sip()
    }
    /// IPv4 server port.
    pub fn v4srv_port(&self) -> u16 {
        self.u16_at(4)
    }
    /// IPv4 server protocol.
    pub fn v4srv_l4(&self) -> u8 {
        self.0[6]
    }
    /// Sets the IPv4 server address, port and protocol.
    pub fn set_v4srv(&mut self, ip: [u8; 4], port: u16, l4proto: u8) {
        self.0[0..4].copy_from_slice(&ip);
        self.set_u16(4, port);
        self.0[6] = l4proto;
    }
    /// IPv6 server address.
    pub fn v6srv_ip(&self) -> [u8; 16] {
        self.v6_sip()
    }
    /// IPv6 server port.
    pub fn v6srv_port(&self) -> u16 {
        self.u16_at(16)
    }
    /// IPv6 server protocol.
    pub fn v6srv_l4(&self) -> u8 {
        self.0[18]
    }
    /// Sets the IPv6 server address, port and protocol.
    pub fn set_v6srv(&mut self, ip: [u8; 16], port: u16, l4proto: u8) {
        self.0[0..16].copy_from_slice(&ip);
        self.set_u16(16, port);
        self.0[18] = l4proto;
    }

    /// Unix socket source and destination kernel addresses.
    pub fn unix(&self) -> (u64, u64) {
        (self.u64_at(0), self.u64_at(8))
    }
    /// Sets the unix socket endpoints.
    pub fn set_unix(&mut self, source: u64, dest: u64) {
        self.0[0..8].copy_from_slice(&source.to_le_bytes());
        self.0[8..16].copy_from_slice(&dest.to_le_bytes());
    }
}

/// One open file descriptor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fd {
    /// libscap's fd type (`scap::blocks::fd_type`).
    pub fd_type: u8,
    /// Open flags (libscap `PPM_O_*`).
    pub open_flags: u32,
    /// Socket addresses.
    pub sock: SockInfo,
    /// The name sysdig shows after the type: a path, a tuple, a unix path.
    pub name: Vec<u8>,
    /// `fd_flags` bits.
    pub flags: u32,
    /// Device number.
    pub dev: u32,
    /// Inode.
    pub ino: u64,
    /// Whether writes to this fd are decoded as syslog messages (its name mentions /dev/log).
    pub syslog: bool,
}

impl Fd {
    /// An fd of a type with a name.
    pub fn new(fd_type: u8, name: Vec<u8>) -> Fd {
        Fd { fd_type, name, ..Fd::default() }
    }

    /// An fd from a snapshot record, as libsinsp imports one from a trace's fd list.
    pub fn from_record(r: &FdRecord) -> Fd {
        Fd::from_record_after(r, &SockInfo::default())
    }

    /// An fd from a snapshot record imported after another fd of the same thread. libsinsp
    /// reuses one fd object for a thread's whole list and writes only the address bytes a type
    /// uses, so the rest keep the previous fd's bytes; they show when a socket changes role.
    pub fn from_record_after(r: &FdRecord, prev: &SockInfo) -> Fd {
        let mut fd = Fd { fd_type: r.fd_type, flags: fd_flags::FROM_PROC, ino: r.ino, sock: *prev, ..Fd::default() };
        let sock = r.socket.clone().unwrap_or_default();
        let arr4 = |b: &[u8]| {
            let mut a = [0u8; 4];
            if b.len() >= 4 {
                a.copy_from_slice(&b[..4]);
            }
            a
        };
        let arr16 = |b: &[u8]| {
            let mut a = [0u8; 16];
            if b.len() >= 16 {
                a.copy_from_slice(&b[..16]);
            }
            a
        };
        match r.fd_type {
            fd_type::IPV4_SOCK => {
                fd.sock.set_v4_sip(arr4(&sock.sip));
                fd.sock.set_v4_dip(arr4(&sock.dip));
                fd.sock.set_v4_sport(sock.sport);
                fd.sock.set_v4_dport(sock.dport);
                fd.sock.set_v4_l4(sock.l4proto);
                if sock.l4proto == l4::TCP {
                    fd.flags |= fd_flags::SOCKET_CONNECTED;
                }
            }
            fd_type::IPV4_SERVSOCK => fd.sock.set_v4srv(arr4(&sock.sip), sock.sport, sock.l4proto),
            fd_type::IPV6_SOCK => {
                let (sip, dip) = (arr16(&sock.sip), arr16(&sock.dip));
                if is_ipv4_mapped(&sip) && is_ipv4_mapped(&dip) {
                    fd.fd_type = fd_type::IPV4_SOCK;
                    fd.sock.set_v4_sip(arr4(&sip[12..]));
                    fd.sock.set_v4_dip(arr4(&dip[12..]));
                    fd.sock.set_v4_sport(sock.sport);
                    fd.sock.set_v4_dport(sock.dport);
                    fd.sock.set_v4_l4(sock.l4proto);
                } else {
                    fd.sock.set_v6_sip(sip);
                    fd.sock.set_v6_dip(dip);
                    fd.sock.set_v6_sport(sock.sport);
                    fd.sock.set_v6_dport(sock.dport);
                    fd.sock.set_v6_l4(sock.l4proto);
                }
                if sock.l4proto == l4::TCP {
                    fd.flags |= fd_flags::SOCKET_CONNECTED;
                }
            }
            fd_type::IPV6_SERVSOCK => fd.sock.set_v6srv(arr16(&sock.sip), sock.sport, sock.l4proto),
            fd_type::UNIX_SOCK => {
                let (source, dest) = r.unix.unwrap_or((0, 0));
                fd.sock.set_unix(source, dest);
                fd.name = r.name.to_vec();
                fd.flags |= if fd.name.is_empty() { fd_flags::ROLE_CLIENT } else { fd_flags::ROLE_SERVER };
            }
            fd_type::FILE_V2 => {
                fd.open_flags = r.open_flags;
                fd.name = r.name.to_vec();
                fd.dev = r.dev;
                fd.flags |= tracer_flag(&fd.name);
            }
            _ => {
                fd.name = r.name.to_vec();
                fd.flags |= tracer_flag(&fd.name);
            }
        }
        // Socket names are rendered from their addresses.
        match fd.fd_type {
            fd_type::IPV4_SOCK | fd_type::IPV6_SOCK | fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK => {
                fd.name = fd.sock_name();
            }
            _ => {}
        }
        fd.syslog = contains(&fd.name, b"/dev/log");
        fd
    }

    /// The name libsinsp gives a socket from its addresses (`ipv4tuple_to_string` and friends).
    pub fn sock_name(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(48);
        match self.fd_type {
            fd_type::IPV4_SOCK => {
                push_ipv4_port(&mut out, &self.sock.v4_sip(), self.sock.v4_sport());
                out.extend_from_slice(b"->");
                push_ipv4_port(&mut out, &self.sock.v4_dip(), self.sock.v4_dport());
            }
            fd_type::IPV4_SERVSOCK => push_ipv4_port(&mut out, &self.sock.v4srv_ip(), self.sock.v4srv_port()),
            fd_type::IPV6_SOCK => {
                push_ipv6(&mut out, &self.sock.v6_sip());
                push_port(&mut out, self.sock.v6_sport());
                out.extend_from_slice(b"->");
                push_ipv6(&mut out, &self.sock.v6_dip());
                push_port(&mut out, self.sock.v6_dport());
            }
            fd_type::IPV6_SERVSOCK => {
                push_ipv6(&mut out, &self.sock.v6srv_ip());
                push_port(&mut out, self.sock.v6srv_port());
            }
            _ => {}
        }
        out
    }

    /// The character sysdig shows between `<` and `>`.
    pub fn type_char(&self) -> u8 {
        type_char(self.fd_type)
    }

    /// The name `fd.type` shows.
    pub fn type_name(&self) -> &'static str {
        match self.fd_type {
            fd_type::FILE | fd_type::FILE_V2 => "file",
            fd_type::DIRECTORY => "directory",
            fd_type::IPV4_SOCK | fd_type::IPV4_SERVSOCK => "ipv4",
            fd_type::IPV6_SOCK | fd_type::IPV6_SERVSOCK => "ipv6",
            fd_type::UNIX_SOCK => "unix",
            fd_type::FIFO => "pipe",
            fd_type::EVENT => "event",
            fd_type::SIGNALFD => "signalfd",
            fd_type::EVENTPOLL => "eventpoll",
            fd_type::INOTIFY => "inotify",
            fd_type::TIMERFD => "timerfd",
            fd_type::NETLINK => "netlink",
            _ => "<NA>",
        }
    }

    /// Whether it is a regular file.
    pub fn is_file(&self) -> bool {
        matches!(self.fd_type, fd_type::FILE | fd_type::FILE_V2)
    }

    /// Whether it is a directory.
    pub fn is_directory(&self) -> bool {
        self.fd_type == fd_type::DIRECTORY
    }

    /// Whether it is an IPv4 or IPv6 socket, connected or listening.
    pub fn is_ip(&self) -> bool {
        matches!(
            self.fd_type,
            fd_type::IPV4_SOCK | fd_type::IPV6_SOCK | fd_type::IPV4_SERVSOCK | fd_type::IPV6_SERVSOCK
        )
    }

    /// Whether it is a TCP IPv4 socket.
    pub fn is_tcp_socket(&self) -> bool {
        self.fd_type == fd_type::IPV4_SOCK && self.sock.v4_l4() == l4::TCP
    }

    /// Whether it is a UDP IPv4 socket.
    pub fn is_udp_socket(&self) -> bool {
        self.fd_type == fd_type::IPV4_SOCK && self.sock.v4_l4() == l4::UDP
    }

    /// Whether the process is known to be the server end.
    pub fn is_role_server(&self) -> bool {
        self.flags & fd_flags::ROLE_SERVER != 0
    }

    /// Whether the process is known to be the client end.
    pub fn is_role_client(&self) -> bool {
        self.flags & fd_flags::ROLE_CLIENT != 0
    }

    /// Whether neither role is known.
    pub fn is_role_none(&self) -> bool {
        self.flags & (fd_flags::ROLE_CLIENT | fd_flags::ROLE_SERVER) == 0
    }

    /// Marks the fd as the server end.
    pub fn set_role_server(&mut self) {
        self.flags |= fd_flags::ROLE_SERVER;
    }

    /// Marks the fd as the client end.
    pub fn set_role_client(&mut self) {
        self.flags |= fd_flags::ROLE_CLIENT;
    }

    /// Marks the socket connected.
    pub fn set_connected(&mut self) {
        self.flags &= !(fd_flags::CONNECTION_PENDING | fd_flags::CONNECTION_FAILED);
        self.flags |= fd_flags::SOCKET_CONNECTED;
    }

    /// Whether the socket is connected.
    pub fn is_connected(&self) -> bool {
        self.flags & fd_flags::SOCKET_CONNECTED != 0
    }

    /// The L4 protocol as libsinsp reports it for this fd (`get_l4proto`).
    pub fn l4proto(&self) -> u8 {
        match self.fd_type {
            fd_type::IPV4_SOCK => {
                if self.sock.v4_l4() == l4::RAW {
                    l4::RAW
                } else if self.is_role_none() {
                    l4::NA
                } else {
                    self.sock.v4_l4()
                }
            }
            fd_type::IPV6_SOCK => {
                if self.sock.v6_l4() == l4::RAW {
                    l4::RAW
                } else if self.is_role_none() {
                    l4::NA
                } else {
                    self.sock.v6_l4()
                }
            }
            fd_type::IPV4_SERVSOCK => self.sock.v4srv_l4(),
            fd_type::IPV6_SERVSOCK => self.sock.v6srv_l4(),
            _ => l4::NA,
        }
    }

    /// Device major number.
    pub fn dev_major(&self) -> u32 {
        (self.dev & 0xfff00) >> 8
    }

    /// Device minor number.
    pub fn dev_minor(&self) -> u32 {
        (self.dev & 0xff) | ((self.dev >> 12) & 0xfff00)
    }
}

fn tracer_flag(name: &[u8]) -> u32 {
    if name == b"/dev/null" {
        fd_flags::IS_TRACER_FILE
    } else {
        fd_flags::IS_NOT_TRACER_FD
    }
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The character sysdig shows between `<` and `>` for a libscap fd type.
pub fn type_char(t: u8) -> u8 {
    match t {
        fd_type::FILE | fd_type::FILE_V2 => b'f',
        fd_type::IPV4_SOCK | fd_type::IPV4_SERVSOCK => b'4',
        fd_type::IPV6_SOCK | fd_type::IPV6_SERVSOCK => b'6',
        fd_type::DIRECTORY => b'd',
        fd_type::FIFO => b'p',
        fd_type::UNIX_SOCK => b'u',
        fd_type::EVENT => b'e',
        FD_UNKNOWN => b'o',
        fd_type::UNSUPPORTED => b'X',
        fd_type::SIGNALFD => b's',
        fd_type::EVENTPOLL => b'l',
        fd_type::INOTIFY => b'i',
        fd_type::TIMERFD => b't',
        fd_type::NETLINK => b'n',
        _ => b'?',
    }
}

/// Whether 16 address bytes hold an IPv4-mapped IPv6 address (or all zeros), as libsinsp tests it.
pub fn is_ipv4_mapped(a: &[u8]) -> bool {
    a.len() >= 16
        && a[..10].iter().all(|&b| b == 0)
        && ((a[10] == 0xff && a[11] == 0xff) || a[10..16].iter().all(|&b| b == 0))
}

/// Appends `a.b.c.d`.
pub fn push_ipv4(out: &mut Vec<u8>, ip: &[u8; 4]) {
    for (i, b) in ip.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        push_u64(out, u64::from(*b));
    }
}

fn push_ipv4_port(out: &mut Vec<u8>, ip: &[u8; 4], port: u16) {
    push_ipv4(out, ip);
    push_port(out, port);
}

fn push_port(out: &mut Vec<u8>, port: u16) {
    out.push(b':');
    push_u64(out, u64::from(port));
}

/// Appends an IPv6 address as `inet_ntop` writes it.
pub fn push_ipv6(out: &mut Vec<u8>, ip: &[u8; 16]) {
    use std::io::Write;
    let _ = write!(out, "{}", ntop6(ip));
}

/// An IPv6 address as glibc's `inet_ntop` writes it (IPv4-mapped and compatible forms included).
pub fn ntop6(ip: &[u8; 16]) -> String {
    let words: Vec<u16> = ip.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
    // The longest run of zero words of length 2 or more is shortened to "::".
    let (mut best_start, mut best_len, mut cur_start, mut cur_len) = (usize::MAX, 0, 0, 0);
    for (i, w) in words.iter().enumerate() {
        if *w == 0 {
            if cur_len == 0 {
                cur_start = i;
            }
            cur_len += 1;
            if cur_len > best_len {
                best_start = cur_start;
                best_len = cur_len;
            }
        } else {
            cur_len = 0;
        }
    }
    if best_len < 2 {
        best_start = usize::MAX;
    }
    let mut s = String::new();
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            s.push_str("::");
            i += best_len;
            continue;
        }
        if i > 0 && !s.ends_with(':') {
            s.push(':');
        }
        // An embedded IPv4 address ends ::ffff:a.b.c.d and ::a.b.c.d forms.
        if i == 6
            && best_start == 0
            && (best_len == 6 || (best_len == 5 && words[5] == 0xffff) || (best_len == 4 && words[4] == 0xffff))
        {
            use std::fmt::Write;
            let _ = write!(s, "{}.{}.{}.{}", ip[12], ip[13], ip[14], ip[15]);
            break;
        }
        use std::fmt::Write;
        let _ = write!(s, "{:x}", words[i]);
        i += 1;
    }
    s
}

/// The two-digit decimal strings "00" to "99", back to back.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends a number in decimal.
///
/// Numbers below 10^8 (almost all: tids, fds, event numbers) are turned into their eight digit
/// bytes at once in a `u64`, shifted past the leading zeros and appended as eight bytes (a copy
/// of constant size, done inline), then cut to length: printing a line writes several numbers,
/// and a library call per copy cost as much as the digits.
#[inline]
pub fn push_u64(out: &mut Vec<u8>, v: u64) {
    if v < 100_000_000 {
        push_below_1e8(out, v as u32);
    } else {
        push_large(out, v);
    }
}

#[cold]
#[inline(never)]
fn push_large(out: &mut Vec<u8>, v: u64) {
    push_u64(out, v / 100_000_000);
    out.extend_from_slice(&eight_digits(v % 100_000_000).to_le_bytes());
}

/// The eight decimal digits of `v` (below 10^8) as ASCII, the first digit in the lowest byte.
#[inline]
fn eight_digits(v: u64) -> u64 {
    digit_bytes(v as u32) + 0x3030_3030_3030_3030
}

/// The eight decimal digits of `v` (below 10^8) as byte values 0-9, the first in the lowest
/// byte: the number is split into lanes (two of four digits, four of two, eight of one), each
/// step dividing every lane at once by a multiplication and shift exact for the lane's range.
#[inline]
fn digit_bytes(v: u32) -> u64 {
    let fours = u64::from(v / 10_000) | u64::from(v % 10_000) << 32;
    // x / 100 == (x * 10486) >> 20 for x < 10^4.
    let hundreds = (fours * 10_486) >> 20 & 0x0000_007F_0000_007F;
    let twos = (fours - 100 * hundreds) << 16 | hundreds;
    // x / 10 == (x * 103) >> 10 for x < 100.
    let tens = (twos * 103) >> 10 & 0x000F_000F_000F_000F;
    (twos - 10 * tens) << 8 | tens
}

#[inline]
fn push_below_1e8(out: &mut Vec<u8>, v: u32) {
    let digits = digit_bytes(v);
    // Leading zero digits are the low zero bytes; zero itself keeps its last digit.
    let skip = if v == 0 { 7 } else { digits.trailing_zeros() / 8 };
    let text = (digits + 0x3030_3030_3030_3030) >> (skip * 8);
    let len = out.len();
    out.extend_from_slice(&text.to_le_bytes());
    out.truncate(len + 8 - skip as usize);
}

/// Writes `v` in decimal into all of `buf`, padded with leading zeros (digits beyond the
/// buffer's length are dropped).
#[inline]
pub fn write_digits(buf: &mut [u8], mut v: u64) {
    let mut i = buf.len();
    while i >= 2 {
        let r = (v % 100) as usize * 2;
        v /= 100;
        buf[i - 2] = DIGIT_PAIRS[r];
        buf[i - 1] = DIGIT_PAIRS[r + 1];
        i -= 2;
    }
    if i == 1 {
        buf[0] = b'0' + (v % 10) as u8;
    }
}

/// Appends a signed number in decimal.
#[inline]
pub fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// The name sysdig shows for an L4 protocol code.
pub fn l4proto_name(p: u8) -> &'static str {
    match p {
        l4::TCP => "tcp",
        l4::UDP => "udp",
        l4::ICMP => "icmp",
        l4::RAW => "raw",
        _ => "<NA>",
    }
}

/// The fds of one thread (or, through `CLONE_FILES`, of its process).
#[derive(Clone, Debug, Default)]
pub struct FdTable {
    fds: super::IdMap<Fd>,
}

impl FdTable {
    /// The fd with this number; negative numbers never match.
    pub fn get(&self, fd: i64) -> Option<&Fd> {
        if fd < 0 {
            return None;
        }
        self.fds.get(&fd)
    }

    /// The fd with this number, for updating.
    pub fn get_mut(&mut self, fd: i64) -> Option<&mut Fd> {
        if fd < 0 {
            return None;
        }
        self.fds.get_mut(&fd)
    }

    /// Adds or replaces an fd as libsinsp does: a new number beyond the table limit is dropped;
    /// replacing an fd whose close is in progress parks the old one and marks the close canceled.
    /// Returns whether the fd is now in the table.
    pub fn add(&mut self, num: i64, mut fd: Fd) -> bool {
        match self.fds.get(&num) {
            None => {
                if self.fds.len() >= MAX_FDS {
                    return false;
                }
                self.fds.insert(num, fd);
            }
            Some(old) => {
                if old.flags & fd_flags::CLOSE_IN_PROGRESS != 0 {
                    fd.flags &= !fd_flags::CLOSE_IN_PROGRESS;
                    fd.flags |= fd_flags::CLOSE_CANCELED;
                    let old = old.clone();
                    self.fds.insert(CANCELED_FD, old);
                }
                self.fds.insert(num, fd);
            }
        }
        true
    }

    /// Adds or replaces an fd without libsinsp's close bookkeeping (snapshot import).
    pub fn insert(&mut self, num: i64, fd: Fd) {
        self.fds.insert(num, fd);
    }

    /// Removes an fd.
    pub fn remove(&mut self, num: i64) -> Option<Fd> {
        self.fds.remove(&num)
    }

    /// All fds, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Fd)> {
        self.fds.iter().map(|(k, v)| (*k, v))
    }

    /// All fds, for updating.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (i64, &mut Fd)> {
        self.fds.iter_mut().map(|(k, v)| (*k, v))
    }

    /// Number of open fds.
    pub fn len(&self) -> usize {
        self.fds.len()
    }

    /// Whether no fd is open.
    pub fn is_empty(&self) -> bool {
        self.fds.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_to_string() {
        let mut values = vec![0u64, 1, 9, 10, 99, 100, 12_345, 99_999_999, 100_000_000, 100_000_001, u64::MAX];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x % 64));
        }
        for p in 0..20 {
            values.push(10u64.pow(p));
            values.push(10u64.pow(p) - 1);
        }
        values.extend(0..100_000);
        values.extend((0..100_000).map(|i| 99_999_999 - i));
        values.extend((0..1_000_000).map(|i| i * 97 + 12_345));
        for v in values {
            let mut out = b"x".to_vec();
            push_u64(&mut out, v);
            assert_eq!(out, format!("x{v}").into_bytes());
            let mut out = Vec::new();
            push_i64(&mut out, v as i64);
            assert_eq!(out, (v as i64).to_string().into_bytes());
        }
        let mut out = Vec::new();
        push_i64(&mut out, i64::MIN);
        assert_eq!(out, i64::MIN.to_string().into_bytes());
        let mut buf = [0u8; 9];
        write_digits(&mut buf, 1_234);
        assert_eq!(&buf, b"000001234");
    }

    #[test]
    fn ipv6_text_matches_inet_ntop() {
        let mut a = [0u8; 16];
        assert_eq!(ntop6(&a), "::");
        a[15] = 1;
        assert_eq!(ntop6(&a), "::1");
        let doc: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0];
        assert_eq!(ntop6(&doc), "2001:db8::3:0");
        let mapped: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1];
        assert_eq!(ntop6(&mapped), "::ffff:10.0.0.1");
        let one_zero: [u8; 16] = [0x20, 0x01, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6];
        assert_eq!(ntop6(&one_zero), "2001:0:1:2:3:4:5:6");
    }

    #[test]
    fn server_fields_alias_tuple_fields() {
        let mut s = SockInfo::default();
        s.set_v4_l4(l4::TCP);
        s.set_v4srv([1, 2, 3, 4], 80, s.v4_l4());
        assert_eq!(s.v4_sip(), [1, 2, 3, 4]);
        assert_eq!(s.v4srv_l4(), l4::TCP);
        assert_eq!(s.v4_l4(), l4::TCP);
    }
}
