//! Issue 3: `-p` formats print what sysdig prints. Over a hundred format strings that together
//! use every field of the evt, process, thread, fd, fdlist, user, group, syslog, container and
//! k8s classes (with arguments, widths, literal text, and with and without the `*` that keeps
//! lines with missing fields), each compared with the reference sysdig on the first
//! `LIVE_LIMIT` events of every readable trace (whole traces with `SCAP_WHOLE_CORPUS=1`).

use scap_common::fields::{flag, FIELDS};
use scap_tests::*;

use crate::print_corpus::{
    assert_no_failures, compare_live, difference, par_map, recorded, run_print, run_sysdig, Recorded, LIVE_LIMIT,
};

/// sysdig 0.29.3 misreads the tail of process entries written by libs 0.10 and later (it takes
/// the pid namespace start time for the login uid and never reads the tty): see DIFFERENCES.md.
const LOGINUID: &[&str] = &["libs__sample"];
/// sysdig prints uninitialized memory as the device of fds it learned without one (sockets,
/// files of old snapshots); we print 0: see DIFFERENCES.md. `fd.directory` keeps only file fds.
const DEV: &[&str] = &["bencer-k8s__capture"];
/// sysdig aborts ("invalid thread state ID0") on the container event of this trace.
const TOTEXEC: &[&str] = &["falco__psp_privileged"];

