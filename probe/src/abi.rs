//! Rust mirrors of the records and tables in `bpf/scap_abi.h`, the kernel/user ABI.
//!
//! Each struct carries compile-time size and offset checks against the C layout, so a change on
//! one side that is not made on the other fails the build instead of garbling events.

#![allow(missing_docs)]

/// ABI version of `scap_abi.h`.
pub const ABI_VERSION: u32 = 1;

/// Record kinds (`scap_hdr.kind`).
pub mod rec {
    pub const SYS_ENTER: u16 = 1;
    pub const SYS_EXIT: u16 = 2;
    pub const PROC_EXIT: u16 = 3;
    pub const SCHED_SWITCH: u16 = 4;
    pub const PAGE_FAULT: u16 = 5;
    pub const SIGNAL: u16 = 6;
    pub const PROCINFO: u16 = 7;
}

/// Argument kinds of a syscall spec, and the item kinds they produce.
pub mod arg {
    pub const NONE: u8 = 0;
    pub const STR: u8 = 1;
    pub const BUF_RET: u8 = 2;
    pub const BUF_LEN: u8 = 3;
    pub const IOV_RET: u8 = 4;
    pub const IOV_LEN: u8 = 5;
    pub const SOCKADDR: u8 = 6;
    pub const SOCKADDR_LENPTR: u8 = 7;
    pub const FD_SOCK: u8 = 8;
    pub const RET_SOCK: u8 = 9;
    pub const MSGHDR_RET: u8 = 10;
    pub const MSGHDR_LEN: u8 = 11;
    pub const INT2: u8 = 12;
    pub const MEM8: u8 = 13;
    pub const MEM16: u8 = 14;
    pub const POLLFDS: u8 = 15;
    pub const RET_FILE: u8 = 16;
    pub const PROC: u8 = 17;
    pub const BUF_LENPTR: u8 = 18;
    pub const FD_FILE: u8 = 19;
    pub const INT2_SOCK: u8 = 20;
    pub const MEM4: u8 = 21;
    pub const MEM24: u8 = 22;
    pub const INT2_FILE: u8 = 23;
    pub const VM: u8 = 24;
    pub const IOV_TOTAL: u8 = 25;
    pub const MSGHDR_TOTAL: u8 = 26;
    pub const FD_BACKLOG: u8 = 27;
    pub const PEEK8: u8 = 28;
    pub const ITEM_ARGS: u8 = 64;
    pub const ITEM_ENV: u8 = 65;
    pub const ITEM_UNIX_PATH: u8 = 66;
    pub const ITEM_IOV: u8 = 67;
    pub const ITEM_EXE: u8 = 68;
    pub const ITEM_CGROUP: u8 = 69;
    pub const ITEM_CWD: u8 = 70;
}

/// Spec flags.
pub const SPEC_ON: u8 = 1;
pub const SPEC_LIFECYCLE: u8 = 2;
pub const SPEC_SHORT_ENTER: u8 = 4;
pub const SPEC_SHORT_EXIT: u8 = 8;

/// Filter mode bits.
pub const FILTER_PIDS: u32 = 1;
pub const FILTER_CGROUP: u32 = 2;

