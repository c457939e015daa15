//! Conversions of Linux flag and command values into libscap's (`PPM_*`) numbering, which is
//! what event parameters carry and what `evt.info` names.

/// Open flags (`O_*`) to `PPM_O_*`.
pub fn open_flags(f: u64) -> u32 {
    let f = f as u32;
    let mut r = 0;
    match f & 3 {
        0 => r |= 1,
        1 => r |= 2,
        2 => r |= 3,
        _ => {}
    }
    let map: &[(u32, u32)] = &[
        (0o100, 1 << 2),                  // O_CREAT
        (0o2000, 1 << 3),                 // O_APPEND
        (0o10000, 1 << 4),                // O_DSYNC
        (0o200, 1 << 5),                  // O_EXCL
        (0o4000, 1 << 6),                 // O_NONBLOCK
        (0o4010000, 1 << 7),              // O_SYNC (includes O_DSYNC)
        (0o1000, 1 << 8),                 // O_TRUNC
        (0o40000, 1 << 9),                // O_DIRECT
        (0o200000, 1 << 10),              // O_DIRECTORY
        (0o100000, 1 << 11),              // O_LARGEFILE
        (0o2000000, 1 << 12),             // O_CLOEXEC
        (0o20000000 | 0o200000, 1 << 13), // O_TMPFILE
    ];
    for &(linux, ppm) in map {
        if f & linux == linux {
            r |= ppm;
        }
    }
    r
}

/// The mode an open carries: only meaningful with O_CREAT or O_TMPFILE, as libscap reports it.
pub fn open_mode(flags: u64, mode: u64) -> u32 {
    if flags & 0o100 != 0 || flags & 0o20000000 != 0 {
        mode as u32 & 0o7777
    } else {
        0
    }
}

/// File mode bits: `PPM_S_*` use the same bit positions as Linux for the permission bits.
pub fn mode(m: u64) -> u32 {
    m as u32 & 0o7777
}

/// Clone flags (`CLONE_*`) to `PPM_CL_*`.
pub fn clone_flags(f: u64) -> u32 {
    let map: &[(u64, u32)] = &[
        (0x400, 1 << 0),        // FILES
        (0x200, 1 << 1),        // FS
        (0x8000_0000, 1 << 2),  // IO
        (0x0800_0000, 1 << 3),  // NEWIPC
        (0x4000_0000, 1 << 4),  // NEWNET
        (0x0002_0000, 1 << 5),  // NEWNS
        (0x2000_0000, 1 << 6),  // NEWPID
        (0x0400_0000, 1 << 7),  // NEWUTS
        (0x8000, 1 << 8),       // PARENT
        (0x0010_0000, 1 << 9),  // PARENT_SETTID
        (0x2000, 1 << 10),      // PTRACE
        (0x800, 1 << 11),       // SIGHAND
        (0x0004_0000, 1 << 12), // SYSVSEM
        (0x0001_0000, 1 << 13), // THREAD
        (0x0080_0000, 1 << 14), // UNTRACED
        (0x100, 1 << 15),       // VM
        (0x1000_0000, 1 << 20), // NEWUSER
        (0x0020_0000, 1 << 23), // CHILD_CLEARTID
        (0x0100_0000, 1 << 24), // CHILD_SETTID
        (0x0008_0000, 1 << 25), // SETTLS
        (0x4000, 1 << 27),      // VFORK
        (0x0200_0000, 1 << 28), // NEWCGROUP
    ];
    map.iter().filter(|(l, _)| f & l != 0).fold(0, |acc, (_, p)| acc | p)
}

/// Memory protection (`PROT_*`) to `PPM_PROT_*`.
pub fn prot(f: u64) -> u32 {
    let mut r = (f & 0xf) as u32;
    if f & 0x0100_0000 != 0 {
        r |= 1 << 4;
    }
    if f & 0x0200_0000 != 0 {
        r |= 1 << 5;
    }
    r
}

/// mmap flags (`MAP_*`) to `PPM_MAP_*`.
pub fn mmap_flags(f: u64) -> u32 {
    let map: &[(u64, u32)] = &[
        (0x01, 1 << 0),
        (0x02, 1 << 1),
        (0x10, 1 << 2),
        (0x20, 1 << 3),
        (0x40, 1 << 4),
        (0x4000, 1 << 6),
        (0x8000, 1 << 7),
        (0x10000, 1 << 8),
        (0x100, 1 << 9),
        (0x800, 1 << 10),
        (0x1000, 1 << 11),
        (0x2000, 1 << 14),
    ];
    map.iter().filter(|(l, _)| f & l != 0).fold(0, |acc, (_, p)| acc | p)
}