/// Format strings, with the traces each is not compared on.
const FORMATS: &[(&str, &[&str])] = &[
    ("*%evt.num %evt.time %evt.time.s %evt.time.iso8601 %evt.datetime %evt.datetime.s", &[]),
    ("*%evt.num %evt.rawtime %evt.rawtime.s %evt.rawtime.ns %evt.reltime %evt.reltime.s %evt.reltime.ns", &[]),
    ("*%evt.num %evt.pluginname %evt.plugininfo %evt.outputtime %evt.cpu %evt.dir %evt.type", &[]),
    ("*%evt.num %evt.latency %evt.latency.s %evt.latency.ns %evt.latency.quantized %evt.latency.human", &[]),
    ("*%evt.num %evt.deltatime %evt.deltatime.s %evt.deltatime.ns", &[]),
    ("*%evt.num %evt.type %syscall.type %evt.category %evt.failed %evt.res %evt.rawres", &[]),
    ("*%evt.num %evt.args", &[]),
    ("*%evt.num %evt.info", &[]),
    ("*%evt.num %evt.buffer %evt.buflen", &[]),
    ("*%evt.num %evt.is_io %evt.is_io_read %evt.is_io_write %evt.io_dir %evt.is_wait %evt.wait_latency %evt.is_syslog", &[]),
    ("*%evt.num %evt.count %evt.count.error %evt.count.error.file %evt.count.error.net %evt.count.error.memory %evt.count.error.other %evt.count.exit", &[]),
    ("*%evt.num %evt.count.procinfo %evt.count.threadinfo %evt.around[1000]", &[]),
    ("*%evt.num %evt.abspath %evt.abspath.src %evt.abspath.dst", &[]),
    ("*%evt.num %evt.buflen.in %evt.buflen.out %evt.buflen.file %evt.buflen.file.in %evt.buflen.file.out %evt.buflen.net %evt.buflen.net.in %evt.buflen.net.out", &[]),
    ("*%evt.num %evt.is_open_read %evt.is_open_write %evt.is_open_exec", &[]),
    ("*%evt.num %evt.infra.docker.name %evt.infra.docker.container.id %evt.infra.docker.container.name %evt.infra.docker.container.image", &[]),
    ("*%evt.num %evt.type.is.open %evt.dir", &[]),
    ("*%evt.num %evt.dir %evt.type.is.execve", &[]),
    ("*%evt.num %evt.arg[0] %evt.arg[1] %evt.arg[2]", &[]),
    ("*%evt.num %evt.arg[3] %evt.arg[4] %evt.arg[5] %evt.arg[6]", &[]),
    ("*%evt.num %evt.arg[7] %evt.arg[8] %evt.arg[9] %evt.arg[13] %evt.arg[16]", &[]),
    ("*%evt.num %evt.arg.fd %evt.arg.res %evt.arg.name %evt.arg.size", &[]),
    ("*%evt.num %evt.arg.data", &[]),
    ("*%evt.num %evt.arg.path %evt.arg.flags %evt.arg.mode %evt.arg.dev %evt.arg.ino", &[]),
    ("*%evt.num %evt.arg.tuple %evt.arg.addr %evt.arg.queuelen %evt.arg.domain %evt.arg.type %evt.arg.proto", &[]),
    ("*%evt.num %evt.arg.pid %evt.arg.ptid %evt.arg.tid %evt.arg.exe %evt.arg.args %evt.arg.cwd", &[]),
    ("*%evt.num %evt.arg.fdlimit %evt.arg.pgft_maj %evt.arg.pgft_min %evt.arg.vm_size %evt.arg.vm_rss %evt.arg.vm_swap %evt.arg.comm", &[]),
    ("*%evt.num %evt.arg.cgroups", &[]),
    ("*%evt.num %evt.arg.env", &[]),
    ("*%evt.num %evt.arg.uid %evt.arg.gid %evt.arg.vtid %evt.arg.vpid %evt.arg.sig %evt.arg.status %evt.arg.tty %evt.arg.loginuid", &[]),
    ("*%evt.num %evt.arg.filename %evt.arg.dirfd %evt.arg.request %evt.arg.argument %evt.arg.cmd", &[]),
    ("*%evt.num %evt.arg.next %evt.arg.prot %evt.arg.length %evt.arg.addr %evt.arg.whence %evt.arg.offset %evt.arg.pos", &[]),
    ("*%evt.num %evt.arg.resource %evt.arg.newcur %evt.arg.newmax %evt.arg.oldcur %evt.arg.oldmax %evt.arg.cur %evt.arg.max", &[]),
    ("*%evt.num %evt.arg.timeout %evt.arg.fds %evt.arg.op %evt.arg.maxevents %evt.arg.how %evt.arg.level %evt.arg.optname %evt.arg.val %evt.arg.optlen", &[]),
    ("*%evt.num %evt.arg.ID %evt.arg.json %evt.arg.target %evt.arg.linkpath %evt.arg.oldpath %evt.arg.newpath", &[]),
    ("*%evt.num %evt.arg.fd1 %evt.arg.fd2 %evt.arg.source %evt.arg.initval %evt.arg.mask %evt.arg.euid %evt.arg.egid %evt.arg.ruid", &[]),
    ("*%evt.num %evt.rawarg.res %evt.rawarg.name %evt.rawarg.size %evt.rawarg.pid", &[]),
    ("*%evt.num %evt.rawarg.data", &[]),
    ("*%evt.num %evt.rawarg.path %evt.rawarg.mode %evt.rawarg.uid %evt.rawarg.tid %evt.rawarg.exe", &[]),
    ("*%evt.num %evt.rawarg.tuple %evt.rawarg.addr %evt.rawarg.ptid %evt.rawarg.cwd %evt.rawarg.next %evt.rawarg.sig", &[]),
    ("*%evt.num %evt.rawarg.args %evt.rawarg.env", &[]),
    ("*%evt.num %evt.rawarg.length %evt.rawarg.offset %evt.rawarg.queuelen %evt.rawarg.domain %evt.rawarg.type %evt.rawarg.proto %evt.rawarg.status", &[]),
    ("*%evt.num %proc.pid %proc.exe %proc.name %proc.args %proc.cmdline %proc.exeline %proc.cwd", &[]),
    ("*%evt.num %proc.env", &[]),
    ("*%evt.num %proc.nthreads %proc.nchilds %proc.ppid %proc.pname %proc.pcmdline", &[]),
    ("*%evt.num %proc.apid %proc.aname %proc.loginshellid %proc.duration", &[]),
    ("*%evt.num %proc.apid[0] %proc.aname[0] %proc.apid[1] %proc.aname[1] %proc.apid[2] %proc.aname[2]", &[]),
    ("*%evt.num %proc.apid[3] %proc.aname[3] %proc.apid[4] %proc.aname[4] %proc.apid[8] %proc.aname[8]", &[]),
    ("*%evt.num %proc.fdopencount %proc.fdlimit %proc.fdusage %proc.vmsize %proc.vmrss %proc.vmswap", &[]),
    ("*%evt.num %thread.pfmajor %thread.pfminor %thread.tid %thread.ismain %thread.vtid %proc.vpid", &[]),
    ("*%evt.num %thread.exectime %thread.cpu %thread.cpu.user %thread.cpu.system", &[]),
    ("*%evt.num %thread.cgroups", &[]),
    ("*%evt.num %thread.cgroup.cpu %thread.cgroup.memory %thread.cgroup.blkio %thread.cgroup.cpuset %thread.cgroup.pids %thread.cgroup.name=systemd", &[]),
    ("*%evt.num %thread.vmsize %thread.vmrss %thread.vmsize.b %thread.vmrss.b", &[]),
    ("*%evt.num %proc.sid %proc.sname %proc.vpgid %proc.exepath %thread.nametid", &[]),
    ("*%evt.num %proc.is_container_healthcheck %proc.is_container_liveness_probe %proc.is_container_readiness_probe %proc.is_exe_writable", &[]),
    ("*%evt.num %user.uid %user.name %user.homedir %user.shell %group.name", &[]),
    ("*%evt.num %container.id %container.name %container.image %container.image.id %container.type %container.privileged", &[]),
    ("*%evt.num %container.image.repository %container.image.tag %container.image.digest %container.healthcheck %container.liveness_probe %container.readiness_probe", &[]),
    ("*%evt.num %container.mounts", &[]),
    ("*%evt.num %container.mount[0] %container.mount[1] %container.mount.source[0] %container.mount.dest[1] %container.mount.mode[2] %container.mount.rdwr[0] %container.mount.propagation[0]", &[]),
    ("*%evt.num %container.mount.source[/var/lib/*] %container.mount.dest[/etc/hosts] %container.mount.mode[/srv/*] %container.mount.rdwr[/usr/*] %container.mount.propagation[/var/*]", &[]),
    ("*%evt.num %fd.num %fd.type %fd.typechar %fd.name %fd.directory %fd.filename", &[]),
    ("*%evt.num %fd.cip %fd.sip %fd.lip %fd.rip %fd.cport %fd.sport %fd.lport %fd.rport", &[]),
    ("*%evt.num %fd.l4proto %fd.sockfamily %fd.is_server %fd.uid %fd.containername %fd.containerdirectory", &[]),
    ("*%evt.num %fd.cproto %fd.sproto %fd.lproto %fd.rproto %fd.connected %fd.name_changed", &[]),
    ("*%evt.num %fd.cip.name %fd.sip.name %fd.lip.name %fd.rip.name", &[]),
    ("*%evt.num %syslog.facility.str %syslog.facility %syslog.severity.str %syslog.severity %syslog.message", &[]),
    ("*%evt.num %fdlist.nums %fdlist.names %fdlist.cips %fdlist.sips %fdlist.cports %fdlist.sports", &[]),
    ("*%evt.num %k8s.pod.name %k8s.pod.id %k8s.pod.label.app %k8s.pod.labels", &[]),
    ("*%evt.num %k8s.rc.name %k8s.rc.id %k8s.rc.label.app %k8s.rc.labels", &[]),
    ("*%evt.num %k8s.svc.name %k8s.svc.id %k8s.svc.label.app %k8s.svc.label.role %k8s.svc.labels", &[]),
    ("*%evt.num %k8s.ns.name %k8s.ns.id %k8s.ns.label.app %k8s.ns.labels", &[]),
    ("*%evt.num %k8s.rs.name %k8s.rs.id %k8s.rs.label.pod-template-hash %k8s.rs.labels", &[]),
    ("*%evt.num %k8s.deployment.name %k8s.deployment.id %k8s.deployment.label.role %k8s.deployment.labels", &[]),
    ("*%evt.num %k8s.pod.label.role %k8s.pod.label.pod-template-hash %k8s.rc.label.role %k8s.ns.label.name", &[]),
    ("%evt.num %fd.name", &[]),
    ("%evt.num %proc.name %fd.name %fd.type %evt.type", &[]),
    ("%evt.num %evt.arg.fd %evt.arg.res", &[]),
    ("%evt.num %fd.cip:%fd.cport -> %fd.sip:%fd.sport %fd.l4proto", &[]),
    ("%evt.num %evt.type %evt.buffer", &[]),
    ("%evt.num %evt.latency %evt.type", &[]),
    ("%evt.num %container.name %container.image %proc.name", &[]),
    ("%evt.num %k8s.pod.name %k8s.ns.name %proc.name", &[]),
    ("%evt.num %proc.aname[2] %proc.apid[2]", &[]),
    ("%evt.num %syslog.severity.str %syslog.message", &[]),
    ("%evt.num %evt.rawarg.res %evt.rawarg.fd", &[]),
    ("%evt.num %user.name %user.loginname %group.name", LOGINUID),
    ("%evt.num %thread.cgroup.cpu", &[]),
    ("%evt.num %fdlist.names", &[]),
    ("%evt.num %evt.plugininfo", &[]),
    ("%evt.num %evt.type.is.read", &[]),
    ("%evt.time %proc.name %evt.abspath", &[]),
    ("%evt.num %evt.io_dir %evt.buflen %fd.name", &[]),
    ("%evt.num %evt.wait_latency %evt.type", &[]),
    ("*%10evt.num|%5evt.cpu|%20proc.name|%3evt.type|", &[]),
    ("*%8evt.num %25fd.name %6evt.dir %1evt.type %40evt.info", &[]),
    ("*%evt.num %0proc.name %12thread.tid %30evt.args", &[]),
    ("*%5evt.num %15proc.aname[1] %7user.name %50proc.cmdline", &[]),
    ("%6evt.num %15fd.cip %6fd.cport %15fd.sip %6fd.sport", &[]),
    ("*%evt.num\\t%proc.name\\t%evt.type", &[]),
    ("*#%evt.num# [%proc.name] (%thread.tid) {%evt.type} <%evt.dir> 100 %evt.cpu", &[]),
    ("*%proc.name", &[]),
    ("*%evt.num", &[]),
    ("process %proc.name did %evt.type", &[]),
    ("*%evt.num %evt.arg.fd%evt.arg.res%evt.arg.name", &[]),
    ("*%evt.num %evt.type.is.openat", &[]),
    ("*%evt.num %evt.rawarg.fd", &[]),
    ("*%evt.num %evt.rawarg.flags", &[]),
    ("*%evt.num %evt.arg.status %evt.rawarg.status", &[]),
    ("*%evt.num %proc.aname[100] %proc.apid[100] %proc.apid %proc.aname", &[]),
    ("%evt.num %fd.directory %fd.dev %fd.dev.major %fd.dev.minor", DEV),
    ("*%evt.num %user.loginuid %user.loginname %proc.tty", LOGINUID),
    ("*%evt.num %thread.exectime %thread.totexectime", TOTEXEC),
    ("*%evt.num %proc.name %thread.totexectime %evt.type", TOTEXEC),
];