pub const MAX_RINGS: u32 = 256;
pub const SCRATCH_HALF: u32 = 32768;
pub const PID_WORDS: u32 = 65536;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub enter: [u8; 6],
    pub exit: [u8; 6],
    pub flags: u8,
    pub pad: [u8; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Hdr {
    pub ts: u64,
    pub tid: u32,
    pub pid: u32,
    pub len: u32,
    pub kind: u16,
    pub cpu: u16,
}

/// The fixed part of every syscall record; a record of only this is a short record (a
/// syscall that routes to a generic event: no arguments, no items).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct SysHead {
    pub h: Hdr,
    pub nr: u32,
    pub n_items: u32,
    pub ret: i64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Sys {
    pub h: Hdr,
    pub nr: u32,
    pub n_items: u32,
    pub ret: i64,
    pub args: [u64; 6],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Item {
    pub len: u16,
    pub kind: u8,
    pub arg: u8,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Sock {
    pub family: u16,
    pub ty: u16,
    pub proto: u16,
    pub lport: u16,
    pub rport: u16,
    pub pad: [u16; 3],
    pub laddr: [u8; 16],
    pub raddr: [u8; 16],
    pub sk: u64,
    pub peer: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct FileInfo {
    pub ino: u64,
    pub dev: u32,
    pub flags: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Vm {
    pub vm_size_kb: u32,
    pub vm_rss_kb: u32,
    pub vm_swap_kb: u32,
    pub pad: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Proc {
    pub tid: u32,
    pub pid: u32,
    pub ptid: u32,
    pub vtid: u32,
    pub vpid: u32,
    pub sid: u32,
    pub pgid: u32,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub tty: u32,
    pub exe_writable: u32,
    pub cap_inheritable: u64,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub fdlimit: u64,
    pub pgft_maj: u64,
    pub pgft_min: u64,
    pub vm_size_kb: u32,
    pub vm_rss_kb: u32,
    pub vm_swap_kb: u32,
    pub pad: u32,
    pub start_ts: u64,
    pub exe_ino: u64,
    pub comm: [u8; 16],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcExit {
    pub h: Hdr,
    pub exit_code: i32,
    pub group_dead: u32,
    pub ptid: u32,
    pub reaper: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Switch {
    pub h: Hdr,
    pub next_tid: u32,
    pub pad: u32,
    pub pgft_maj: u64,
    pub pgft_min: u64,
    pub vm_size_kb: u32,
    pub vm_rss_kb: u32,
    pub vm_swap_kb: u32,
    pub pad2: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Fault {
    pub h: Hdr,
    pub addr: u64,
    pub ip: u64,
    pub error: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Signal {
    pub h: Hdr,
    pub spid: u32,
    pub dpid: u32,
    pub sig: u32,
    pub pad: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcInfo {
    pub h: Hdr,
    pub utime_ticks: u64,
    pub stime_ticks: u64,
}

/// Clock ticks per second of `ProcInfo`'s times (the kernel's USER_HZ).
pub const USER_HZ: u64 = 100;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub events: u64,
    pub drops_buffer: u64,
    pub drops_other: u64,
    pub lifecycle_drops: u64,
}

const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<Spec>() == 16);
    assert!(size_of::<Hdr>() == 24);
    assert!(offset_of!(Hdr, len) == 16);
    assert!(offset_of!(Hdr, kind) == 20);
    assert!(size_of::<SysHead>() == 40);
    assert!(offset_of!(SysHead, ret) == 32);
    assert!(size_of::<Sys>() == 88);
    assert!(offset_of!(Sys, nr) == 24);
    assert!(offset_of!(Sys, ret) == 32);
    assert!(offset_of!(Sys, args) == 40);
    assert!(size_of::<Item>() == 4);
    assert!(size_of::<Sock>() == 64);
    assert!(offset_of!(Sock, laddr) == 16);
    assert!(offset_of!(Sock, sk) == 48);
    assert!(size_of::<FileInfo>() == 16);
    assert!(size_of::<Vm>() == 16);
    assert!(offset_of!(Proc, cap_inheritable) == 48);
    assert!(offset_of!(Proc, fdlimit) == 72);
    assert!(offset_of!(Proc, vm_size_kb) == 96);
    assert!(offset_of!(Proc, start_ts) == 112);
    assert!(offset_of!(Proc, comm) == 128);
    assert!(size_of::<Proc>() == 144);
    assert!(size_of::<ProcExit>() == 40);
    assert!(size_of::<Switch>() == 64);
    assert!(size_of::<Fault>() == 48);
    assert!(size_of::<Signal>() == 40);
    assert!(size_of::<ProcInfo>() == 40);
    assert!(offset_of!(ProcInfo, stime_ticks) == 32);
    assert!(size_of::<Counters>() == 32);
};

/// Reads a plain-data ABI struct from the front of `bytes`, or `None` when too short.
pub fn read<T: Copy + Default>(bytes: &[u8]) -> Option<T> {
    let n = std::mem::size_of::<T>();
    if bytes.len() < n {
        return None;
    }
    let mut out = T::default();
    // SAFETY: every ABI type is #[repr(C)] plain old data made of integers and byte arrays, for
    // which any bit pattern is valid; `bytes` holds at least size_of::<T>() bytes and the copy
    // goes into a properly aligned `T`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), (&mut out as *mut T).cast::<u8>(), n) };
    Some(out)
}