/// fcntl commands (`F_*`) to `PPM_FCNTL_*` (0 when unknown).
pub fn fcntl_cmd(c: u64) -> u32 {
    match c {
        0 => 1,
        1 => 2,
        2 => 3,
        3 => 4,
        4 => 5,
        5 => 6,
        6 => 8,
        7 => 9,
        8 => 10,
        9 => 12,
        10 => 13,
        11 => 15,
        15 => 21,
        16 => 22,
        36 => 30,
        37 => 31,
        38 => 32,
        1024 => 23,
        1025 => 24,
        1026 => 27,
        1029 => 25,
        1030 => 26,
        1031 => 28,
        1032 => 29,
        _ => 0,
    }
}

/// Socket option levels to libscap's (`SOL_SOCKET` 1, `SOL_TCP` 2, else unknown).
pub fn sockopt_level(l: u64) -> u32 {
    match l {
        1 => 1,
        6 => 2,
        _ => 0,
    }
}

/// Socket option names to `PPM_SOCKOPT_*`: only SOL_SOCKET options are named (0 otherwise, as
/// the driver does). Linux's `SO_*` numbers equal libscap's up to SO_ATTACH_BPF (50); the three
/// later ones libscap knows are renumbered.
pub fn sockopt_name(level: u64, name: u64) -> u32 {
    if level != 1 {
        return 0;
    }
    match name {
        1..=50 => name as u32,
        59 => 51, // SO_PEERGROUPS
        55 => 52, // SO_MEMINFO
        57 => 53, // SO_COOKIE
        _ => 0,
    }
}

/// Whether a SOL_SOCKET option (as `PPM_SOCKOPT_*`) carries a u32 value, as the driver types it.
/// SO_ERROR, the timeouts and SO_COOKIE are typed on their own; SO_LINGER, SO_PEERCRED,
/// SO_ATTACH_FILTER, SO_PEERNAME, SO_ATTACH_BPF and the rest are raw bytes.
pub fn sockopt_is_u32(ppm: u32) -> bool {
    matches!(ppm, 1..=3 | 5..=12 | 14..=16 | 18 | 19 | 22..=25 | 27 | 29..=49)
}

/// execveat flags to `PPM_EXVAT_*`: AT_EMPTY_PATH (0x1000) and AT_SYMLINK_NOFOLLOW (0x100).
pub fn execveat_flags(f: u64) -> u32 {
    u32::from(f & 0x1000 != 0) | (u32::from(f & 0x100 != 0) << 1)
}

/// semget flags to `PPM_IPC_*`: IPC_CREAT (0o1000) and IPC_EXCL (0o2000).
pub fn semget_flags(f: u64) -> u32 {
    (u32::from(f & 0o1000 != 0) << 13) | (u32::from(f & 0o2000 != 0) << 14)
}

/// semctl commands to `PPM_IPC_*`, `PPM_SEM_*`, `PPM_GET*`, `PPM_SET*` (0 when unknown).
pub fn semctl_cmd(c: u64) -> u32 {
    match c {
        2 => 1,        // IPC_STAT
        1 => 1 << 1,   // IPC_SET
        0 => 1 << 2,   // IPC_RMID
        3 => 1 << 3,   // IPC_INFO
        19 => 1 << 4,  // SEM_INFO
        18 => 1 << 5,  // SEM_STAT
        13 => 1 << 6,  // GETALL
        14 => 1 << 7,  // GETNCNT
        11 => 1 << 8,  // GETPID
        12 => 1 << 9,  // GETVAL
        15 => 1 << 10, // GETZCNT
        17 => 1 << 11, // SETALL
        16 => 1 << 12, // SETVAL
        _ => 0,
    }
}

/// A sembuf's sem_flg to `PPM_IPC_NOWAIT` (IPC_NOWAIT, 0o4000) and `PPM_SEM_UNDO` (0x1000).
pub fn semop_flags(f: u64) -> u32 {
    u32::from(f & 0o4000 != 0) | (u32::from(f & 0x1000 != 0) << 1)
}

