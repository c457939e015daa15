//! Issue 5: vectored I/O captured live from `testdata/workloads/iov.c`: readv/writev on a pipe,
//! preadv/pwritev on a file, a writev cut at the snaplen, sendmsg/recvmsg with their tuples,
//! sendmmsg/recvmmsg. Parameters are asserted exactly, and sysdig 0.29.3 reading the same
//! `.scap` prints what scap-print prints.

use scap_tests::*;

use crate::live_capture::{build_workload, fd_name, live_ready, n, p, sysdig_prints_as_we_do, Capture, TempDir};

/// A sockaddr tuple as libscap lays it out: family, source address and port, destination.
fn ipv4_tuple(sport: u16, dport: u16) -> Vec<u8> {
    let mut t = vec![2u8];
    for (addr, port) in [([127, 0, 0, 1], sport), ([127, 0, 0, 1], dport)] {
        t.extend_from_slice(&addr);
        t.extend_from_slice(&port.to_le_bytes());
    }
    t
}

#[test]
fn vectored_io_parameters_and_sysdig_prints_them_alike() {
    if !live_ready() {
        return;
    }
    let dir = TempDir::new("iov");
    if build_workload(&dir.0, "iov").is_none() {
        return;
    }
    let file = dir.0.join("iov.scap");
    let rec = sh(&format!("cd '{}' && scap-record -w '{}' -- ./iov", dir.0.display(), file.display()));
    assert!(rec.status.success(), "scap-record: {}", String::from_utf8_lossy(&rec.stderr));
    let printed = String::from_utf8_lossy(&rec.stdout).into_owned();
    let ports: Vec<u16> = printed.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert_eq!(ports.len(), 2, "iov printed {printed:?}");
    let c = Capture::read(&file, printed, String::new());
    let one = |name: &str, dir: char| -> Vec<&scap_common::event::Event> {
        let v = c.of(name, dir);
        assert!(!v.is_empty(), "no {dir} {name}");
        v
    };

    // The pipe: three pieces written (9 bytes), read into 12 bytes of room.
    let (we, wx) = (one("writev", '>'), one("writev", '<'));
    assert_eq!((n(we[0], "size"), n(wx[0], "res"), p(wx[0], "data")), (9, 9, &b"abcdefghi"[..]));
    let (re, rx) = (one("readv", '>'), one("readv", '<'));
    assert_eq!((n(rx[0], "res"), n(rx[0], "size"), p(rx[0], "data")), (9, 9, &b"abcdefghi"[..]));
    assert_eq!(n(re[0], "fd") + 1, n(we[0], "fd"), "pipe() gives the read end first");

    // The file at offset 100.
    let (pwe, pwx) = (one("pwritev", '>'), one("pwritev", '<'));
    assert_eq!((n(pwe[0], "size"), n(pwe[0], "pos")), (20, 100));
    assert_eq!((n(pwx[0], "res"), p(pwx[0], "data")), (20, &b"0123456789ABCDEFGHIJ"[..]));
    let (pre, prx) = (one("preadv", '>'), one("preadv", '<'));
    assert_eq!(n(pre[0], "pos"), 100);
    assert_eq!((n(prx[0], "res"), n(prx[0], "size"), p(prx[0], "data")), (20, 20, &b"0123456789ABCDEFGHIJ"[..]));
    let mut names = Vec::new();
    c.replay(|e, st| {
        if e.event_type == pwe[0].event_type {
            names.push(fd_name(st, e, n(e, "fd")));
        }
    });
    assert!(names.iter().all(|f| f.ends_with("/vec.dat")), "pwritev on {names:?}");

    // 120 bytes in three pieces: the size is whole, the data cut at the default snaplen (80).
    assert_eq!(n(we[1], "size"), 120);
    let cut = [[b'x'; 40], [b'y'; 40]].concat();
    assert_eq!((n(wx[1], "res"), p(wx[1], "data")), (120, &cut[..]));

    // UDP: the sender's tuple names the address given in msg_name; the receiver's names the
    // sender first.
    let (sport, dport) = (ports[0], ports[1]);
    let (se, sx) = (one("sendmsg", '>'), one("sendmsg", '<'));
    assert_eq!(n(se[0], "size"), 11);
    assert_eq!(p(se[0], "tuple"), &ipv4_tuple(sport, dport)[..], "sendmsg's tuple");
    assert_eq!((n(sx[0], "res"), p(sx[0], "data")), (11, &b"hello world"[..]));
    let rmx = one("recvmsg", '<');
    assert_eq!((n(rmx[0], "res"), n(rmx[0], "size"), p(rmx[0], "data")), (11, 11, &b"hello world"[..]));
    assert_eq!(p(rmx[0], "tuple"), &ipv4_tuple(sport, dport)[..], "recvmsg's tuple");
    for name in ["sendmmsg", "recvmmsg"] {
        assert_eq!((one(name, '>').len(), one(name, '<').len()), (1, 1), "{name}: no parameters in 0.29.3's table");
    }

    // sysdig 0.29.3 reads the same file and prints what we print, line for line.
    let Some(sysdig) = reference_sysdig() else { return };
    let text = sysdig_prints_as_we_do(&sysdig, &file, "the vectored I/O capture");
    for want in [
        "> writev fd=4(<p>) size=9",
        "< readv res=9 size=9 data=abcdefghi",
        "size=20 pos=100",
        &format!("< recvmsg res=11 size=11 data=hello world tuple=127.0.0.1:{sport}->127.0.0.1:{dport}"),
        &format!("size=11 tuple=127.0.0.1:{sport}->127.0.0.1:{dport}"),
    ] {
        assert!(text.contains(want), "sysdig prints {want:?}");
    }
}
