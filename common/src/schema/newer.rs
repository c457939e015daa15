//! Event types 336 and up, which libscap added after the version sysdig 0.29.3 is built on.
//!
//! Written by hand from the public event table of today's falcosecurity/libs.
//!
//! Source of the facts: `falcosecurity/libs` at commit
//! `48dfd53cd23f95720521d41b89883bbc35c8567f`
//! (driver schema version 4.5.1, `PPM_EVENT_MAX` = 454): names, categories, flags and
//! parameters from `driver/event_table.c`, event numbers and `PT_*`/`PF_*`/`EC_*`/`EF_*` and flag
//! values from `driver/ppm_events_public.h`, flag names from `driver/flags_table.c`, dynamic
//! layouts from `driver/dynamic_params_table.c`.
//!
//! How today's table maps onto ours:
//! - Categories are today's values as they are: the low bits are the kind of operation, encoded as
//!   in `generated.rs`; the bits from `category::SYSCALL` (0x200) up say where the event comes
//!   from (`SYSCALL`, `TRACEPOINT`, `PLUGIN` 0x800, `METAEVENT` 0x1000, `ITER` 0x2000). 0.29.3 has
//!   no such bits, so mask them off (`category & (category::SYSCALL - 1)`) before comparing.
//! - Flags: bits 0 to 9 and 11 mean what `schema::flags` says, with the same values. Today's
//!   header no longer defines bit 10 (`EF_DROP_SIMPLE_CONS`), so no entry here sets it. Bit 12 is
//!   today's `EF_CONVERTER_MANAGED` ([`CONVERTER_MANAGED`]: libscap's converter knows how to turn
//!   older layouts of the event into this one when it reads a capture); `schema::flags` has no
//!   name for it and it is kept as is.
//! - Enter events that today's drivers no longer send carry `OLD_VERSION`, as in today's table:
//!   libs now puts all of a syscall's data in its exit event. The newest syscalls (`close_range`,
//!   `keyctl`) have only an exit event; their enter slot is an unused `NA` entry.
//! - The unused half of a pair is named `NA`, with category 0 (unknown) and flag `UNUSED`, as
//!   today's table has it (0.29.3 repeated the other half's name instead).
//! - Flag tables identical to 0.29.3's are shared with `generated.rs`; the ones that differ
//!   (`FILE_FLAGS`, `EXECVE_FLAGS` gained values) or are new are defined here.

#![allow(missing_docs)]

use super::{generated, EventInfo, Extra, ParamInfo as P, ParamType, PrintFormat};

/// Today's `EF_CONVERTER_MANAGED` event flag (bit 12), which `schema::flags` does not name.
pub const CONVERTER_MANAGED: u32 = 1 << 12;

/// Names of the values of the `FILE_FLAGS` table.
/// Today's libs adds values to `generated::FILE_FLAGS`.
pub static FILE_FLAGS: &[(&str, u32)] = &[
    ("O_LARGEFILE", 0x800),
    ("O_DIRECTORY", 0x400),
    ("O_DIRECT", 0x200),
    ("O_TRUNC", 0x100),
    ("O_SYNC", 0x80),
    ("O_NONBLOCK", 0x40),
    ("O_EXCL", 0x20),
    ("O_DSYNC", 0x10),
    ("O_APPEND", 0x8),
    ("O_CREAT", 0x4),
    ("O_RDWR", 0x3),
    ("O_WRONLY", 0x2),
    ("O_RDONLY", 0x1),
    ("O_CLOEXEC", 0x1000),
    ("O_NONE", 0x0),
    ("O_TMPFILE", 0x2000),
    ("O_F_CREATED", 0x4000),
    ("FD_UPPER_LAYER", 0x8000),
    ("FD_LOWER_LAYER", 0x10000),
];

/// Names of the values of the `IO_URING_SETUP_FLAGS` table.
pub static IO_URING_SETUP_FLAGS: &[(&str, u32)] = &[
    ("IORING_SETUP_IOPOLL", 0x1),
    ("IORING_SETUP_SQPOLL", 0x2),
    ("IORING_SQ_NEED_WAKEUP", 0x4),
    ("IORING_SETUP_SQ_AFF", 0x8),
    ("IORING_SETUP_CQSIZE", 0x10),
    ("IORING_SETUP_CLAMP", 0x20),
    ("IORING_SETUP_ATTACH_RW", 0x40),
    ("IORING_SETUP_R_DISABLED", 0x80),
];

/// Names of the values of the `IO_URING_SETUP_FEATS` table.
pub static IO_URING_SETUP_FEATS: &[(&str, u32)] = &[
    ("IORING_FEAT_SINGLE_MMAP", 0x1),
    ("IORING_FEAT_NODROP", 0x2),
    ("IORING_FEAT_SUBMIT_STABLE", 0x4),
    ("IORING_FEAT_RW_CUR_POS", 0x8),
    ("IORING_FEAT_CUR_PERSONALITY", 0x10),
    ("IORING_FEAT_FAST_POLL", 0x20),
    ("IORING_FEAT_POLL_32BITS", 0x40),
    ("IORING_FEAT_SQPOLL_NONFIXED", 0x80),
    ("IORING_FEAT_ENTER_EXT_ARG", 0x100),
    ("IORING_FEAT_NATIVE_WORKERS", 0x200),
    ("IORING_FEAT_RSRC_TAGS", 0x400),
];

/// Names of the values of the `IO_URING_ENTER_FLAGS` table.
pub static IO_URING_ENTER_FLAGS: &[(&str, u32)] = &[
    ("IORING_ENTER_GETEVENTS", 0x1),
    ("IORING_ENTER_SQ_WAKEUP", 0x2),
    ("IORING_ENTER_SQ_WAIT", 0x4),
    ("IORING_ENTER_EXT_ARG", 0x8),
];

/// Names of the values of the `IO_URING_REGISTER_OPCODES` table.
pub static IO_URING_REGISTER_OPCODES: &[(&str, u32)] = &[
    ("IORING_REGISTER_BUFFERS", 0x0),
    ("IORING_UNREGISTER_BUFFERS", 0x1),
    ("IORING_REGISTER_FILES", 0x2),
    ("IORING_UNREGISTER_FILES", 0x3),
    ("IORING_REGISTER_EVENTFD", 0x4),
    ("IORING_UNREGISTER_EVENTFD", 0x5),
    ("IORING_REGISTER_FILES_UPDATE", 0x6),
    ("IORING_REGISTER_EVENTFD_ASYNC", 0x7),
    ("IORING_REGISTER_PROBE", 0x8),
    ("IORING_REGISTER_PERSONALITY", 0x9),
    ("IORING_UNREGISTER_PERSONALITY", 0xa),
    ("IORING_REGISTER_RESTRICTIONS", 0xb),
    ("IORING_REGISTER_ENABLE_RINGS", 0xc),
    ("IORING_REGISTER_FILES2", 0xd),
    ("IORING_REGISTER_FILES_UPDATE2", 0xe),
    ("IORING_REGISTER_BUFFERS2", 0xf),
    ("IORING_REGISTER_BUFFERS_UPDATE", 0x10),
    ("IORING_REGISTER_IOWQ_AFF", 0x11),
    ("IORING_UNREGISTER_IOWQ_AFF", 0x12),
    ("IORING_REGISTER_IOWQ_MAX_WORKERS", 0x13),
    ("IORING_REGISTER_RING_FDS", 0x14),
    ("IORING_UNREGISTER_RING_FDS", 0x15),
];