/// ptrace requests (`PTRACE_*`) to `PPM_PTRACE_*` (0 when unknown).
pub fn ptrace_request(r: u64) -> u32 {
    match r {
        0 => 1,       // TRACEME
        1 => 2,       // PEEKTEXT
        2 => 3,       // PEEKDATA
        3 => 4,       // PEEKUSR
        4 => 5,       // POKETEXT
        5 => 6,       // POKEDATA
        6 => 7,       // POKEUSR
        7 => 8,       // CONT
        8 => 9,       // KILL
        9 => 10,      // SINGLESTEP
        12 => 26,     // GETREGS
        13 => 27,     // SETREGS
        14 => 28,     // GETFPREGS
        15 => 29,     // SETFPREGS
        16 => 11,     // ATTACH
        17 => 12,     // DETACH
        18 => 30,     // GETFPXREGS
        19 => 31,     // SETFPXREGS
        21 => 32,     // OLDSETOPTIONS
        24 => 13,     // SYSCALL
        25 => 33,     // GET_THREAD_AREA
        26 => 34,     // SET_THREAD_AREA
        30 => 35,     // ARCH_PRCTL
        31 => 36,     // SYSEMU
        32 => 37,     // SYSEMU_SINGLESTEP
        33 => 38,     // SINGLEBLOCK
        0x4200 => 14, // SETOPTIONS
        0x4201 => 15, // GETEVENTMSG
        0x4202 => 16, // GETSIGINFO
        0x4203 => 17, // SETSIGINFO
        0x4204 => 18, // GETREGSET
        0x4205 => 19, // SETREGSET
        0x4206 => 20, // SEIZE
        0x4207 => 21, // INTERRUPT
        0x4208 => 22, // LISTEN
        0x4209 => 23, // PEEKSIGINFO
        0x420a => 24, // GETSIGMASK
        0x420b => 25, // SETSIGMASK
        _ => 0,
    }
}

/// Mount flags: libscap's bits match the kernel's `MS_*` positions.
pub fn mount_flags(f: u64) -> u32 {
    f as u32
}

/// rlimit resources: libscap's numbering matches the kernel's.
pub fn rlimit_resource(r: u64) -> u32 {
    r as u32
}

/// x86 page fault error code to `PPM_PF_*`.
pub fn page_fault(e: u64) -> u32 {
    let mut r = if e & 1 != 0 { 1 } else { 1 << 1 };
    r |= if e & 2 != 0 { 1 << 2 } else { 1 << 3 };
    r |= if e & 4 != 0 { 1 << 4 } else { 1 << 5 };
    if e & 8 != 0 {
        r |= 1 << 6;
    }
    if e & 16 != 0 {
        r |= 1 << 7;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_match_libscap() {
        assert_eq!(open_flags(0), 1); // O_RDONLY
        assert_eq!(open_flags(0o1101), 2 | 4 | 256); // O_WRONLY|O_CREAT|O_TRUNC
        assert_eq!(open_flags(0o2000000 | 2), 3 | 4096); // O_RDWR|O_CLOEXEC
        assert_eq!(open_mode(0o1101, 0o644), 0o644);
        assert_eq!(open_mode(0, 0o644), 0);
    }

    #[test]
    fn socket_options_and_ptrace_requests_match_libscap() {
        assert_eq!(sockopt_name(1, 2), 2); // SO_REUSEADDR
        assert_eq!(sockopt_name(1, 57), 53); // SO_COOKIE
        assert_eq!(sockopt_name(1, 66), 0); // SO_RCVTIMEO_NEW: unknown to libscap
        assert_eq!(sockopt_name(6, 1), 0); // TCP_NODELAY: only SOL_SOCKET options are named
        assert!(sockopt_is_u32(2) && sockopt_is_u32(49) && !sockopt_is_u32(4) && !sockopt_is_u32(13));
        assert!(!sockopt_is_u32(20) && !sockopt_is_u32(26) && !sockopt_is_u32(50));
        assert_eq!(ptrace_request(0), 1);
        assert_eq!(ptrace_request(2), 3);
        assert_eq!(ptrace_request(7), 8);
        assert_eq!(ptrace_request(0x4206), 20);
        assert_eq!(ptrace_request(1000), 0);
        assert_eq!(execveat_flags(0x1000 | 0x100), 3);
        assert_eq!((semget_flags(0o1600), semctl_cmd(16), semop_flags(0x1000 | 0o4000)), (1 << 13, 1 << 12, 3));
    }

    #[test]
    fn clone_flags_match_libscap() {
        // The flags glibc's pthread_create passes.
        let f = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;
        let got = clone_flags(f);
        assert_eq!(got & (1 << 13), 1 << 13);
        assert_eq!(got & (1 << 15), 1 << 15);
        assert_eq!(clone_flags(0x4000 | 0x100), (1 << 27) | (1 << 15));
    }
}