/// Fields sysdig 0.29.3 does not have.
const NEWER: &[&str] = &["container.label", "container.labels", "container.ip"];

/// Formats both sysdig and scap-print refuse (nothing printed, failure status).
const REJECTED: &[&str] = &[
    "*%evt.num %fd.ip",
    "*%evt.num %fd.port",
    "*%evt.num %fd.proto",
    "*%evt.num %fd.net",
    "*%evt.num %fd.cnet",
    "*%evt.num %fd.snet",
    "*%evt.num %fd.lnet",
    "*%evt.num %fd.rnet",
    "*%evt.num %evt.around",
    "*%evt.num %evt.arg.nonexistent",
    "*%evt.num %evt.arg",
    "*%evt.num %evt.rawarg",
    "*%evt.num %thread.cgroup",
    "*%evt.num %proc.nosuchfield",
    "*%10evt.num|%-5evt.cpu",
    "*%evt.num 100%%evt.cpu",
    "*%evt.num %",
    "*%evt.num %12",
    "",
];

#[test]
fn there_are_enough_formats_and_they_use_every_field() {
    assert!(FORMATS.len() >= 100, "{} formats", FORMATS.len());
    let mut used = vec![false; FIELDS.len()];
    for (f, _) in FORMATS.iter().copied().chain([(GID_FORMAT, &[][..])]) {
        let format = scap_print::Format::parse(&scap_print::format::unescape(f))
            .unwrap_or_else(|e| panic!("{f:?} does not parse: {e}"));
        for t in &format.tokens {
            if let scap_print::format::Token::Field { field, .. } = t {
                used[field.id] = true;
            }
        }
    }
    // Filter-only fields cannot be printed; REJECTED checks that both refuse them.
    for (i, f) in FIELDS.iter().enumerate() {
        if f.flags & flag::FILTER_ONLY != 0 && f.name != "evt.around" {
            assert!(REJECTED.contains(&format!("*%evt.num %{}", f.name).as_str()), "{} is not in REJECTED", f.name);
            used[i] = true;
        }
    }
    // Fields of newer libsinsp that 0.29.3 does not have (DIFFERENCES.md); enrich_formats
    // tests them.
    for (i, f) in FIELDS.iter().enumerate() {
        if NEWER.contains(&f.name) {
            used[i] = true;
        }
    }
    let unused: Vec<&str> = FIELDS.iter().zip(&used).filter(|(_, u)| !**u).map(|(f, _)| f.name).collect();
    assert!(unused.is_empty(), "fields no format uses: {unused:?}");
}

