//! The event schema: every event type libscap defines, with its parameters and how to print them.
//!
//! Types 0 to 335 are what sysdig 0.29.3 knows; their table in `generated.rs` is produced by
//! `xtask/schema-gen/gen.sh` from the data the installed libscap exports.
//! Types 336 and up came later in libscap; `newer.rs` describes them, written from the public
//! event table of today's libs.
//! Event numbers are libscap's, so a `.scap` file imports losslessly and a capture can be written
//! back as `.scap`.

pub mod generated;
pub mod newer;

pub use generated::ev;
pub use newer::ev_newer;

/// How a parameter's bytes are laid out and interpreted (libscap's `ppm_param_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ParamType {
    None,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Charbuf,
    Bytebuf,
    Errno,
    Sockaddr,
    Socktuple,
    Fd,
    Pid,
    Fdlist,
    Fspath,
    SyscallId,
    Sigtype,
    Reltime,
    Abstime,
    Port,
    L4Proto,
    SockFamily,
    Bool,
    Ipv4Addr,
    Dyn,
    Flags8,
    Flags16,
    Flags32,
    Uid,
    Gid,
    Double,
    Sigset,
    CharbufArray,
    CharbufPairArray,
    Ipv4Net,
    Ipv6Addr,
    Ipv6Net,
    IpAddr,
    IpNet,
    Mode,
    Fsrelpath,
    /// Newer libscap: an enum stored as 8 bits, printed by name.
    EnumFlags8,
    /// Newer libscap: an enum stored as 16 bits, printed by name.
    EnumFlags16,
    /// Newer libscap: an enum stored as 32 bits, printed by name.
    EnumFlags32,
    /// Newer libscap: a file descriptor stored as 32 bits.
    Fd32,
    /// Newer libscap: a process or thread id stored as 32 bits.
    Pid32,
}

impl ParamType {
    /// The type name `sysdig -L` prints.
    pub fn name(self) -> &'static str {
        use ParamType::*;
        match self {
            None => "NONE",
            Int8 => "INT8",
            Int16 => "INT16",
            Int32 => "INT32",
            Int64 => "INT64",
            Uint8 => "UINT8",
            Uint16 => "UINT16",
            Uint32 => "UINT32",
            Uint64 => "UINT64",
            Charbuf => "CHARBUF",
            Bytebuf => "BYTEBUF",
            Errno => "ERRNO",
            Sockaddr => "SOCKADDR",
            Socktuple => "SOCKTUPLE",
            Fd => "FD",
            Pid => "PID",
            Fdlist => "FDLIST",
            Fspath => "FSPATH",
            SyscallId => "SYSCALLID",
            Sigtype => "SIGTYPE",
            Reltime => "RELTIME",
            Abstime => "ABSTIME",
            Port => "PORT",
            L4Proto => "L4PROTO",
            SockFamily => "SOCKFAMILY",
            Bool => "BOOL",
            Ipv4Addr => "IPV4ADDR",
            Dyn => "DYNAMIC",
            Flags8 => "FLAGS8",
            Flags16 => "FLAGS16",
            Flags32 => "FLAGS32",
            Uid => "UID",
            Gid => "GID",
            Double => "DOUBLE",
            Sigset => "SIGSET",
            CharbufArray => "CHARBUFARRAY",
            CharbufPairArray => "CHARBUF_PAIR_ARRAY",
            Ipv4Net => "IPV4NET",
            Ipv6Addr => "IPV6ADDR",
            Ipv6Net => "IPV6NET",
            IpAddr => "IPADDR",
            IpNet => "IPNET",
            Mode => "MODE",
            Fsrelpath => "FSRELPATH",
            EnumFlags8 => "ENUMFLAGS8",
            EnumFlags16 => "ENUMFLAGS16",
            EnumFlags32 => "ENUMFLAGS32",
            Fd32 => "FD32",
            Pid32 => "PID32",
        }
    }
}

