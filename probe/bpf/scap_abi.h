// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* scap_abi.h: the records the probe writes into its ring buffers and the tables the loader
 * fills. This header is the single source of truth for the kernel/user ABI; the Rust mirror in
 * probe/src/abi.rs carries compile-time size and offset checks against these layouts.
 *
 * Every record starts with struct scap_hdr. Syscall records (enter and exit) continue with
 * struct scap_sys and a sequence of items (struct scap_item + len bytes each), one per argument
 * the syscall's spec asks the probe to dereference (a path, a buffer, a sockaddr, ...).
 * Userspace (probe/src/decode) turns records into libscap-layout events.
 */
#ifndef SCAP_ABI_H
#define SCAP_ABI_H

#define SCAP_ABI_VERSION 1

/* Record kinds (scap_hdr.kind). */
#define SCAP_REC_SYS_ENTER 1
#define SCAP_REC_SYS_EXIT 2
#define SCAP_REC_PROC_EXIT 3
#define SCAP_REC_SCHED_SWITCH 4
#define SCAP_REC_PAGE_FAULT 5
#define SCAP_REC_SIGNAL 6
#define SCAP_REC_PROCINFO 7

/* Argument kinds of a syscall spec: what the probe reads for args[i]. */
#define SCAP_ARG_NONE 0
#define SCAP_ARG_STR 1             /* NUL-terminated user string at args[i] */
#define SCAP_ARG_BUF_RET 2         /* user buffer at args[i], ret bytes (exit), up to snaplen */
#define SCAP_ARG_BUF_LEN 3         /* user buffer at args[i], args[i+1] bytes, up to snaplen */
#define SCAP_ARG_IOV_RET 4         /* iovec array at args[i], args[i+1] entries, ret bytes */
#define SCAP_ARG_IOV_LEN 5         /* iovec array at args[i], args[i+1] entries, all bytes */
#define SCAP_ARG_SOCKADDR 6        /* sockaddr at args[i], args[i+1] bytes */
#define SCAP_ARG_SOCKADDR_LENPTR 7 /* sockaddr at args[i], length in the int at args[i+1] */
#define SCAP_ARG_FD_SOCK 8         /* the socket behind fd args[i] (struct scap_sock) */
#define SCAP_ARG_RET_SOCK 9        /* the socket behind the fd returned */
#define SCAP_ARG_MSGHDR_RET 10     /* msghdr at args[i]: its name, then ret bytes of its iovecs */
#define SCAP_ARG_MSGHDR_LEN 11     /* msghdr at args[i]: its name, then all bytes of its iovecs */
#define SCAP_ARG_INT2 12           /* two ints at args[i] (pipe, socketpair fds) */
#define SCAP_ARG_MEM8 13           /* 8 bytes at args[i] */
#define SCAP_ARG_MEM16 14          /* 16 bytes at args[i] (timespec, rlimit) */
#define SCAP_ARG_POLLFDS 15        /* pollfd array at args[i], args[i+1] entries */
#define SCAP_ARG_RET_FILE 16       /* dev and ino of the file behind the fd returned */
#define SCAP_ARG_PROC 17           /* the current task (struct scap_proc, then args, env) */
#define SCAP_ARG_BUF_LENPTR 18     /* user buffer at args[i], length in the int at args[i+1] */
#define SCAP_ARG_FD_FILE 19        /* dev and ino of the file behind fd args[i] */
#define SCAP_ARG_INT2_SOCK 20      /* two fds at args[i] and their sockets (socketpair) */
#define SCAP_ARG_MEM4 21           /* 4 bytes at args[i] */
#define SCAP_ARG_MEM24 22          /* 24 bytes at args[i] (three uids) */
#define SCAP_ARG_INT2_FILE 23      /* two fds at args[i] and the file of the first (pipe ino) */
#define SCAP_ARG_VM 24             /* the current task's memory counters (struct scap_vm) */
#define SCAP_ARG_IOV_TOTAL 25      /* the byte total of the iovec array at args[i], args[i+1] entries (u64) */
#define SCAP_ARG_MSGHDR_TOTAL 26   /* the byte total of the iovecs of the msghdr at args[i] (u64) */
#define SCAP_ARG_FD_BACKLOG 27     /* the accept queue of the listening socket fd args[i] (two u32) */
#define SCAP_ARG_PEEK8 28          /* ptrace: 8 bytes at args[i] when args[0] is a PEEK request that succeeded */

/* Item kinds that are not argument kinds: extra parts some argument kinds produce. */
#define SCAP_ITEM_ARGS 64          /* the current task's argv area */
#define SCAP_ITEM_ENV 65           /* the current task's environment area */
#define SCAP_ITEM_UNIX_PATH 66     /* the path of a unix socket (its own, else its peer's) */
#define SCAP_ITEM_IOV 67           /* bytes gathered from iovecs */
#define SCAP_ITEM_EXE 68           /* the name of the executable's dentry */
#define SCAP_ITEM_CGROUP 69        /* cgroup v2 path components, leaf first, NUL separated */
#define SCAP_ITEM_CWD 70           /* working directory components, leaf first, NUL separated */

/* Spec flags (scap_spec.flags). */
#define SCAP_SPEC_ON 1          /* capture this syscall */
#define SCAP_SPEC_LIFECYCLE 2   /* write it to the lifecycle ring (clone, execve) */
#define SCAP_SPEC_SHORT_ENTER 4 /* enter is a generic event: a short record (no args, no items) */
#define SCAP_SPEC_SHORT_EXIT 8  /* exit is a generic event: a short record (no args, no items) */