/// Formats that cannot share a sysdig run with others: sysdig stops at a value it cannot render
/// (some `evt.rawarg` types), drops whole lines for a missing field (no leading `*`), reads a
/// field name up to the end of the format (`evt.type.is`, `proc.apid`, `proc.aname`), or reads
/// memory that is only clean in a short run (`fd.cport`, `proc.is_exe_writable`: DIFFERENCES.md).
fn runs_alone(f: &str) -> bool {
    !f.starts_with('*')
        || ["%evt.rawarg", "%evt.type.is", "%proc.apid", "%proc.aname", "%fd.cport", "%proc.is_exe_writable"]
            .iter()
            .any(|x| f.contains(x))
}

/// Separators of the batched sysdig runs: one starts each event, one ends each format's part.
const EVENT_MARK: char = '\u{1e}';
const PART_MARK: char = '\u{1f}';

/// sysdig's output for each of `formats` (all with a leading `*`) on one trace, from one run of a
/// format joining them all: a field's text does not depend on the other fields of its format.
/// `None` when a value holds a separator (the parts cannot be told apart) or sysdig fails.
fn batched_sysdig(sysdig: &std::path::Path, r: &Recorded, formats: &[&str]) -> Option<Vec<Vec<u8>>> {
    let mut joined = format!("*{EVENT_MARK}");
    for (i, f) in formats.iter().enumerate() {
        if i > 0 {
            joined.push(PART_MARK);
        }
        joined.push_str(&f[1..]);
    }
    let out = run_sysdig(sysdig, r, &["-p", &joined]);
    if !out.status.success() {
        return None;
    }
    let mut parts: Vec<Vec<u8>> = vec![Vec::new(); formats.len()];
    let mut events = out.stdout.split(|&c| c == EVENT_MARK as u8);
    if !events.next().is_some_and(<[u8]>::is_empty) {
        return None;
    }
    for ev in events {
        let ev = ev.strip_suffix(b"\n")?;
        let pieces: Vec<&[u8]> = ev.split(|&c| c == PART_MARK as u8).collect();
        if pieces.len() != formats.len() {
            return None;
        }
        for (part, piece) in parts.iter_mut().zip(pieces) {
            part.extend_from_slice(piece);
            part.push(b'\n');
        }
    }
    Some(parts)
}

