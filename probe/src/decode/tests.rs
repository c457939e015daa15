//! Decoding hand-built records: routing, parameter layouts, items.

use super::*;
use crate::abi::{arg, Hdr, Sys};
use scap_common::schema::ev;

/// Builds a syscall record with items (kind, slot, bytes).
fn sys_record(kind: u16, nr: i64, ret: i64, args: [u64; 6], items: &[(u8, u8, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, a, data) in items {
        body.extend_from_slice(&(data.len() as u16).to_le_bytes());
        body.push(*k);
        body.push(*a);
        body.extend_from_slice(data);
    }
    let len = std::mem::size_of::<Sys>() + body.len();
    let s = Sys {
        h: Hdr { ts: 1_000, tid: 42, pid: 41, len: len as u32, kind, cpu: 1 },
        nr: nr as u32,
        n_items: items.len() as u32,
        ret,
        args,
    };
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&s.h.ts.to_le_bytes());
    out.extend_from_slice(&s.h.tid.to_le_bytes());
    out.extend_from_slice(&s.h.pid.to_le_bytes());
    out.extend_from_slice(&s.h.len.to_le_bytes());
    out.extend_from_slice(&s.h.kind.to_le_bytes());
    out.extend_from_slice(&s.h.cpu.to_le_bytes());
    out.extend_from_slice(&s.nr.to_le_bytes());
    out.extend_from_slice(&s.n_items.to_le_bytes());
    out.extend_from_slice(&s.ret.to_le_bytes());
    for a in s.args {
        out.extend_from_slice(&a.to_le_bytes());
    }
    out.extend_from_slice(&body);
    out
}

#[test]
fn openat_exit_has_libscap_layout() {
    let rec = sys_record(
        rec::SYS_EXIT,
        libc::SYS_openat,
        3,
        [(-100i64) as u64, 0x1000, 0o1101, 0o644, 0, 0],
        &[(arg::STR, 1, b"/tmp/x\0")],
    );
    let e = Decoder::new(5).decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SYSCALL_OPENAT_2_X);
    assert_eq!(e.ts, 1_005);
    assert_eq!(e.tid, 42);
    assert_eq!(e.param_i64(0), Some(3));
    assert_eq!(e.param_i64(1), Some(-100));
    assert_eq!(e.param(2), Some(&b"/tmp/x\0"[..]));
    assert_eq!(e.param_u64(3), Some(2 | 4 | 256));
    assert_eq!(e.param_u64(4), Some(0o644));
    assert!(e.validate().is_ok());
}

#[test]
fn unknown_syscalls_are_generic_events() {
    let rec = sys_record(rec::SYS_ENTER, libc::SYS_getppid, 0, [0; 6], &[]);
    let e = Decoder::default().decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::GENERIC_E);
    assert_eq!(e.param_u64(1), Some(libc::SYS_getppid as u64));
    let x = Decoder::default().decode(&sys_record(rec::SYS_EXIT, libc::SYS_getppid, 7, [0; 6], &[])).expect("x");
    assert_eq!(x.event_type, ev::GENERIC_X);
    assert_eq!(x.n_params, 1);
}

#[test]
fn read_exit_carries_the_buffer() {
    let rec = sys_record(rec::SYS_EXIT, libc::SYS_read, 3, [0, 0, 100, 0, 0, 0], &[(arg::BUF_RET, 1, b"vm\n")]);
    let e = Decoder::default().decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SYSCALL_READ_X);
    assert_eq!(e.param_i64(0), Some(3));
    assert_eq!(e.param(1), Some(&b"vm\n"[..]));
}

#[test]
fn truncated_items_are_errors_not_panics() {
    let mut rec = sys_record(rec::SYS_EXIT, libc::SYS_read, 3, [0; 6], &[(arg::BUF_RET, 1, b"abc")]);
    rec.truncate(rec.len() - 2);
    // The header still claims the full length; the item now runs past the end.
    assert!(Decoder::default().decode(&rec).is_err());
    assert!(Decoder::default().decode(&rec[..10]).is_err());
}

#[test]
fn writev_enter_size_is_the_iovec_total() {
    let rec = sys_record(
        rec::SYS_ENTER,
        libc::SYS_writev,
        0,
        [1, 0, 2, 0, 0, 0],
        &[(arg::IOV_TOTAL, 1, &300u64.to_le_bytes())],
    );
    let e = Decoder::default().decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SYSCALL_WRITEV_E);
    assert_eq!(e.param_i64(0), Some(1));
    assert_eq!(e.param_u64(1), Some(300));
}