#define SCAP_SPEC_ARGS 6

/* What the probe reads for one syscall number (one ARRAY entry per number). */
struct scap_spec {
	__u8 enter[SCAP_SPEC_ARGS];
	__u8 exit[SCAP_SPEC_ARGS];
	__u8 flags;
	__u8 pad[3];
};

struct scap_hdr {
	__u64 ts;   /* bpf_ktime_get_ns() */
	__u32 tid;  /* task pid */
	__u32 pid;  /* task tgid */
	__u32 len;  /* whole record, header included */
	__u16 kind; /* SCAP_REC_* */
	__u16 cpu;
};

/* The fixed part every syscall record starts with. A record of just this (h.len == 40) is a
 * short record: the syscall routes to a generic event, which carries no argument. */
struct scap_sys_head {
	struct scap_hdr h;
	__u32 nr;      /* x86_64 syscall number */
	__u32 n_items; /* items that follow */
	__s64 ret;     /* return value (exit records) */
};

struct scap_sys {
	struct scap_hdr h;
	__u32 nr;      /* x86_64 syscall number */
	__u32 n_items; /* items that follow */
	__s64 ret;     /* return value (exit records) */
	__u64 args[6]; /* raw arguments */
};

struct scap_item {
	__u16 len; /* bytes after this header */
	__u8 kind; /* SCAP_ARG_* or SCAP_ITEM_* */
	__u8 arg;  /* argument index it belongs to */
};

/* A socket, as SCAP_ARG_FD_SOCK and SCAP_ARG_RET_SOCK report it. */
struct scap_sock {
	__u16 family; /* AF_* */
	__u16 type;   /* SOCK_* */
	__u16 proto;  /* IPPROTO_* */
	__u16 lport;  /* host order */
	__u16 rport;  /* host order */
	__u16 pad[3];
	__u8 laddr[16];
	__u8 raddr[16];
	__u64 sk;   /* kernel address of the sock (unix sockets) */
	__u64 peer; /* kernel address of the peer sock (unix sockets) */
};

/* A file, as SCAP_ARG_RET_FILE and SCAP_ARG_FD_FILE report it. */
struct scap_file {
	__u64 ino;
	__u32 dev;   /* new_encode_dev of the superblock's s_dev */
	__u32 flags; /* f_flags */
};

/* Memory counters of the current task, as SCAP_ARG_VM reports them. */
struct scap_vm {
	__u32 vm_size_kb, vm_rss_kb, vm_swap_kb;
	__u32 pad;
};

/* The current task, as SCAP_ARG_PROC reports it. */
struct scap_proc {
	__u32 tid, pid, ptid;
	__u32 vtid, vpid;
	__u32 sid, pgid;
	__u32 uid, gid, loginuid;
	__u32 tty;
	__u32 exe_writable;
	__u64 cap_inheritable, cap_permitted, cap_effective;
	__u64 fdlimit;
	__u64 pgft_maj, pgft_min;
	__u32 vm_size_kb, vm_rss_kb, vm_swap_kb;
	__u32 pad;
	__u64 start_ts;
	__u64 exe_ino;
	char comm[16];
};

struct scap_proc_exit {
	struct scap_hdr h;
	__s32 exit_code; /* task->exit_code: status << 8 | core << 7 | signal */
	__u32 group_dead;
	__u32 ptid; /* real parent's tgid */
	__u32 reaper; /* who adopts the children, 0 when unknown */
};

struct scap_switch {
	struct scap_hdr h;
	__u32 next_tid;
	__u32 pad;
	__u64 pgft_maj, pgft_min;
	__u32 vm_size_kb, vm_rss_kb, vm_swap_kb;
	__u32 pad2;
};

struct scap_fault {
	struct scap_hdr h;
	__u64 addr;
	__u64 ip;
	__u64 error;
};

struct scap_signal {
	struct scap_hdr h;
	__u32 spid;
	__u32 dpid;
	__u32 sig;
	__u32 pad;
};

/* CPU time of one thread, written for every thread in scope once a second by the task
 * iterator the drain thread runs (libscap's procinfo event). Units are USER_HZ clock ticks
 * (1/100 s), as /proc/PID/stat and sysdig's kernel module report them. */
struct scap_procinfo {
	struct scap_hdr h;
	__u64 utime_ticks;
	__u64 stime_ticks;
};

#define SCAP_USER_HZ 100

/* Per-CPU counters (the stats PERCPU_ARRAY, one entry). */
struct scap_counters {
	__u64 events;        /* unused: userspace counts the records it receives (cheaper) */
	__u64 drops_buffer;  /* records lost: ring full */
	__u64 drops_other;   /* items cut from records: failed reads of user memory, full record */
	__u64 lifecycle_drops; /* lifecycle records lost: lifecycle ring full */
};

/* Ring selection and buffer sizes. */
#define SCAP_MAX_RINGS 256
#define SCAP_SCRATCH_HALF 32768
#define SCAP_SCRATCH_SIZE (3 * SCAP_SCRATCH_HALF)
#define SCAP_MAX_STR 4096
#define SCAP_MAX_IOV 16
#define SCAP_MAX_POLLFDS 32
#define SCAP_PROC_AREA 4096

/* Filter modes (bits of the filter_mode global). */
#define SCAP_FILTER_PIDS 1
#define SCAP_FILTER_CGROUP 2

/* Pid bitmap: one bit per tgid, SCAP_PID_WORDS * 64 pids. */
#define SCAP_PID_WORDS 65536

#endif