/// The formats compared on a trace.
fn applies(r: &Recorded) -> impl Iterator<Item = &'static str> + '_ {
    FORMATS.iter().filter(|(_, skip)| !skip.contains(&r.stem.as_str())).map(|(f, _)| *f)
}

#[test]
fn formats_print_what_sysdig_prints() {
    let Some(sysdig) = reference_sysdig() else { return };
    // CI compares the first LIVE_LIMIT events of each trace; SCAP_WHOLE_CORPUS=1 compares whole traces.
    let whole = std::env::var_os("SCAP_WHOLE_CORPUS").is_some_and(|v| v == "1");
    let traces = recorded(if whole { None } else { Some(LIVE_LIMIT) });
    // Formats that run alone, compared run against run.
    let alone: Vec<(&Recorded, &str)> =
        traces.iter().flat_map(|r| applies(r).filter(|f| runs_alone(f)).map(move |f| (r, f))).collect();
    let mut failures: Vec<String> =
        par_map(&alone, |(r, f)| compare_live(&sysdig, r, &["-p", f])).into_iter().flatten().collect();
    // The others: one sysdig run per trace gives the expected output of each; scap-print runs
    // each format on its own.
    let expected: Vec<Option<Vec<Vec<u8>>>> = par_map(traces, |r| {
        let formats: Vec<&str> = applies(r).filter(|f| !runs_alone(f)).collect();
        batched_sysdig(&sysdig, r, &formats)
    });
    let batched: Vec<(&Recorded, &str, Option<&[u8]>)> = traces
        .iter()
        .zip(&expected)
        .flat_map(|(r, parts)| {
            applies(r)
                .filter(|f| !runs_alone(f))
                .enumerate()
                .map(move |(i, f)| (r, f, parts.as_ref().map(|p| p[i].as_slice())))
        })
        .collect();
    failures.extend(
        par_map(&batched, |(r, f, want)| match want {
            Some(want) => {
                let ours = run_print(r, &["-p", f]);
                if !ours.status.success() {
                    return Some(format!("{} {f:?}: {}", r.stem, String::from_utf8_lossy(&ours.stderr).trim()));
                }
                difference(want, &ours.stdout).map(|d| format!("{} {f:?}: {d}", r.stem))
            }
            None => compare_live(&sysdig, r, &["-p", f]),
        })
        .into_iter()
        .flatten(),
    );
    assert_no_failures("-p formats vs sysdig", &failures);
}