#[test]
fn accept_reports_the_listen_queue() {
    let backlog = 3u64 | (128u64 << 32);
    let rec = sys_record(
        rec::SYS_EXIT,
        libc::SYS_accept4,
        5,
        [4, 0, 0, 0, 0, 0],
        &[(arg::FD_BACKLOG, 0, &backlog.to_le_bytes())],
    );
    let e = Decoder::default().decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SOCKET_ACCEPT4_5_X);
    assert_eq!(e.param_i64(0), Some(5));
    assert_eq!(e.param_u64(2), Some(2)); // 3 of 128, in percent
    assert_eq!(e.param_u64(3), Some(3));
    assert_eq!(e.param_u64(4), Some(128));
}

/// A short record (header, number, return value) of a syscall.
fn short_record(kind: u16, nr: i64, ret: i64) -> Vec<u8> {
    let mut rec = sys_record(kind, nr, ret, [0; 6], &[]);
    let len = std::mem::size_of::<crate::abi::SysHead>();
    rec.truncate(len);
    rec[16..20].copy_from_slice(&(len as u32).to_le_bytes());
    rec
}

#[test]
fn short_records_decode_as_generic_events() {
    let e = Decoder::new(0).decode(&short_record(rec::SYS_EXIT, libc::SYS_getppid, 7)).expect("decodes");
    assert_eq!(e.event_type, ev::GENERIC_X);
    assert_eq!(e.n_params, 1);
    let e = Decoder::new(0).decode(&short_record(rec::SYS_ENTER, libc::SYS_getppid, 0)).expect("decodes");
    assert_eq!(e.event_type, ev::GENERIC_E);
    assert_eq!(e.n_params, 2);
    // A short record of a syscall with its own event type still decodes (arguments read as 0).
    assert!(Decoder::new(0).decode(&short_record(rec::SYS_EXIT, libc::SYS_close, 0)).is_ok());
}

#[test]
fn procinfo_record_is_a_procinfo_event_in_ticks() {
    let mut rec = Vec::new();
    rec.extend_from_slice(&7_000u64.to_le_bytes());
    rec.extend_from_slice(&77u32.to_le_bytes());
    rec.extend_from_slice(&70u32.to_le_bytes());
    rec.extend_from_slice(&40u32.to_le_bytes());
    rec.extend_from_slice(&crate::abi::rec::PROCINFO.to_le_bytes());
    rec.extend_from_slice(&3u16.to_le_bytes());
    rec.extend_from_slice(&123u64.to_le_bytes());
    rec.extend_from_slice(&45u64.to_le_bytes());
    let e = Decoder::new(1).decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::PROCINFO_E);
    assert_eq!((e.ts, e.tid, e.cpu), (7_001, 77, 3));
    assert_eq!(e.param_u64(0), Some(123));
    assert_eq!(e.param_u64(1), Some(45));
    assert!(e.validate().is_ok());
    assert!(Decoder::new(0).decode(&rec[..32]).is_err());
}

#[test]
fn socket_options_are_typed_as_the_driver_types_them() {
    let dec = Decoder::new(0);
    // setsockopt(3, SOL_SOCKET, SO_REUSEADDR, &1, 4): a u32.
    let rec = sys_record(
        rec::SYS_EXIT,
        libc::SYS_setsockopt,
        0,
        [3, 1, 2, 0x1000, 4, 0],
        &[(arg::BUF_LEN, 3, &1u32.to_le_bytes())],
    );
    let e = dec.decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SOCKET_SETSOCKOPT_X);
    assert_eq!(e.param_i64(1), Some(3));
    assert_eq!(e.param(2), Some(&[1u8][..])); // SOL_SOCKET
    assert_eq!(e.param(3), Some(&[2u8][..])); // SO_REUSEADDR
    assert_eq!(e.param(4), Some(&[2u8, 1, 0, 0, 0][..]));
    assert_eq!(e.param_u64(5), Some(4));
    assert!(e.validate().is_ok());
    // SO_RCVTIMEO: a timeval as nanoseconds.
    let mut tv = 2u64.to_le_bytes().to_vec();
    tv.extend_from_slice(&500_000u64.to_le_bytes());
    let rec = sys_record(rec::SYS_EXIT, libc::SYS_setsockopt, 0, [3, 1, 20, 0x1000, 16, 0], &[(arg::BUF_LEN, 3, &tv)]);
    let e = dec.decode(&rec).expect("decodes");
    let mut want = vec![4u8];
    want.extend_from_slice(&2_500_000_000u64.to_le_bytes());
    assert_eq!(e.param(4), Some(&want[..]));
    // TCP_NODELAY at SOL_TCP: level 2, name unknown, raw bytes.
    let rec = sys_record(
        rec::SYS_EXIT,
        libc::SYS_setsockopt,
        0,
        [3, 6, 1, 0x1000, 4, 0],
        &[(arg::BUF_LEN, 3, &1u32.to_le_bytes())],
    );
    let e = dec.decode(&rec).expect("decodes");
    assert_eq!((e.param(2), e.param(3)), (Some(&[2u8][..]), Some(&[0u8][..])));
    assert_eq!(e.param(4), Some(&[0u8, 1, 0, 0, 0][..]));
    // getsockopt(SO_ERROR) = ECONNREFUSED: an errno, negative; optlen from the int it points to.
    let rec = sys_record(
        rec::SYS_EXIT,
        libc::SYS_getsockopt,
        0,
        [3, 1, 4, 0x1000, 0x2000, 0],
        &[(arg::BUF_LENPTR, 3, &111u32.to_le_bytes()), (arg::MEM4, 4, &4u32.to_le_bytes())],
    );
    let e = dec.decode(&rec).expect("decodes");
    assert_eq!(e.event_type, ev::SOCKET_GETSOCKOPT_X);
    let mut want = vec![1u8];
    want.extend_from_slice(&(-111i64).to_le_bytes());
    assert_eq!(e.param(4), Some(&want[..]));
    assert_eq!(e.param_u64(5), Some(4));
    // An option value that could not be read: typed, 0.
    let rec = sys_record(rec::SYS_EXIT, libc::SYS_getsockopt, -14, [3, 1, 7, 0x1000, 0x2000, 0], &[]);
    let e = dec.decode(&rec).expect("decodes");
    assert_eq!(e.param(4), Some(&[2u8, 0, 0, 0, 0][..]));
}