/// Names of the values of the `MLOCKALL_FLAGS` table.
pub static MLOCKALL_FLAGS: &[(&str, u32)] = &[("MCL_CURRENT", 0x1), ("MCL_FUTURE", 0x2), ("MCL_ONFAULT", 0x4)];

/// Names of the values of the `BPF_COMMANDS` table.
pub static BPF_COMMANDS: &[(&str, u32)] = &[
    ("BPF_MAP_CREATE", 0x0),
    ("BPF_MAP_LOOKUP_ELEM", 0x1),
    ("BPF_MAP_UPDATE_ELEM", 0x2),
    ("BPF_MAP_DELETE_ELEM", 0x3),
    ("BPF_MAP_GET_NEXT_KEY", 0x4),
    ("BPF_PROG_LOAD", 0x5),
    ("BPF_OBJ_PIN", 0x6),
    ("BPF_OBJ_GET", 0x7),
    ("BPF_PROG_ATTACH", 0x8),
    ("BPF_PROG_DETACH", 0x9),
    ("BPF_PROG_TEST_RUN", 0xa),
    ("BPF_PROG_RUN", 0xa),
    ("BPF_PROG_GET_NEXT_ID", 0xb),
    ("BPF_MAP_GET_NEXT_ID", 0xc),
    ("BPF_PROG_GET_FD_BY_ID", 0xd),
    ("BPF_MAP_GET_FD_BY_ID", 0xe),
    ("BPF_OBJ_GET_INFO_BY_FD", 0xf),
    ("BPF_PROG_QUERY", 0x10),
    ("BPF_RAW_TRACEPOINT_OPEN", 0x11),
    ("BPF_BTF_LOAD", 0x12),
    ("BPF_BTF_GET_FD_BY_ID", 0x13),
    ("BPF_TASK_FD_QUERY", 0x14),
    ("BPF_MAP_LOOKUP_AND_DELETE_ELEM", 0x15),
    ("BPF_MAP_FREEZE", 0x16),
    ("BPF_BTF_GET_NEXT_ID", 0x17),
    ("BPF_MAP_LOOKUP_BATCH", 0x18),
    ("BPF_MAP_LOOKUP_AND_DELETE_BATCH", 0x19),
    ("BPF_MAP_UPDATE_BATCH", 0x1a),
    ("BPF_MAP_DELETE_BATCH", 0x1b),
    ("BPF_LINK_CREATE", 0x1c),
    ("BPF_LINK_UPDATE", 0x1d),
    ("BPF_LINK_GET_FD_BY_ID", 0x1e),
    ("BPF_LINK_GET_NEXT_ID", 0x1f),
    ("BPF_ENABLE_STATS", 0x20),
    ("BPF_ITER_CREATE", 0x21),
    ("BPF_LINK_DETACH", 0x22),
    ("BPF_PROG_BIND_MAP", 0x23),
];

/// Names of the values of the `MLOCK2_FLAGS` table.
pub static MLOCK2_FLAGS: &[(&str, u32)] = &[("MLOCK_ONFAULT", 0x1)];

/// Names of the values of the `FSCONFIG_CMDS` table.
pub static FSCONFIG_CMDS: &[(&str, u32)] = &[
    ("FSCONFIG_SET_FLAG", 0x0),
    ("FSCONFIG_SET_STRING", 0x1),
    ("FSCONFIG_SET_BINARY", 0x2),
    ("FSCONFIG_SET_PATH", 0x3),
    ("FSCONFIG_SET_PATH_EMPTY", 0x4),
    ("FSCONFIG_SET_FD", 0x5),
    ("FSCONFIG_CMD_CREATE", 0x6),
    ("FSCONFIG_CMD_RECONFIGURE", 0x7),
];

/// Names of the values of the `EPOLL_CREATE1_FLAGS` table.
pub static EPOLL_CREATE1_FLAGS: &[(&str, u32)] = &[("EPOLL_CLOEXEC", 0x1)];

/// Names of the values of the `FCHOWNAT_FLAGS` table.
pub static FCHOWNAT_FLAGS: &[(&str, u32)] = &[("AT_SYMLINK_NOFOLLOW", 0x400), ("AT_EMPTY_PATH", 0x1000)];

/// Names of the values of the `PRCTL_OPTIONS` table.
pub static PRCTL_OPTIONS: &[(&str, u32)] = &[
    ("PR_GET_DUMPABLE", 0x3),
    ("PR_SET_DUMPABLE", 0x4),
    ("PR_GET_KEEPCAPS", 0x7),
    ("PR_SET_KEEPCAPS", 0x8),
    ("PR_SET_NAME", 0xf),
    ("PR_GET_NAME", 0x10),
    ("PR_GET_SECCOMP", 0x15),
    ("PR_SET_SECCOMP", 0x16),
    ("PR_CAPBSET_READ", 0x17),
    ("PR_CAPBSET_DROP", 0x18),
    ("PR_GET_SECUREBITS", 0x1b),
    ("PR_SET_SECUREBITS", 0x1c),
    ("PR_MCE_KILL", 0x21),
    ("PR_MCE_KILL", 0x21),
    ("PR_SET_MM", 0x23),
    ("PR_SET_CHILD_SUBREAPER", 0x24),
    ("PR_GET_CHILD_SUBREAPER", 0x25),
    ("PR_SET_NO_NEW_PRIVS", 0x26),
    ("PR_GET_NO_NEW_PRIVS", 0x27),
    ("PR_GET_TID_ADDRESS", 0x28),
    ("PR_SET_THP_DISABLE", 0x29),
    ("PR_GET_THP_DISABLE", 0x2a),
    ("PR_CAP_AMBIENT", 0x2f),
];

/// Names of the values of the `MEMFD_CREATE_FLAGS` table.
pub static MEMFD_CREATE_FLAGS: &[(&str, u32)] =
    &[("MFD_CLOEXEC", 0x1), ("MFD_ALLOW_SEALING", 0x2), ("MFD_HUGETLB", 0x4)];

/// Names of the values of the `PIDFD_OPEN_FLAGS` table.
pub static PIDFD_OPEN_FLAGS: &[(&str, u32)] = &[("PIDFD_NONBLOCK", 0x1)];

/// Names of the values of the `FINIT_MODULE_FLAGS` table.
pub static FINIT_MODULE_FLAGS: &[(&str, u32)] = &[
    ("MODULE_INIT_IGNORE_MODVERSIONS", 0x1),
    ("MODULE_INIT_IGNORE_VERMAGIC", 0x2),
    ("MODULE_INIT_COMPRESSED_FILE", 0x4),
];

/// Names of the values of the `MKNOD_MODE` table.
pub static MKNOD_MODE: &[(&str, u32)] = &[
    ("S_IXOTH", 0x1),
    ("S_IWOTH", 0x2),
    ("S_IROTH", 0x4),
    ("S_IXGRP", 0x8),
    ("S_IWGRP", 0x10),
    ("S_IRGRP", 0x20),
    ("S_IXUSR", 0x40),
    ("S_IWUSR", 0x80),
    ("S_IRUSR", 0x100),
    ("S_ISVTX", 0x200),
    ("S_ISGID", 0x400),
    ("S_ISUID", 0x800),
    ("S_IFREG", 0x8000),
    ("S_IFCHR", 0x2000),
    ("S_IFBLK", 0x6000),
    ("S_IFIFO", 0x1000),
    ("S_IFSOCK", 0xc000),
];

/// Names of the values of the `NEWFSTATAT_FLAGS` table.
pub static NEWFSTATAT_FLAGS: &[(&str, u32)] =
    &[("AT_EMPTY_PATH", 0x1000), ("AT_NO_AUTOMOUNT", 0x800), ("AT_SYMLINK_NOFOLLOW", 0x100)];