#[test]
fn formats_sysdig_refuses_are_refused() {
    let sysdig = reference_sysdig();
    let r = &recorded(Some(LIVE_LIMIT))[0];
    for f in REJECTED {
        let ours = run_print(r, &["-p", f]);
        assert_eq!(ours.status.code(), Some(2), "{f:?}: {}", String::from_utf8_lossy(&ours.stderr));
        assert!(ours.stdout.is_empty(), "{f:?} printed something");
        let err = String::from_utf8_lossy(&ours.stderr);
        assert_eq!(err.lines().count(), 1, "{f:?}: one line of error: {err}");
        if let Some(sysdig) = &sysdig {
            let theirs = run_sysdig(sysdig, r, &["-p", f]);
            assert!(!theirs.status.success() && theirs.stdout.is_empty(), "sysdig accepts {f:?}");
        }
    }
}

/// `group.gid`: sysdig 0.29.3 reads it as 8 bytes from a 4-byte field, so the thread's child
/// count shows in its high half (see DIFFERENCES.md); the low half is the gid we print.
const GID_FORMAT: &str = "*%evt.num %proc.name %group.gid %group.name";

#[test]
fn group_gid_is_sysdigs_low_half() {
    let Some(sysdig) = reference_sysdig() else { return };
    let failures: Vec<String> = par_map(recorded(Some(LIVE_LIMIT)), |r| {
        let theirs = run_sysdig(&sysdig, r, &["-p", GID_FORMAT]);
        let ours = run_print(r, &["-p", GID_FORMAT]);
        let low_half = |line: &str| -> String {
            let mut cols: Vec<String> = line.split(' ').map(str::to_string).collect();
            if let Some(gid) = cols.get_mut(2) {
                if let Ok(v) = gid.parse::<u64>() {
                    *gid = (v & 0xffff_ffff).to_string();
                }
            }
            cols.join(" ")
        };
        let expected: Vec<String> = String::from_utf8_lossy(&theirs.stdout).lines().map(low_half).collect();
        let actual: Vec<String> = String::from_utf8_lossy(&ours.stdout).lines().map(str::to_string).collect();
        (expected != actual).then(|| {
            let i = expected.iter().zip(&actual).position(|(a, b)| a != b).unwrap_or(expected.len().min(actual.len()));
            format!("{}: line {}: {:?} vs {:?}", r.stem, i + 1, expected.get(i), actual.get(i))
        })
    })
    .into_iter()
    .flatten()
    .collect();
    assert_no_failures("group.gid vs sysdig's low half", &failures);
}