#[test]
fn ptrace_requests_and_their_values() {
    let dec = Decoder::new(0);
    let e =
        dec.decode(&sys_record(rec::SYS_ENTER, libc::SYS_ptrace, 0, [2, 77, 0x10, 0x20, 0, 0], &[])).expect("decodes");
    assert_eq!(e.param(0), Some(&3u16.to_le_bytes()[..])); // PPM_PTRACE_PEEKDATA
    assert_eq!(e.param_i64(1), Some(77));
    // PEEKDATA: data is the word read.
    let word = 0x1122_3344_5566_7788u64.to_le_bytes();
    let e = dec
        .decode(&sys_record(rec::SYS_EXIT, libc::SYS_ptrace, 0, [2, 77, 0x10, 0x20, 0, 0], &[(arg::PEEK8, 3, &word)]))
        .expect("decodes");
    let mut addr = vec![0u8];
    addr.extend_from_slice(&0x10u64.to_le_bytes());
    let mut data = vec![0u8];
    data.extend_from_slice(&word);
    assert_eq!((e.param(1), e.param(2)), (Some(&addr[..]), Some(&data[..])));
    // CONT: data is a signal.
    let e = dec.decode(&sys_record(rec::SYS_EXIT, libc::SYS_ptrace, 0, [7, 77, 0, 9, 0, 0], &[])).expect("decodes");
    assert_eq!(e.param(2), Some(&[1u8, 9][..]));
    // A failed call: both zero.
    let e = dec.decode(&sys_record(rec::SYS_EXIT, libc::SYS_ptrace, -3, [7, 77, 5, 9, 0, 0], &[])).expect("decodes");
    let zero = [0u8; 9];
    assert_eq!((e.param(1), e.param(2)), (Some(&zero[..]), Some(&zero[..])));
}

#[test]
fn ppoll_timeout_and_sigmask_and_signalfd_mask() {
    let dec = Decoder::new(0);
    let mut ts = 1u64.to_le_bytes().to_vec();
    ts.extend_from_slice(&5u64.to_le_bytes());
    let mask = (1u64 << 9).to_le_bytes();
    let e = dec
        .decode(&sys_record(
            rec::SYS_ENTER,
            libc::SYS_ppoll,
            0,
            [0x100, 0, 0x200, 0x300, 8, 0],
            &[(arg::MEM16, 2, &ts), (arg::MEM8, 3, &mask)],
        ))
        .expect("decodes");
    assert_eq!(e.param_u64(1), Some(1_000_000_005));
    assert_eq!(e.param_u64(2), Some(1 << 9));
    // No timeout: all ones; no sigmask: 0.
    let e = dec.decode(&sys_record(rec::SYS_ENTER, libc::SYS_ppoll, 0, [0x100, 0, 0, 0, 8, 0], &[])).expect("decodes");
    assert_eq!((e.param_u64(1), e.param_u64(2)), (Some(u64::MAX), Some(0)));
    let e = dec
        .decode(&sys_record(
            rec::SYS_ENTER,
            libc::SYS_signalfd4,
            0,
            [u64::MAX, 0x300, 8, 0x80000, 0, 0],
            &[(arg::MEM8, 1, &mask)],
        ))
        .expect("decodes");
    assert_eq!(e.event_type, ev::SYSCALL_SIGNALFD_E);
    assert_eq!((e.param_i64(0), e.param_u64(1), e.param_u64(2)), (Some(-1), Some(1 << 9), Some(0)));
}
