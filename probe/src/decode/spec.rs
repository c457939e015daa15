//! What the probe reads for each x86_64 syscall: the table the loader writes into the `specs`
//! map. Every syscall is captured (as a generic event when nothing more is known); the ones
//! listed here get their pointer arguments dereferenced so that the events carry full
//! parameters in libscap's layouts (see `super::sys`).

use scap_common::schema::{self, ev};

use crate::abi::{arg::*, Spec, SPEC_LIFECYCLE, SPEC_ON, SPEC_SHORT_ENTER, SPEC_SHORT_EXIT};

/// One entry: syscall number, what to read at enter and at exit (per argument slot), lifecycle.
type Row = (i64, [u8; 6], [u8; 6], bool);

const N: [u8; 6] = [0; 6];

/// Syscalls whose arguments the probe dereferences. Slot 5 holds kinds that use no argument
/// (the returned fd's file or socket, the process) when the syscall has fewer than six.
const ROWS: &[Row] = &[
    (libc::SYS_read, N, [0, BUF_RET, 0, 0, 0, 0], false),
    (libc::SYS_write, N, [0, BUF_RET, 0, 0, 0, 0], false),
    (libc::SYS_pread64, N, [0, BUF_RET, 0, 0, 0, 0], false),
    (libc::SYS_pwrite64, N, [0, BUF_RET, 0, 0, 0, 0], false),
    (libc::SYS_readv, N, [0, IOV_RET, 0, 0, 0, 0], false),
    (libc::SYS_writev, [0, IOV_TOTAL, 0, 0, 0, 0], [0, IOV_RET, 0, 0, 0, 0], false),
    (libc::SYS_preadv, N, [0, IOV_RET, 0, 0, 0, 0], false),
    (libc::SYS_pwritev, [0, IOV_TOTAL, 0, 0, 0, 0], [0, IOV_RET, 0, 0, 0, 0], false),
    (libc::SYS_open, [STR, 0, 0, 0, 0, 0], [STR, 0, 0, 0, 0, RET_FILE], false),
    (libc::SYS_creat, [STR, 0, 0, 0, 0, 0], [STR, 0, 0, 0, 0, RET_FILE], false),
    (libc::SYS_openat, [0, STR, 0, 0, 0, 0], [0, STR, 0, 0, 0, RET_FILE], false),
    (libc::SYS_openat2, [0, STR, MEM24, 0, 0, 0], [0, STR, MEM24, 0, 0, RET_FILE], false),
    (libc::SYS_stat, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_lstat, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_access, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_poll, [POLLFDS, 0, 0, 0, 0, 0], [POLLFDS, 0, 0, 0, 0, 0], false),
    (libc::SYS_ppoll, [POLLFDS, 0, MEM16, MEM8, 0, 0], [POLLFDS, 0, 0, 0, 0, 0], false),
    (libc::SYS_mmap, N, [0, 0, 0, 0, 0, VM], false),
    (libc::SYS_munmap, N, [0, 0, 0, 0, 0, VM], false),
    (libc::SYS_brk, N, [0, 0, 0, 0, 0, VM], false),
    (libc::SYS_pipe, N, [INT2_FILE, 0, 0, 0, 0, 0], false),
    (libc::SYS_pipe2, N, [INT2_FILE, 0, 0, 0, 0, 0], false),
    (libc::SYS_nanosleep, [MEM16, 0, 0, 0, 0, 0], N, false),
    (libc::SYS_sendfile, [0, 0, MEM8, 0, 0, 0], [0, 0, MEM8, 0, 0, 0], false),
    (libc::SYS_connect, [0, SOCKADDR, 0, 0, 0, 0], [FD_SOCK, SOCKADDR, 0, 0, 0, 0], false),
    (libc::SYS_accept, N, [FD_BACKLOG, 0, 0, 0, 0, RET_SOCK], false),
    (libc::SYS_accept4, N, [FD_BACKLOG, 0, 0, 0, 0, RET_SOCK], false),
    (libc::SYS_bind, N, [0, SOCKADDR, 0, 0, 0, 0], false),
    (libc::SYS_sendto, [FD_SOCK, 0, 0, 0, SOCKADDR, 0], [0, BUF_RET, 0, 0, 0, 0], false),
    (libc::SYS_recvfrom, N, [FD_SOCK, BUF_RET, 0, 0, SOCKADDR_LENPTR, 0], false),
    (libc::SYS_sendmsg, [FD_SOCK, MSGHDR_TOTAL, 0, 0, 0, 0], [0, MSGHDR_RET, 0, 0, 0, 0], false),
    (libc::SYS_recvmsg, N, [FD_SOCK, MSGHDR_RET, 0, 0, 0, 0], false),
    (libc::SYS_socketpair, N, [0, 0, 0, INT2_SOCK, 0, 0], false),
    (libc::SYS_setsockopt, N, [0, 0, 0, BUF_LEN, 0, 0], false),
    (libc::SYS_getsockopt, N, [0, 0, 0, BUF_LENPTR, MEM4, 0], false),
    (libc::SYS_signalfd, [0, MEM8, 0, 0, 0, 0], N, false),
    (libc::SYS_signalfd4, [0, MEM8, 0, 0, 0, 0], N, false),
    (libc::SYS_ptrace, N, [0, 0, 0, PEEK8, 0, 0], false),
    (libc::SYS_semop, N, [0, MEM16, 0, 0, 0, 0], false),
    (libc::SYS_clone, N, [0, 0, 0, 0, 0, PROC], true),
    (libc::SYS_clone3, N, [MEM8, 0, 0, 0, 0, PROC], true),
    (libc::SYS_fork, N, [0, 0, 0, 0, 0, PROC], true),
    (libc::SYS_vfork, N, [0, 0, 0, 0, 0, PROC], true),
    (libc::SYS_execve, [STR, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, PROC], true),
    (libc::SYS_execveat, [0, STR, 0, 0, 0, 0], [0, 0, 0, 0, 0, PROC], true),
    (libc::SYS_getcwd, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_chdir, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_chroot, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_rename, N, [STR, STR, 0, 0, 0, 0], false),
    (libc::SYS_renameat, N, [0, STR, 0, STR, 0, 0], false),
    (libc::SYS_renameat2, N, [0, STR, 0, STR, 0, 0], false),
    (libc::SYS_mkdir, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_mkdirat, N, [0, STR, 0, 0, 0, 0], false),
    (libc::SYS_rmdir, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_link, N, [STR, STR, 0, 0, 0, 0], false),
    (libc::SYS_linkat, N, [0, STR, 0, STR, 0, 0], false),
    (libc::SYS_symlink, N, [STR, STR, 0, 0, 0, 0], false),
    (libc::SYS_symlinkat, N, [STR, 0, STR, 0, 0, 0], false),
    (libc::SYS_unlink, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_unlinkat, N, [0, STR, 0, 0, 0, 0], false),
    (libc::SYS_chmod, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_fchmodat, N, [0, STR, 0, 0, 0, 0], false),
    (libc::SYS_mount, N, [STR, STR, STR, 0, 0, 0], false),
    (libc::SYS_umount2, N, [STR, 0, 0, 0, 0, 0], false),
    (libc::SYS_getrlimit, N, [0, MEM16, 0, 0, 0, 0], false),
    (libc::SYS_setrlimit, N, [0, MEM16, 0, 0, 0, 0], false),
    (libc::SYS_prlimit64, N, [0, 0, MEM16, MEM16, 0, 0], false),
    (libc::SYS_getresuid, N, [MEM4, MEM4, MEM4, 0, 0, 0], false),
    (libc::SYS_getresgid, N, [MEM4, MEM4, MEM4, 0, 0, 0], false),
    (libc::SYS_copy_file_range, [0, MEM8, 0, 0, 0, 0], [0, 0, 0, MEM8, 0, 0], false),
];

