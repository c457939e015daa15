//! Issue 5: parameters the driver decodes beyond the registers, captured live from
//! `testdata/workloads/params.c` (socket options, signalfd, ppoll, ptrace) and from execs by
//! root and by nobody (execve's EXE_WRITABLE flag), asserted exactly and compared with what
//! sysdig 0.29.3 prints for the same `.scap`.

use std::process::Command;

use scap_common::event::Event;
use scap_tests::*;

use crate::live_capture::{build_workload, live_ready, n, p, s, sysdig_prints_as_we_do, type_name, Capture, TempDir};

/// A DYNAMIC parameter: its index and value bytes.
fn dynamic(e: &Event, name: &str) -> (u8, Vec<u8>) {
    let b = p(e, name);
    (b[0], b[1..].to_vec())
}

#[test]
fn driver_decoded_parameters_match_and_sysdig_prints_them_alike() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("params");
    let Some(params) = build_workload(&dir.0, "params") else { return };
    // A copy of true that anyone may write, run by nobody: EXE_WRITABLE by the mode bits.
    std::fs::copy("/bin/true", dir.0.join("t")).expect("copy of true");
    let chmod = Command::new("chmod").arg("0777").arg(dir.0.join("t")).status().expect("chmod");
    assert!(chmod.success());
    let nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    let script = format!("'{}'; {nobody} /bin/true; {nobody} '{}/t'", params.display(), dir.0.display());
    let file = dir.0.join("params.scap");
    let rec = sh(&format!("scap-record -w '{}' -- bash -c \"{script}\"", file.display()));
    assert!(rec.status.success(), "scap-record: {}", String::from_utf8_lossy(&rec.stderr));
    let printed = String::from_utf8_lossy(&rec.stdout).into_owned();
    let words: Vec<&str> = printed.split_whitespace().collect();
    assert_eq!(words.len(), 3, "params printed {printed:?}");
    let child: i64 = words[0].parse().expect("child pid");
    let addr = u64::from_str_radix(words[1].trim_start_matches("0x"), 16).expect("address");
    assert_eq!(words[2], "0x1122334455667788");

    let c = Capture::read(&file, printed.clone(), String::new());

    // Socket options: level and name in libscap's numbering, values typed as the driver does.
    let set = c.of("setsockopt", '<');
    let get = c.of("getsockopt", '<');
    assert_eq!(set.len(), 5, "four setsockopt calls and a failing one");
    assert_eq!(get.len(), 3);
    let fd = n(set[0], "fd");
    assert!(fd >= 3);
    let row = |e: &Event| (n(e, "res"), n(e, "level"), n(e, "optname"), dynamic(e, "val"), n(e, "optlen"));
    assert_eq!(row(set[0]), (0, 1, 2, (2, 1u32.to_le_bytes().to_vec()), 4), "SO_REUSEADDR 1");
    assert_eq!(row(set[1]), (0, 1, 20, (4, 2_500_000_000u64.to_le_bytes().to_vec()), 16), "SO_RCVTIMEO 2.5 s");
    assert_eq!(row(set[2]), (0, 2, 0, (0, 1u32.to_le_bytes().to_vec()), 4), "TCP_NODELAY: raw bytes");
    let linger: Vec<u8> = [1u32.to_le_bytes(), 7u32.to_le_bytes()].concat();
    assert_eq!(row(set[3]), (0, 1, 13, (0, linger), 8), "SO_LINGER: raw bytes");
    assert_eq!(row(set[4]), (-92, 1, 0, (0, 1u32.to_le_bytes().to_vec()), 4), "ENOPROTOOPT, unknown name");
    assert_eq!(row(get[0]), (0, 1, 3, (2, 1u32.to_le_bytes().to_vec()), 4), "SO_TYPE is SOCK_STREAM");
    assert_eq!(row(get[1]), (0, 1, 4, (1, 0i64.to_le_bytes().to_vec()), 4), "SO_ERROR: no error");
    assert_eq!(row(get[2]), (0, 1, 20, (4, 2_500_000_000u64.to_le_bytes().to_vec()), 16), "SO_RCVTIMEO back");
    assert!(set.iter().chain(&get).all(|e| n(e, "fd") == fd));

    // signalfd (signalfd4 routes to it): the mask's first 32 signals; flags stay 0.
    let sfd = c.of("signalfd", '>');
    assert_eq!(sfd.len(), 2);
    for e in &sfd {
        assert_eq!((n(e, "fd"), n(e, "mask"), n(e, "flags")), (-1, (1 << 9) | (1 << 11), 0));
    }

    // eventfd (eventfd2 routes to it): the initial value; flags 0, as the driver sends them.
    let efd: Vec<(i64, i64)> = c.of("eventfd", '>').iter().map(|e| (n(e, "initval"), n(e, "flags"))).collect();
    assert_eq!(efd, [(3, 0), (4, 0)]);

    // ppoll: the timeout in nanoseconds (all ones for none), the sigmask's first 32 signals.
    let pp = c.of("ppoll", '>');
    assert_eq!(pp.len(), 2);
    assert_eq!((n(pp[0], "timeout"), n(pp[0], "sigmask")), (1_500_000, 1 << 9));
    assert_eq!((n(pp[1], "timeout") as u64, n(pp[1], "sigmask")), (u64::MAX, 0));

    // System V semaphores: flags and commands in libscap's numbering, SETVAL's value, the
    // operations semop carried.
    let sg = c.of("semget", '>');
    assert_eq!((n(sg[0], "key"), n(sg[0], "nsems"), n(sg[0], "semflg")), (0, 2, 1 << 13));
    let sc: Vec<(i64, i64, i64)> =
        c.of("semctl", '>').iter().map(|e| (n(e, "semnum"), n(e, "cmd"), n(e, "val"))).collect();
    assert_eq!(sc, [(1, 1 << 12, 5), (0, 1 << 2, 0)]);
    let so = c.of("semop", '<');
    let ops: Vec<i64> = ["nsops", "sem_num_0", "sem_op_0", "sem_flg_0", "sem_num_1", "sem_op_1", "sem_flg_1"]
        .iter()
        .map(|f| n(so[0], f))
        .collect();
    assert_eq!(ops, [2, 0, 1, 2, 1, -1, 1]);

    // sendfile and copy_file_range: the offsets they were given and the ones they left.
    let sf = (c.of("sendfile", '>'), c.of("sendfile", '<'));
    assert_eq!((n(sf.0[0], "offset"), n(sf.0[0], "size"), n(sf.1[0], "res"), n(sf.1[0], "offset")), (1, 3, 3, 4));
    let cf = (c.of("copy_file_range", '>'), c.of("copy_file_range", '<'));
    assert_eq!((n(cf.0[0], "offin"), n(cf.0[0], "len"), n(cf.1[0], "res"), n(cf.1[0], "offout")), (1, 4, 4, 6));

    // execveat's flags in libscap's numbering: AT_SYMLINK_NOFOLLOW (failing), AT_EMPTY_PATH.
    let xa: Vec<(i64, String, i64)> =
        c.of("execveat", '>').iter().map(|e| (n(e, "dirfd"), s(e, "pathname"), n(e, "flags"))).collect();
    assert_eq!(xa, [(-100, "/proc/self/exe".to_string(), 2), (xa[1].0, String::new(), 1)]);
    assert!(xa[1].0 >= 3);

    // ptrace: TRACEME by the child, PEEKDATA (the word read), CONT (a signal, 0), then a
    // failing PEEKDATA (both values 0).
    let pe = c.of("ptrace", '>');
    let px = c.of("ptrace", '<');
    let reqs: Vec<(i64, i64)> = pe.iter().map(|e| (n(e, "request"), n(e, "pid"))).collect();
    assert_eq!(reqs, [(1, 0), (3, child), (8, child), (3, child)]);
    let u64v = |v: u64| (0u8, v.to_le_bytes().to_vec());
    assert_eq!((dynamic(px[1], "addr"), dynamic(px[1], "data")), (u64v(addr), u64v(0x1122_3344_5566_7788)));
    assert_eq!((dynamic(px[2], "addr"), dynamic(px[2], "data")), (u64v(0), (1, vec![0])));
    assert_eq!(n(px[3], "res"), -3);
    assert_eq!((dynamic(px[3], "addr"), dynamic(px[3], "data")), (u64v(0), u64v(0)));

    // execve's flags: EXE_WRITABLE for root's execs and for nobody's exec of a 0777 file, not
    // for nobody's exec of root's /bin/true.
    let execs: Vec<(String, i64)> =
        c.of("execve", '<').iter().filter(|e| n(e, "res") == 0).map(|e| (s(e, "comm"), n(e, "flags"))).collect();
    for (comm, flags) in [("params", 1), ("setpriv", 1), ("true", 0), ("t", 1)] {
        assert!(execs.contains(&(comm.to_string(), flags)), "exec of {comm} with flags {flags}: {execs:?}");
    }
    assert!(c.events().all(|e| type_name(e) != "?"));

    // sysdig 0.29.3 reads the same file and prints what we print, line for line.
    let Some(sysdig) = reference_sysdig() else { return };
    let text = sysdig_prints_as_we_do(&sysdig, &file, "the params capture");
    for want in [
        "level=1(SOL_SOCKET) optname=2(SO_REUSEADDR) val=1 optlen=4",
        "optname=20(SO_RCVTIMEO) val=2500000000(2.5s) optlen=16",
        "level=2(SOL_TCP) optname=0(UNKNOWN) val=.... optlen=4",
        "optname=4(SO_ERROR) val=0 optlen=4",
        "> signalfd fd=-1(EPERM) mask=A00 flags=0",
        "> eventfd initval=3 flags=0",
        "> eventfd initval=4 flags=0",
        "timeout=1500000(0.0015s) sigmask=SIGUSR1",
        "timeout=none sigmask=",
        "> ptrace request=3(PTRACE_PEEKDATA)",
        "data=1122334455667788",
        "< ptrace res=-3(ESRCH) addr=0 data=0",
        "flags=1(EXE_WRITABLE)",
        "semflg=8192(IPC_CREAT)",
        "cmd=4096(SETVAL) val=5",
        "sem_flg_0=2(SEM_UNDO)",
        "offset=1 size=3",
        "offin=1 len=4",
        "pathname=/proc/self/exe flags=2(AT_SYMLINK_NOFOLLOW)",
        "flags=1(AT_EMPTY_PATH)",
        "loginuid=-1 flags=0",
    ] {
        assert!(text.contains(want), "sysdig prints {want:?}");
    }
}