/// Names of the values of the `DELETE_MODULE_FLAGS` table.
pub static DELETE_MODULE_FLAGS: &[(&str, u32)] = &[("O_NONBLOCK", 0x2), ("O_TRUNC", 0x1)];

/// Names of the values of the `EXECVE_FLAGS` table.
/// Today's libs adds values to `generated::EXECVE_FLAGS`.
pub static EXECVE_FLAGS: &[(&str, u32)] =
    &[("EXE_WRITABLE", 0x1), ("EXE_UPPER_LAYER", 0x2), ("EXE_FROM_MEMFD", 0x4), ("EXE_LOWER_LAYER", 0x8)];

/// Names of the values of the `ANON_INODE_FD_TYPES` table.
pub static ANON_INODE_FD_TYPES: &[(&str, u32)] = &[
    ("ANON_INODE_FD_TYPE_UNKNOWN", 0x0),
    ("ANON_INODE_FD_TYPE_EVENTFD", 0x1),
    ("ANON_INODE_FD_TYPE_EVENTPOLL", 0x2),
    ("ANON_INODE_FD_TYPE_INOTIFY", 0x3),
    ("ANON_INODE_FD_TYPE_SIGNALFD", 0x4),
    ("ANON_INODE_FD_TYPE_TIMERFD", 0x5),
    ("ANON_INODE_FD_TYPE_IO_URING", 0x6),
    ("ANON_INODE_FD_TYPE_USERFAULTFD", 0x7),
    ("ANON_INODE_FD_TYPE_PIDFD", 0x8),
    ("ANON_INODE_FD_TYPE_BPF_MAP", 0x9),
    ("ANON_INODE_FD_TYPE_BPF_PROG", 0xa),
    ("ANON_INODE_FD_TYPE_BPF_LINK", 0xb),
    ("ANON_INODE_FD_TYPE_BPF_ITER", 0xc),
    ("ANON_INODE_FD_TYPE_PERF_EVENT", 0xd),
];

/// Names of the values of the `CLOSE_RANGE_FLAGS` table.
pub static CLOSE_RANGE_FLAGS: &[(&str, u32)] = &[("CLOSE_RANGE_UNSHARE", 0x2), ("CLOSE_RANGE_CLOEXEC", 0x4)];

/// Names of the values of the `KEYCTL_OPERATIONS` table.
pub static KEYCTL_OPERATIONS: &[(&str, u32)] = &[
    ("KEYCTL_GET_KEYRING_ID", 0x0),
    ("KEYCTL_JOIN_SESSION_KEYRING", 0x1),
    ("KEYCTL_UPDATE", 0x2),
    ("KEYCTL_REVOKE", 0x3),
    ("KEYCTL_CHOWN", 0x4),
    ("KEYCTL_SETPERM", 0x5),
    ("KEYCTL_DESCRIBE", 0x6),
    ("KEYCTL_CLEAR", 0x7),
    ("KEYCTL_LINK", 0x8),
    ("KEYCTL_UNLINK", 0x9),
    ("KEYCTL_SEARCH", 0xa),
    ("KEYCTL_READ", 0xb),
    ("KEYCTL_INSTANTIATE", 0xc),
    ("KEYCTL_NEGATE", 0xd),
    ("KEYCTL_SET_REQKEY_KEYRING", 0xe),
    ("KEYCTL_SET_TIMEOUT", 0xf),
    ("KEYCTL_ASSUME_AUTHORITY", 0x10),
    ("KEYCTL_GET_SECURITY", 0x11),
    ("KEYCTL_SESSION_TO_PARENT", 0x12),
    ("KEYCTL_REJECT", 0x13),
    ("KEYCTL_INSTANTIATE_IOV", 0x14),
    ("KEYCTL_INVALIDATE", 0x15),
    ("KEYCTL_GET_PERSISTENT", 0x16),
    ("KEYCTL_DH_COMPUTE", 0x17),
    ("KEYCTL_PKEY_QUERY", 0x18),
    ("KEYCTL_PKEY_ENCRYPT", 0x19),
    ("KEYCTL_PKEY_DECRYPT", 0x1a),
    ("KEYCTL_PKEY_SIGN", 0x1b),
    ("KEYCTL_PKEY_VERIFY", 0x1c),
    ("KEYCTL_RESTRICT_KEYRING", 0x1d),
    ("KEYCTL_MOVE", 0x1e),
    ("KEYCTL_CAPABILITIES", 0x1f),
    ("KEYCTL_WATCH_KEY", 0x20),
];