/// Builds the table for all 512 syscall numbers. `wanted` decides which are captured; process
/// lifecycle syscalls are always captured, since every consumer needs them for its state.
pub fn table(wanted: impl Fn(u32) -> bool) -> Vec<Spec> {
    let mut out = vec![Spec::default(); 512];
    for (nr, spec) in out.iter_mut().enumerate() {
        if wanted(nr as u32) {
            spec.flags = SPEC_ON;
        }
    }
    for &(nr, enter, exit, lifecycle) in ROWS {
        let Some(spec) = out.get_mut(nr as usize) else { continue };
        spec.enter = enter;
        spec.exit = exit;
        if lifecycle {
            spec.flags = SPEC_ON | SPEC_LIFECYCLE;
        }
    }
    // Syscalls that route to generic events (as the decoder routes them) need neither their
    // arguments nor items: the probe writes short records for them.
    for (nr, spec) in out.iter_mut().enumerate() {
        let (_, e, x, _) = schema::x86_64_syscall(nr as u32).unwrap_or((0, 0, 0, 0));
        if e == ev::GENERIC_E {
            spec.flags |= SPEC_SHORT_ENTER;
            spec.enter = N;
        }
        if x.max(ev::GENERIC_X) == ev::GENERIC_X {
            spec.flags |= SPEC_SHORT_EXIT;
            spec.exit = N;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_syscalls_are_always_on() {
        let t = table(|_| false);
        assert_eq!(t[libc::SYS_execve as usize].flags, SPEC_ON | SPEC_LIFECYCLE);
        assert_eq!(t[libc::SYS_read as usize].flags, 0);
        let t = table(|_| true);
        assert_eq!(t[libc::SYS_getppid as usize].flags, SPEC_ON | SPEC_SHORT_ENTER | SPEC_SHORT_EXIT);
        assert_eq!(t[libc::SYS_read as usize].flags, SPEC_ON);
        assert_eq!(t[libc::SYS_read as usize].exit[1], BUF_RET);
    }

    #[test]
    fn every_row_is_a_known_syscall() {
        for r in ROWS {
            assert!(scap_common::schema::x86_64_syscall(r.0 as u32).is_some(), "{}", r.0);
        }
    }
}