/// How a numeric parameter is rendered (libscap's `ppm_print_format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum PrintFormat {
    Na,
    Dec,
    Hex,
    PaddedDec,
    Id,
    Dir,
    Oct,
}

/// Extra knowledge a parameter carries beyond its type.
#[derive(Clone, Copy, Debug)]
pub enum Extra {
    /// Nothing more.
    None,
    /// Names of flag bits or enum values, as (name, value).
    Flags(&'static [(&'static str, u32)]),
    /// For a relative path: the index of the parameter holding the directory fd it is relative to.
    DirFd(u8),
    /// For a dynamic parameter: the layouts its index byte selects.
    Dynamic(&'static [ParamInfo]),
}

/// One parameter of an event type.
#[derive(Clone, Copy, Debug)]
pub struct ParamInfo {
    /// The parameter's name, as `evt.arg.NAME` uses it.
    pub name: &'static str,
    /// Its layout.
    pub ty: ParamType,
    /// How numbers print.
    pub fmt: PrintFormat,
    /// Flag names, a related dirfd, or dynamic layouts.
    pub extra: Extra,
}

/// One event type.
#[derive(Clone, Copy, Debug)]
pub struct EventInfo {
    /// The name `evt.type` shows (`open`, `execve`, `procexit`).
    pub name: &'static str,
    /// Category bits (`EC_*`).
    pub category: u32,
    /// Flag bits (`EF_*`).
    pub flags: u32,
    /// Parameters in wire order.
    pub params: &'static [ParamInfo],
}

/// Event category values (libscap's `ppm_event_category`).
pub mod category {
    #![allow(missing_docs)]
    pub const UNKNOWN: u32 = 0;
    pub const OTHER: u32 = 1;
    pub const FILE: u32 = 2;
    pub const NET: u32 = 3;
    pub const IPC: u32 = 4;
    pub const MEMORY: u32 = 5;
    pub const PROCESS: u32 = 6;
    pub const SLEEP: u32 = 7;
    pub const SYSTEM: u32 = 8;
    pub const SIGNAL: u32 = 9;
    pub const USER: u32 = 10;
    pub const TIME: u32 = 11;
    pub const PROCESSING: u32 = 12;
    pub const IO_READ: u32 = 32;
    pub const IO_WRITE: u32 = 33;
    pub const IO_OTHER: u32 = 34;
    pub const WAIT: u32 = 64;
    pub const SCHEDULER: u32 = 128;
    pub const INTERNAL: u32 = 256;
    // Newer libscap marks where an event comes from in the bits from SYSCALL up, on top of the
    // category below them; 0.29.3 (generated.rs) has none of these bits.
    /// Newer libscap: events produced by a syscall.
    pub const SYSCALL: u32 = 1 << 9;
    /// Newer libscap: events produced by a kernel tracepoint.
    pub const TRACEPOINT: u32 = 1 << 10;
    /// Newer libscap: events produced by plugins.
    pub const PLUGIN: u32 = 1 << 11;
    /// Newer libscap: metaevents from the userspace (container, user added).
    pub const METAEVENT: u32 = 1 << 12;
    /// Newer libscap: events produced by a kernel iterator (process and fd snapshots).
    pub const ITER: u32 = 1 << 13;

    /// The name `evt.category` shows.
    pub fn name(category: u32) -> &'static str {
        // Like libsinsp, ignore the source bits (SYSCALL and up) newer libscap adds.
        match category & !INTERNAL & (SYSCALL - 1) {
            OTHER => "other",
            FILE => "file",
            NET => "net",
            IPC => "ipc",
            MEMORY => "memory",
            PROCESS => "process",
            SLEEP => "sleep",
            SYSTEM => "system",
            SIGNAL => "signal",
            USER => "user",
            TIME => "time",
            PROCESSING => "processing",
            IO_READ | IO_WRITE | IO_OTHER => "I/O",
            WAIT => "wait",
            SCHEDULER => "scheduler",
            _ => "unknown",
        }
    }
}