/// Parameter layouts selected by the `KEYCTL_DYNAMIC_PARAM` dynamic parameter's index.
pub static KEYCTL_DYNAMIC_PARAM: &[P] = &[
    P { name: "", ty: ParamType::Int64, fmt: PrintFormat::Dec, extra: Extra::None },
    P { name: "", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
];

/// Event types from 336 on, indexed by `type - 336`.
pub static NEWER_EVENTS: [EventInfo; 118] = [
    // 336: SYSCALL_OPEN_BY_HANDLE_AT_E
    EventInfo { name: "open_by_handle_at", category: 0x202, flags: 0x221, params: &[] },
    // 337: SYSCALL_OPEN_BY_HANDLE_AT_X
    EventInfo {
        name: "open_by_handle_at",
        category: 0x202,
        flags: 0x21,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "mountfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "dev", ty: ParamType::Uint32, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "ino", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 338: SYSCALL_IO_URING_SETUP_E
    EventInfo { name: "io_uring_setup", category: 0x222, flags: 0x221, params: &[] },
    // 339: SYSCALL_IO_URING_SETUP_X
    EventInfo {
        name: "io_uring_setup",
        category: 0x222,
        flags: 0x21,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "entries", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sq_entries", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cq_entries", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "flags",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(IO_URING_SETUP_FLAGS),
            },
            P { name: "sq_thread_cpu", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sq_thread_idle", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "features",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(IO_URING_SETUP_FEATS),
            },
        ],
    },
    // 340: SYSCALL_IO_URING_ENTER_E
    EventInfo { name: "io_uring_enter", category: 0x222, flags: 0x200, params: &[] },
    // 341: SYSCALL_IO_URING_ENTER_X
    EventInfo {
        name: "io_uring_enter",
        category: 0x222,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "to_submit", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "min_complete", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "flags",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(IO_URING_ENTER_FLAGS),
            },
            P { name: "sig", ty: ParamType::Sigset, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 342: SYSCALL_IO_URING_REGISTER_E
    EventInfo { name: "io_uring_register", category: 0x222, flags: 0x200, params: &[] },
    // 343: SYSCALL_IO_URING_REGISTER_X
    EventInfo {
        name: "io_uring_register",
        category: 0x222,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "opcode",
                ty: ParamType::EnumFlags16,
                fmt: PrintFormat::Dec,
                extra: Extra::Flags(IO_URING_REGISTER_OPCODES),
            },
            P { name: "arg", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "nr_args", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 344: SYSCALL_MLOCK_E
    EventInfo { name: "mlock", category: 0x205, flags: 0x200, params: &[] },
    // 345: SYSCALL_MLOCK_X
    EventInfo {
        name: "mlock",
        category: 0x205,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "addr", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "len", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 346: SYSCALL_MUNLOCK_E
    EventInfo { name: "munlock", category: 0x205, flags: 0x200, params: &[] },
    // 347: SYSCALL_MUNLOCK_X
    EventInfo {
        name: "munlock",
        category: 0x205,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "addr", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "len", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 348: SYSCALL_MLOCKALL_E
    EventInfo { name: "mlockall", category: 0x205, flags: 0x200, params: &[] },
    // 349: SYSCALL_MLOCKALL_X
    EventInfo {
        name: "mlockall",
        category: 0x205,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(MLOCKALL_FLAGS) },
        ],
    },
    // 350: SYSCALL_MUNLOCKALL_E
    EventInfo { name: "munlockall", category: 0x205, flags: 0x200, params: &[] },
    // 351: SYSCALL_MUNLOCKALL_X
    EventInfo {
        name: "munlockall",
        category: 0x205,
        flags: 0x0,
        params: &[P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 352: SYSCALL_CAPSET_E
    EventInfo { name: "capset", category: 0x206, flags: 0x220, params: &[] },
    // 353: SYSCALL_CAPSET_X
    EventInfo {
        name: "capset",
        category: 0x206,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cap_inheritable", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "cap_permitted", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "cap_effective", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
        ],
    },
    // 354: USER_ADDED_E
    EventInfo {
        name: "useradded",
        category: 0x1006,
        flags: 0x20,
        params: &[
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "home", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "shell", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "container_id", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 355: USER_ADDED_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 356: USER_DELETED_E
    EventInfo {
        name: "userdeleted",
        category: 0x1006,
        flags: 0x20,
        params: &[
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "home", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "shell", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "container_id", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 357: USER_DELETED_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 358: GROUP_ADDED_E
    EventInfo {
        name: "groupadded",
        category: 0x1006,
        flags: 0x20,
        params: &[
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "container_id", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 359: GROUP_ADDED_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 360: GROUP_DELETED_E
    EventInfo {
        name: "groupdeleted",
        category: 0x1006,
        flags: 0x20,
        params: &[
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "container_id", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 361: GROUP_DELETED_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 362: SYSCALL_DUP2_E
    EventInfo {
        name: "dup2",
        category: 0x222,
        flags: 0x225,
        params: &[P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 363: SYSCALL_DUP2_X
    EventInfo {
        name: "dup2",
        category: 0x222,
        flags: 0x25,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "oldfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "newfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 364: SYSCALL_DUP3_E
    EventInfo {
        name: "dup3",
        category: 0x222,
        flags: 0x225,
        params: &[P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 365: SYSCALL_DUP3_X
    EventInfo {
        name: "dup3",
        category: 0x222,
        flags: 0x25,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "oldfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "newfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
        ],
    },
    // 366: SYSCALL_DUP_1_E
    EventInfo {
        name: "dup",
        category: 0x222,
        flags: 0x225,
        params: &[P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 367: SYSCALL_DUP_1_X
    EventInfo {
        name: "dup",
        category: 0x222,
        flags: 0x25,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "oldfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 368: SYSCALL_BPF_2_E
    EventInfo {
        name: "bpf",
        category: 0x201,
        flags: 0x201,
        params: &[P { name: "cmd", ty: ParamType::Int64, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 369: SYSCALL_BPF_2_X
    EventInfo {
        name: "bpf",
        category: 0x201,
        flags: 0x1,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cmd", ty: ParamType::EnumFlags32, fmt: PrintFormat::Dec, extra: Extra::Flags(BPF_COMMANDS) },
        ],
    },
    // 370: SYSCALL_MLOCK2_E
    EventInfo { name: "mlock2", category: 0x205, flags: 0x200, params: &[] },
    // 371: SYSCALL_MLOCK2_X
    EventInfo {
        name: "mlock2",
        category: 0x205,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "addr", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "len", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(MLOCK2_FLAGS) },
        ],
    },
    // 372: SYSCALL_FSCONFIG_E
    EventInfo { name: "fsconfig", category: 0x208, flags: 0x200, params: &[] },
    // 373: SYSCALL_FSCONFIG_X
    EventInfo {
        name: "fsconfig",
        category: 0x208,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cmd", ty: ParamType::EnumFlags32, fmt: PrintFormat::Dec, extra: Extra::Flags(FSCONFIG_CMDS) },
            P { name: "key", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "value_bytebuf", ty: ParamType::Bytebuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "value_charbuf", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "aux", ty: ParamType::Int32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 374: SYSCALL_EPOLL_CREATE_E
    EventInfo {
        name: "epoll_create",
        category: 0x240,
        flags: 0x1221,
        params: &[P { name: "size", ty: ParamType::Int32, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 375: SYSCALL_EPOLL_CREATE_X
    EventInfo {
        name: "epoll_create",
        category: 0x240,
        flags: 0x1021,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "size", ty: ParamType::Int32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 376: SYSCALL_EPOLL_CREATE1_E
    EventInfo {
        name: "epoll_create1",
        category: 0x240,
        flags: 0x1221,
        params: &[P {
            name: "flags",
            ty: ParamType::Flags32,
            fmt: PrintFormat::Hex,
            extra: Extra::Flags(EPOLL_CREATE1_FLAGS),
        }],
    },
    // 377: SYSCALL_EPOLL_CREATE1_X
    EventInfo {
        name: "epoll_create1",
        category: 0x240,
        flags: 0x1021,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "flags",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(EPOLL_CREATE1_FLAGS),
            },
        ],
    },
    // 378: SYSCALL_CHOWN_E
    EventInfo { name: "chown", category: 0x202, flags: 0x200, params: &[] },
    // 379: SYSCALL_CHOWN_X
    EventInfo {
        name: "chown",
        category: 0x202,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 380: SYSCALL_LCHOWN_E
    EventInfo { name: "lchown", category: 0x202, flags: 0x200, params: &[] },
    // 381: SYSCALL_LCHOWN_X
    EventInfo {
        name: "lchown",
        category: 0x202,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 382: SYSCALL_FCHOWN_E
    EventInfo { name: "fchown", category: 0x202, flags: 0x200, params: &[] },
    // 383: SYSCALL_FCHOWN_X
    EventInfo {
        name: "fchown",
        category: 0x202,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 384: SYSCALL_FCHOWNAT_E
    EventInfo { name: "fchownat", category: 0x202, flags: 0x200, params: &[] },
    // 385: SYSCALL_FCHOWNAT_X
    EventInfo {
        name: "fchownat",
        category: 0x202,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "dirfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pathname", ty: ParamType::Fsrelpath, fmt: PrintFormat::Na, extra: Extra::DirFd(1) },
            P { name: "uid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "gid", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FCHOWNAT_FLAGS) },
        ],
    },
    // 386: SYSCALL_UMOUNT_1_E
    EventInfo { name: "umount", category: 0x202, flags: 0x220, params: &[] },
    // 387: SYSCALL_UMOUNT_1_X
    EventInfo {
        name: "umount",
        category: 0x202,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 388: SOCKET_ACCEPT4_6_E
    EventInfo {
        name: "accept4",
        category: 0x203,
        flags: 0x1221,
        params: &[P { name: "flags", ty: ParamType::Int32, fmt: PrintFormat::Hex, extra: Extra::None }],
    },
    // 389: SOCKET_ACCEPT4_6_X
    EventInfo {
        name: "accept4",
        category: 0x203,
        flags: 0x1021,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "tuple", ty: ParamType::Socktuple, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "queuepct", ty: ParamType::Uint8, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "queuelen", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "queuemax", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Int32, fmt: PrintFormat::Hex, extra: Extra::None },
        ],
    },
    // 390: SYSCALL_UMOUNT2_E
    EventInfo {
        name: "umount2",
        category: 0x202,
        flags: 0x1220,
        params: &[P {
            name: "flags",
            ty: ParamType::Flags32,
            fmt: PrintFormat::Hex,
            extra: Extra::Flags(generated::UMOUNT_FLAGS),
        }],
    },
    // 391: SYSCALL_UMOUNT2_X
    EventInfo {
        name: "umount2",
        category: 0x202,
        flags: 0x1020,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P {
                name: "flags",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(generated::UMOUNT_FLAGS),
            },
        ],
    },
    // 392: SYSCALL_PIPE2_E
    EventInfo { name: "pipe2", category: 0x204, flags: 0x221, params: &[] },
    // 393: SYSCALL_PIPE2_X
    EventInfo {
        name: "pipe2",
        category: 0x204,
        flags: 0x21,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd1", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd2", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "ino", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
        ],
    },
    // 394: SYSCALL_INOTIFY_INIT1_E
    EventInfo { name: "inotify_init1", category: 0x204, flags: 0x221, params: &[] },
    // 395: SYSCALL_INOTIFY_INIT1_X
    EventInfo {
        name: "inotify_init1",
        category: 0x204,
        flags: 0x21,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags16, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
        ],
    },
    // 396: SYSCALL_EVENTFD2_E
    EventInfo {
        name: "eventfd2",
        category: 0x204,
        flags: 0x1221,
        params: &[P { name: "initval", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None }],
    },
    // 397: SYSCALL_EVENTFD2_X
    EventInfo {
        name: "eventfd2",
        category: 0x204,
        flags: 0x1021,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags16, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
            P { name: "initval", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 398: SYSCALL_SIGNALFD4_E
    EventInfo {
        name: "signalfd4",
        category: 0x209,
        flags: 0x1221,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "mask", ty: ParamType::Uint32, fmt: PrintFormat::Hex, extra: Extra::None },
        ],
    },
    // 399: SYSCALL_SIGNALFD4_X
    EventInfo {
        name: "signalfd4",
        category: 0x209,
        flags: 0x1021,
        params: &[
            P { name: "res", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags16, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "mask", ty: ParamType::Uint32, fmt: PrintFormat::Hex, extra: Extra::None },
        ],
    },
    // 400: SYSCALL_PRCTL_E
    EventInfo { name: "prctl", category: 0x206, flags: 0x220, params: &[] },
    // 401: SYSCALL_PRCTL_X
    EventInfo {
        name: "prctl",
        category: 0x206,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "option", ty: ParamType::EnumFlags32, fmt: PrintFormat::Dec, extra: Extra::Flags(PRCTL_OPTIONS) },
            P { name: "arg2_str", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "arg2_int", ty: ParamType::Int64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 402: ASYNCEVENT_E
    EventInfo {
        name: "asyncevent",
        category: 0x1001,
        flags: 0x800,
        params: &[
            P { name: "plugin_id", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "data", ty: ParamType::Bytebuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 403: ASYNCEVENT_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 404: SYSCALL_MEMFD_CREATE_E
    EventInfo { name: "memfd_create", category: 0x205, flags: 0x221, params: &[] },
    // 405: SYSCALL_MEMFD_CREATE_X
    EventInfo {
        name: "memfd_create",
        category: 0x205,
        flags: 0x21,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(MEMFD_CREATE_FLAGS) },
        ],
    },
    // 406: SYSCALL_PIDFD_GETFD_E
    EventInfo { name: "pidfd_getfd", category: 0x206, flags: 0x221, params: &[] },
    // 407: SYSCALL_PIDFD_GETFD_X
    EventInfo {
        name: "pidfd_getfd",
        category: 0x206,
        flags: 0x21,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pid_fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "target_fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Uint32, fmt: PrintFormat::Hex, extra: Extra::None },
        ],
    },
    // 408: SYSCALL_PIDFD_OPEN_E
    EventInfo { name: "pidfd_open", category: 0x206, flags: 0x221, params: &[] },
    // 409: SYSCALL_PIDFD_OPEN_X
    EventInfo {
        name: "pidfd_open",
        category: 0x206,
        flags: 0x21,
        params: &[
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pid", ty: ParamType::Pid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(PIDFD_OPEN_FLAGS) },
        ],
    },
    // 410: SYSCALL_INIT_MODULE_E
    EventInfo { name: "init_module", category: 0x201, flags: 0x200, params: &[] },
    // 411: SYSCALL_INIT_MODULE_X
    EventInfo {
        name: "init_module",
        category: 0x201,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "img", ty: ParamType::Bytebuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "length", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "uargs", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 412: SYSCALL_FINIT_MODULE_E
    EventInfo { name: "finit_module", category: 0x201, flags: 0x200, params: &[] },
    // 413: SYSCALL_FINIT_MODULE_X
    EventInfo {
        name: "finit_module",
        category: 0x201,
        flags: 0xc,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "fd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "uargs", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FINIT_MODULE_FLAGS) },
        ],
    },
    // 414: SYSCALL_MKNOD_E
    EventInfo { name: "mknod", category: 0x201, flags: 0x200, params: &[] },
    // 415: SYSCALL_MKNOD_X
    EventInfo {
        name: "mknod",
        category: 0x201,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "mode", ty: ParamType::Mode, fmt: PrintFormat::Oct, extra: Extra::Flags(MKNOD_MODE) },
            P { name: "dev", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 416: SYSCALL_MKNODAT_E
    EventInfo { name: "mknodat", category: 0x201, flags: 0x200, params: &[] },
    // 417: SYSCALL_MKNODAT_X
    EventInfo {
        name: "mknodat",
        category: 0x201,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "dirfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fsrelpath, fmt: PrintFormat::Na, extra: Extra::DirFd(1) },
            P { name: "mode", ty: ParamType::Mode, fmt: PrintFormat::Oct, extra: Extra::Flags(MKNOD_MODE) },
            P { name: "dev", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 418: SYSCALL_NEWFSTATAT_E
    EventInfo { name: "newfstatat", category: 0x202, flags: 0x200, params: &[] },
    // 419: SYSCALL_NEWFSTATAT_X
    EventInfo {
        name: "newfstatat",
        category: 0x202,
        flags: 0x4,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "dirfd", ty: ParamType::Fd, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fsrelpath, fmt: PrintFormat::Na, extra: Extra::DirFd(1) },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(NEWFSTATAT_FLAGS) },
        ],
    },
    // 420: SYSCALL_PROCESS_VM_READV_E
    EventInfo { name: "process_vm_readv", category: 0x204, flags: 0x200, params: &[] },
    // 421: SYSCALL_PROCESS_VM_READV_X
    EventInfo {
        name: "process_vm_readv",
        category: 0x204,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Int64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pid", ty: ParamType::Pid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "data", ty: ParamType::Bytebuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 422: SYSCALL_PROCESS_VM_WRITEV_E
    EventInfo { name: "process_vm_writev", category: 0x204, flags: 0x200, params: &[] },
    // 423: SYSCALL_PROCESS_VM_WRITEV_X
    EventInfo {
        name: "process_vm_writev",
        category: 0x204,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Int64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pid", ty: ParamType::Pid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "data", ty: ParamType::Bytebuf, fmt: PrintFormat::Na, extra: Extra::None },
        ],
    },
    // 424: SYSCALL_DELETE_MODULE_E
    EventInfo { name: "delete_module", category: 0x201, flags: 0x200, params: &[] },
    // 425: SYSCALL_DELETE_MODULE_X
    EventInfo {
        name: "delete_module",
        category: 0x201,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "name", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P {
                name: "flags",
                ty: ParamType::Flags32,
                fmt: PrintFormat::Hex,
                extra: Extra::Flags(DELETE_MODULE_FLAGS),
            },
        ],
    },
    // 426: SYSCALL_SETREUID_E
    EventInfo { name: "setreuid", category: 0x20a, flags: 0x220, params: &[] },
    // 427: SYSCALL_SETREUID_X
    EventInfo {
        name: "setreuid",
        category: 0x20a,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "ruid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "euid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 428: SYSCALL_SETREGID_E
    EventInfo { name: "setregid", category: 0x20a, flags: 0x200, params: &[] },
    // 429: SYSCALL_SETREGID_X
    EventInfo {
        name: "setregid",
        category: 0x20a,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "rgid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "egid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 430: ITER_TASK_E
    EventInfo {
        name: "task",
        category: 0x2006,
        flags: 0x20,
        params: &[
            P { name: "ppid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pgid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vpgid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "comm", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "argv", ty: ParamType::CharbufArray, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "exepath", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(EXECVE_FLAGS) },
            P { name: "env", ty: ParamType::CharbufArray, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "cwd", ty: ParamType::Charbuf, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "fdlimit", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "euid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "egid", ty: ParamType::Gid, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cap_permitted", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "cap_effective", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "cap_inheritable", ty: ParamType::Uint64, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "exe_ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "exe_ino_ctime", ty: ParamType::Abstime, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "exe_ino_mtime", ty: ParamType::Abstime, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vm_size", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vm_rss", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vm_swap", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pgft_maj", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pgft_min", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vtgid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "vpid", ty: ParamType::Pid32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "pidns_init_start_ts", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "cgroups", ty: ParamType::CharbufArray, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "root", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "start_time", ty: ParamType::Abstime, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "tty", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "loginuid", ty: ParamType::Uid, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 431: ITER_TASK_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 432: ITER_TASK_FILE_PIPE_E
    EventInfo {
        name: "task_file_pipe",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 433: ITER_TASK_FILE_PIPE_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 434: ITER_TASK_FILE_MEMFD_E
    EventInfo {
        name: "task_file_memfd",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 435: ITER_TASK_FILE_MEMFD_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 436: ITER_TASK_FILE_REGULAR_E
    EventInfo {
        name: "task_file_regular",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(FILE_FLAGS) },
            P { name: "mnt_id", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 437: ITER_TASK_FILE_REGULAR_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 438: ITER_TASK_FILE_DIRECTORY_E
    EventInfo {
        name: "task_file_directory",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 439: ITER_TASK_FILE_DIRECTORY_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 440: ITER_TASK_FILE_SOCKET_INET_E
    EventInfo {
        name: "task_file_socket_inet",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_type", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_proto", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "local_ip", ty: ParamType::Ipv4Addr, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "local_port", ty: ParamType::Port, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "remote_ip", ty: ParamType::Ipv4Addr, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "remote_port", ty: ParamType::Port, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 441: ITER_TASK_FILE_SOCKET_INET_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 442: ITER_TASK_FILE_SOCKET_INET6_E
    EventInfo {
        name: "task_file_socket_inet6",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_type", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_proto", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "local_ip", ty: ParamType::Ipv6Addr, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "local_port", ty: ParamType::Port, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "remote_ip", ty: ParamType::Ipv6Addr, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "remote_port", ty: ParamType::Port, fmt: PrintFormat::Hex, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 443: ITER_TASK_FILE_SOCKET_INET6_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 444: ITER_TASK_FILE_SOCKET_UNIX_E
    EventInfo {
        name: "task_file_socket_unix",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_type", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_proto", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_pointer", ty: ParamType::Uint64, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "sun_path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 445: ITER_TASK_FILE_SOCKET_UNIX_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 446: ITER_TASK_FILE_SOCKET_NETLINK_E
    EventInfo {
        name: "task_file_socket_netlink",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_type", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "sk_proto", ty: ParamType::Uint16, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 447: ITER_TASK_FILE_SOCKET_NETLINK_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 448: ITER_TASK_FILE_ANON_INODE_E
    EventInfo {
        name: "task_file_anon_inode",
        category: 0x2002,
        flags: 0x20,
        params: &[
            P { name: "fd", ty: ParamType::Fd32, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "fd_type",
                ty: ParamType::Flags8,
                fmt: PrintFormat::Dec,
                extra: Extra::Flags(ANON_INODE_FD_TYPES),
            },
            P { name: "path", ty: ParamType::Fspath, fmt: PrintFormat::Na, extra: Extra::None },
            P { name: "ino_num", ty: ParamType::Uint64, fmt: PrintFormat::Dec, extra: Extra::None },
        ],
    },
    // 449: ITER_TASK_FILE_ANON_INODE_X
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 450: SYSCALL_CLOSE_RANGE_E
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 451: SYSCALL_CLOSE_RANGE_X
    EventInfo {
        name: "close_range",
        category: 0x222,
        flags: 0x20,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "first", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "last", ty: ParamType::Uint32, fmt: PrintFormat::Dec, extra: Extra::None },
            P { name: "flags", ty: ParamType::Flags32, fmt: PrintFormat::Hex, extra: Extra::Flags(CLOSE_RANGE_FLAGS) },
        ],
    },
    // 452: SYSCALL_KEYCTL_E
    EventInfo { name: "NA", category: 0x0, flags: 0x40, params: &[] },
    // 453: SYSCALL_KEYCTL_X
    EventInfo {
        name: "keyctl",
        category: 0x201,
        flags: 0x0,
        params: &[
            P { name: "res", ty: ParamType::Errno, fmt: PrintFormat::Dec, extra: Extra::None },
            P {
                name: "operation",
                ty: ParamType::EnumFlags32,
                fmt: PrintFormat::Dec,
                extra: Extra::Flags(KEYCTL_OPERATIONS),
            },
            P { name: "arg2", ty: ParamType::Dyn, fmt: PrintFormat::Dec, extra: Extra::Dynamic(KEYCTL_DYNAMIC_PARAM) },
            P { name: "arg3", ty: ParamType::Dyn, fmt: PrintFormat::Dec, extra: Extra::Dynamic(KEYCTL_DYNAMIC_PARAM) },
            P { name: "arg4", ty: ParamType::Dyn, fmt: PrintFormat::Dec, extra: Extra::Dynamic(KEYCTL_DYNAMIC_PARAM) },
            P { name: "arg5", ty: ParamType::Dyn, fmt: PrintFormat::Dec, extra: Extra::Dynamic(KEYCTL_DYNAMIC_PARAM) },
        ],
    },
];

/// Event numbers of the types above (libscap's `PPME_*` names without the prefix).
pub mod ev_newer {
    pub const SYSCALL_OPEN_BY_HANDLE_AT_E: u16 = 336;
    pub const SYSCALL_OPEN_BY_HANDLE_AT_X: u16 = 337;
    pub const SYSCALL_IO_URING_SETUP_E: u16 = 338;
    pub const SYSCALL_IO_URING_SETUP_X: u16 = 339;
    pub const SYSCALL_IO_URING_ENTER_E: u16 = 340;
    pub const SYSCALL_IO_URING_ENTER_X: u16 = 341;
    pub const SYSCALL_IO_URING_REGISTER_E: u16 = 342;
    pub const SYSCALL_IO_URING_REGISTER_X: u16 = 343;
    pub const SYSCALL_MLOCK_E: u16 = 344;
    pub const SYSCALL_MLOCK_X: u16 = 345;
    pub const SYSCALL_MUNLOCK_E: u16 = 346;
    pub const SYSCALL_MUNLOCK_X: u16 = 347;
    pub const SYSCALL_MLOCKALL_E: u16 = 348;
    pub const SYSCALL_MLOCKALL_X: u16 = 349;
    pub const SYSCALL_MUNLOCKALL_E: u16 = 350;
    pub const SYSCALL_MUNLOCKALL_X: u16 = 351;
    pub const SYSCALL_CAPSET_E: u16 = 352;
    pub const SYSCALL_CAPSET_X: u16 = 353;
    pub const USER_ADDED_E: u16 = 354;
    pub const USER_ADDED_X: u16 = 355;
    pub const USER_DELETED_E: u16 = 356;
    pub const USER_DELETED_X: u16 = 357;
    pub const GROUP_ADDED_E: u16 = 358;
    pub const GROUP_ADDED_X: u16 = 359;
    pub const GROUP_DELETED_E: u16 = 360;
    pub const GROUP_DELETED_X: u16 = 361;
    pub const SYSCALL_DUP2_E: u16 = 362;
    pub const SYSCALL_DUP2_X: u16 = 363;
    pub const SYSCALL_DUP3_E: u16 = 364;
    pub const SYSCALL_DUP3_X: u16 = 365;
    pub const SYSCALL_DUP_1_E: u16 = 366;
    pub const SYSCALL_DUP_1_X: u16 = 367;
    pub const SYSCALL_BPF_2_E: u16 = 368;
    pub const SYSCALL_BPF_2_X: u16 = 369;
    pub const SYSCALL_MLOCK2_E: u16 = 370;
    pub const SYSCALL_MLOCK2_X: u16 = 371;
    pub const SYSCALL_FSCONFIG_E: u16 = 372;
    pub const SYSCALL_FSCONFIG_X: u16 = 373;
    pub const SYSCALL_EPOLL_CREATE_E: u16 = 374;
    pub const SYSCALL_EPOLL_CREATE_X: u16 = 375;
    pub const SYSCALL_EPOLL_CREATE1_E: u16 = 376;
    pub const SYSCALL_EPOLL_CREATE1_X: u16 = 377;
    pub const SYSCALL_CHOWN_E: u16 = 378;
    pub const SYSCALL_CHOWN_X: u16 = 379;
    pub const SYSCALL_LCHOWN_E: u16 = 380;
    pub const SYSCALL_LCHOWN_X: u16 = 381;
    pub const SYSCALL_FCHOWN_E: u16 = 382;
    pub const SYSCALL_FCHOWN_X: u16 = 383;
    pub const SYSCALL_FCHOWNAT_E: u16 = 384;
    pub const SYSCALL_FCHOWNAT_X: u16 = 385;
    pub const SYSCALL_UMOUNT_1_E: u16 = 386;
    pub const SYSCALL_UMOUNT_1_X: u16 = 387;
    pub const SOCKET_ACCEPT4_6_E: u16 = 388;
    pub const SOCKET_ACCEPT4_6_X: u16 = 389;
    pub const SYSCALL_UMOUNT2_E: u16 = 390;
    pub const SYSCALL_UMOUNT2_X: u16 = 391;
    pub const SYSCALL_PIPE2_E: u16 = 392;
    pub const SYSCALL_PIPE2_X: u16 = 393;
    pub const SYSCALL_INOTIFY_INIT1_E: u16 = 394;
    pub const SYSCALL_INOTIFY_INIT1_X: u16 = 395;
    pub const SYSCALL_EVENTFD2_E: u16 = 396;
    pub const SYSCALL_EVENTFD2_X: u16 = 397;
    pub const SYSCALL_SIGNALFD4_E: u16 = 398;
    pub const SYSCALL_SIGNALFD4_X: u16 = 399;
    pub const SYSCALL_PRCTL_E: u16 = 400;
    pub const SYSCALL_PRCTL_X: u16 = 401;
    pub const ASYNCEVENT_E: u16 = 402;
    pub const ASYNCEVENT_X: u16 = 403;
    pub const SYSCALL_MEMFD_CREATE_E: u16 = 404;
    pub const SYSCALL_MEMFD_CREATE_X: u16 = 405;
    pub const SYSCALL_PIDFD_GETFD_E: u16 = 406;
    pub const SYSCALL_PIDFD_GETFD_X: u16 = 407;
    pub const SYSCALL_PIDFD_OPEN_E: u16 = 408;
    pub const SYSCALL_PIDFD_OPEN_X: u16 = 409;
    pub const SYSCALL_INIT_MODULE_E: u16 = 410;
    pub const SYSCALL_INIT_MODULE_X: u16 = 411;
    pub const SYSCALL_FINIT_MODULE_E: u16 = 412;
    pub const SYSCALL_FINIT_MODULE_X: u16 = 413;
    pub const SYSCALL_MKNOD_E: u16 = 414;
    pub const SYSCALL_MKNOD_X: u16 = 415;
    pub const SYSCALL_MKNODAT_E: u16 = 416;
    pub const SYSCALL_MKNODAT_X: u16 = 417;
    pub const SYSCALL_NEWFSTATAT_E: u16 = 418;
    pub const SYSCALL_NEWFSTATAT_X: u16 = 419;
    pub const SYSCALL_PROCESS_VM_READV_E: u16 = 420;
    pub const SYSCALL_PROCESS_VM_READV_X: u16 = 421;
    pub const SYSCALL_PROCESS_VM_WRITEV_E: u16 = 422;
    pub const SYSCALL_PROCESS_VM_WRITEV_X: u16 = 423;
    pub const SYSCALL_DELETE_MODULE_E: u16 = 424;
    pub const SYSCALL_DELETE_MODULE_X: u16 = 425;
    pub const SYSCALL_SETREUID_E: u16 = 426;
    pub const SYSCALL_SETREUID_X: u16 = 427;
    pub const SYSCALL_SETREGID_E: u16 = 428;
    pub const SYSCALL_SETREGID_X: u16 = 429;
    pub const ITER_TASK_E: u16 = 430;
    pub const ITER_TASK_X: u16 = 431;
    pub const ITER_TASK_FILE_PIPE_E: u16 = 432;
    pub const ITER_TASK_FILE_PIPE_X: u16 = 433;
    pub const ITER_TASK_FILE_MEMFD_E: u16 = 434;
    pub const ITER_TASK_FILE_MEMFD_X: u16 = 435;
    pub const ITER_TASK_FILE_REGULAR_E: u16 = 436;
    pub const ITER_TASK_FILE_REGULAR_X: u16 = 437;
    pub const ITER_TASK_FILE_DIRECTORY_E: u16 = 438;
    pub const ITER_TASK_FILE_DIRECTORY_X: u16 = 439;
    pub const ITER_TASK_FILE_SOCKET_INET_E: u16 = 440;
    pub const ITER_TASK_FILE_SOCKET_INET_X: u16 = 441;
    pub const ITER_TASK_FILE_SOCKET_INET6_E: u16 = 442;
    pub const ITER_TASK_FILE_SOCKET_INET6_X: u16 = 443;
    pub const ITER_TASK_FILE_SOCKET_UNIX_E: u16 = 444;
    pub const ITER_TASK_FILE_SOCKET_UNIX_X: u16 = 445;
    pub const ITER_TASK_FILE_SOCKET_NETLINK_E: u16 = 446;
    pub const ITER_TASK_FILE_SOCKET_NETLINK_X: u16 = 447;
    pub const ITER_TASK_FILE_ANON_INODE_E: u16 = 448;
    pub const ITER_TASK_FILE_ANON_INODE_X: u16 = 449;
    pub const SYSCALL_CLOSE_RANGE_E: u16 = 450;
    pub const SYSCALL_CLOSE_RANGE_X: u16 = 451;
    pub const SYSCALL_KEYCTL_E: u16 = 452;
    pub const SYSCALL_KEYCTL_X: u16 = 453;
}

#[cfg(test)]
mod tests {
    use super::super::{category, event_info, flags, is_enter, EVENT_MAX, SYSDIG_0_29_EVENT_MAX};
    use super::*;

    fn info(event_type: u16) -> &'static EventInfo {
        &NEWER_EVENTS[usize::from(event_type - SYSDIG_0_29_EVENT_MAX)]
    }

    fn layout(info: &EventInfo) -> Vec<(&'static str, ParamType)> {
        info.params.iter().map(|p| (p.name, p.ty)).collect()
    }

    #[test]
    fn table_runs_from_336_to_todays_event_max() {
        assert_eq!(SYSDIG_0_29_EVENT_MAX, 336);
        assert_eq!(NEWER_EVENTS.len(), 454 - 336);
        assert_eq!(EVENT_MAX, 454);
        assert_eq!(ev_newer::SYSCALL_OPEN_BY_HANDLE_AT_E, 336);
        assert_eq!(ev_newer::SYSCALL_KEYCTL_X, EVENT_MAX - 1);
    }

    #[test]
    fn user_and_group_added_have_their_params() {
        assert_eq!(ev_newer::USER_ADDED_E, 354);
        assert_eq!(ev_newer::GROUP_ADDED_E, 358);

        let user = event_info(ev_newer::USER_ADDED_E).expect("useradded");
        assert_eq!(user.name, "useradded");
        assert_eq!(user.category, category::PROCESS | category::METAEVENT);
        assert_eq!(user.flags, flags::MODIFIES_STATE);
        assert_eq!(
            layout(user),
            [
                ("uid", ParamType::Uint32),
                ("gid", ParamType::Uint32),
                ("name", ParamType::Charbuf),
                ("home", ParamType::Charbuf),
                ("shell", ParamType::Charbuf),
                ("container_id", ParamType::Charbuf),
            ]
        );

        let group = event_info(ev_newer::GROUP_ADDED_E).expect("groupadded");
        assert_eq!(group.name, "groupadded");
        assert_eq!(
            layout(group),
            [("gid", ParamType::Uint32), ("name", ParamType::Charbuf), ("container_id", ParamType::Charbuf),]
        );
        assert_eq!(category::name(group.category), "process");

        for exit in [ev_newer::USER_ADDED_X, ev_newer::GROUP_ADDED_X] {
            let unused = info(exit);
            assert_eq!(unused.name, "NA");
            assert_eq!(unused.flags, flags::UNUSED);
            assert!(unused.params.is_empty());
        }
        assert_eq!(info(ev_newer::USER_DELETED_E).name, "userdeleted");
        assert_eq!(info(ev_newer::GROUP_DELETED_E).name, "groupdeleted");
    }

    #[test]
    fn every_entry_has_a_name_and_sane_params() {
        for (idx, info) in NEWER_EVENTS.iter().enumerate() {
            let event_type = SYSDIG_0_29_EVENT_MAX as usize + idx;
            assert!(!info.name.is_empty(), "type {event_type} has a name");
            if info.name == "NA" {
                assert_eq!(info.category, category::UNKNOWN, "type {event_type}");
                assert_eq!(info.flags, flags::UNUSED, "type {event_type}");
                assert!(info.params.is_empty(), "type {event_type}");
                continue;
            }
            assert_ne!(info.category & (category::SYSCALL - 1), category::UNKNOWN, "type {event_type} has a category");
            for param in info.params {
                assert!(!param.name.is_empty(), "type {event_type}");
                match param.ty {
                    ParamType::Flags8
                    | ParamType::Flags16
                    | ParamType::Flags32
                    | ParamType::EnumFlags8
                    | ParamType::EnumFlags16
                    | ParamType::EnumFlags32
                    | ParamType::Mode => assert!(
                        matches!(param.extra, Extra::Flags(table) if !table.is_empty()),
                        "type {event_type} {} names its values",
                        param.name
                    ),
                    ParamType::Fsrelpath => {
                        let Extra::DirFd(dirfd) = param.extra else {
                            panic!("type {event_type} {} has a dirfd", param.name)
                        };
                        assert_eq!(info.params[usize::from(dirfd)].ty, ParamType::Fd);
                    }
                    ParamType::Dyn => assert!(
                        matches!(param.extra, Extra::Dynamic(layouts) if !layouts.is_empty()),
                        "type {event_type} {} has layouts",
                        param.name
                    ),
                    _ => assert!(matches!(param.extra, Extra::None), "type {event_type}"),
                }
            }
        }
    }

    #[test]
    fn enter_and_exit_events_alternate() {
        for pair in (SYSDIG_0_29_EVENT_MAX..EVENT_MAX).step_by(2) {
            let (enter, exit) = (pair, pair + 1);
            assert!(is_enter(enter) && !is_enter(exit), "{enter}/{exit}");
            let (enter_info, exit_info) = (info(enter), info(exit));
            // A pair shares its name, unless one half is an unused `NA` slot.
            if enter_info.name != "NA" && exit_info.name != "NA" {
                assert_eq!(enter_info.name, exit_info.name, "{enter}/{exit}");
                assert_eq!(enter_info.category, exit_info.category, "{enter}/{exit}");
            }
            assert!(enter_info.name != "NA" || exit_info.name != "NA", "{enter}/{exit} has a used half");
        }
        assert_eq!(info(ev_newer::SYSCALL_DUP2_E).name, "dup2");
        assert_eq!(info(ev_newer::SYSCALL_DUP2_X).name, "dup2");
        assert_eq!(info(ev_newer::SYSCALL_KEYCTL_E).name, "NA");
        assert_eq!(info(ev_newer::SYSCALL_KEYCTL_X).name, "keyctl");
    }

    #[test]
    fn newer_param_types_and_tables() {
        let task = info(ev_newer::ITER_TASK_E);
        assert_eq!(task.name, "task");
        assert_eq!(task.params.len(), 32);
        assert_eq!(task.params[0].ty, ParamType::Pid32);
        assert_eq!(category::name(task.category), "process");
        assert_eq!(info(ev_newer::ITER_TASK_FILE_PIPE_E).params[0].ty, ParamType::Fd32);

        let fchownat = info(ev_newer::SYSCALL_FCHOWNAT_X);
        assert_eq!(fchownat.params[2].name, "pathname");
        assert!(matches!(fchownat.params[2].extra, Extra::DirFd(1)));

        let bpf = info(ev_newer::SYSCALL_BPF_2_X);
        let Extra::Flags(commands) = bpf.params[1].extra else { panic!("bpf cmd names its values") };
        assert_eq!(super::super::flag_name(commands, 5), Some("BPF_PROG_LOAD"));

        let Extra::Flags(file_flags) = info(ev_newer::SYSCALL_DUP3_X).params[3].extra else {
            panic!("dup3 flags name their values")
        };
        assert_eq!(super::super::flag_name(file_flags, 0x4000), Some("O_F_CREATED"));

        let Extra::Dynamic(layouts) = info(ev_newer::SYSCALL_KEYCTL_X).params[2].extra else {
            panic!("keyctl arg2 is dynamic")
        };
        assert_eq!(layouts.len(), 2);
        assert_eq!(layouts[1].ty, ParamType::Charbuf);

        assert!(super::super::has_large_params(ev_newer::ASYNCEVENT_E));
        assert_eq!(category::name(info(ev_newer::ASYNCEVENT_E).category), "other");
        assert_eq!(info(ev_newer::SYSCALL_EPOLL_CREATE1_X).flags & CONVERTER_MANAGED, CONVERTER_MANAGED);
        assert_eq!(category::name(info(ev_newer::SYSCALL_IO_URING_SETUP_X).category), "I/O");
    }
}