/// Event flag bits (libscap's `ppm_event_flags`).
pub mod flags {
    #![allow(missing_docs)]
    pub const CREATES_FD: u32 = 1 << 0;
    pub const DESTROYS_FD: u32 = 1 << 1;
    pub const USES_FD: u32 = 1 << 2;
    pub const READS_FROM_FD: u32 = 1 << 3;
    pub const WRITES_TO_FD: u32 = 1 << 4;
    pub const MODIFIES_STATE: u32 = 1 << 5;
    pub const UNUSED: u32 = 1 << 6;
    pub const WAITS: u32 = 1 << 7;
    pub const SKIPPARSERESET: u32 = 1 << 8;
    pub const OLD_VERSION: u32 = 1 << 9;
    pub const DROP_SIMPLE_CONS: u32 = 1 << 10;
    pub const LARGE_PAYLOAD: u32 = 1 << 11;
}

/// The number of event types sysdig 0.29.3 knows (its `PPM_EVENT_MAX`).
pub const SYSDIG_0_29_EVENT_MAX: u16 = generated::EVENTS.len() as u16;

/// The number of event types this schema describes.
pub const EVENT_MAX: u16 = SYSDIG_0_29_EVENT_MAX + newer::NEWER_EVENTS.len() as u16;

/// The description of an event type, or `None` for a number no libscap version defines.
pub fn event_info(event_type: u16) -> Option<&'static EventInfo> {
    let idx = usize::from(event_type);
    match generated::EVENTS.get(idx) {
        Some(info) => Some(info),
        None => newer::NEWER_EVENTS.get(idx - generated::EVENTS.len()),
    }
}

/// Whether an event type is an enter event (`>`); libscap numbers enter events even.
pub fn is_enter(event_type: u16) -> bool {
    event_type & 1 == 0
}

/// Whether this event type's parameter lengths are 32 bits wide instead of 16.
pub fn has_large_params(event_type: u16) -> bool {
    event_info(event_type).is_some_and(|info| info.flags & flags::LARGE_PAYLOAD != 0)
}

/// The name and category of a syscall by libscap's syscall code (the `ID` of generic events).
pub fn syscall_info(ppm_sc: u16) -> Option<(&'static str, u32)> {
    generated::SYSCALLS.get(usize::from(ppm_sc)).filter(|(name, _)| !name.is_empty()).copied()
}

/// How libscap routes an x86_64 syscall number: (flags, enter event, exit event, syscall code).
pub fn x86_64_syscall(nr: u32) -> Option<(u32, u16, u16, u16)> {
    generated::X86_64_SYSCALLS.get(nr as usize).copied()
}

/// Finds a flag table entry's name for an exact value.
pub fn flag_name(table: &'static [(&'static str, u32)], value: u32) -> Option<&'static str> {
    table.iter().find(|(_, v)| *v == value).map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_has_sysdig_layout() {
        let open_x = event_info(ev::SYSCALL_OPEN_X).expect("open exit");
        assert_eq!(open_x.name, "open");
        let names: Vec<_> = open_x.params.iter().map(|p| p.name).collect();
        assert_eq!(names, ["fd", "name", "flags", "mode", "dev"]);
        assert_eq!(open_x.params[0].ty, ParamType::Fd);
        assert!(is_enter(ev::SYSCALL_OPEN_E));
        assert!(!is_enter(ev::SYSCALL_OPEN_X));
    }

    #[test]
    fn every_type_below_the_maximum_is_described() {
        for t in 0..EVENT_MAX {
            let info = event_info(t).expect("described");
            assert!(!info.name.is_empty(), "type {t} has a name");
        }
        assert!(event_info(EVENT_MAX).is_none());
    }

    #[test]
    fn large_payload_types_are_flagged() {
        assert!(has_large_params(ev::CONTAINER_JSON_2_E));
        assert!(!has_large_params(ev::CONTAINER_JSON_E));
    }
}
