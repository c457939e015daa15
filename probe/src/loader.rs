//! The aya side of the probe: load the object, size and fill its maps, attach its programs,
//! and hand out the ring buffers. The only module that talks to the kernel through aya.

use std::collections::BTreeSet;

use aya::maps::{Array, MapData, PerCpuArray, RingBuf};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

use aya::programs::{BtfTracePoint, Iter};
use aya::{Btf, Ebpf, EbpfLoader};

use crate::abi::{self, Counters, Spec};
use crate::decode::spec;

pub(crate) static PROBE: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/probe.bpf.o"));

// SAFETY: `Spec` is a #[repr(C)] struct of bytes with no padding the kernel could misread,
// valid for any bit pattern.
unsafe impl aya::Pod for Spec {}
// SAFETY: `Counters` is #[repr(C)] made of four u64, valid for any bit pattern.
unsafe impl aya::Pod for Counters {}

/// Which processes the probe captures.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Capture only these process trees (tgids; their descendants are added as they fork).
    /// Empty with `pid_filter` set means nothing until `Probe::track` adds a tgid.
    pub pids: Vec<u32>,
    /// Whether the pid filter is on at all.
    pub pid_filter: bool,
    /// Capture only tasks in this cgroup v2 (id of its directory, depth below the root).
    pub cgroup: Option<(u64, u32)>,
}

/// How to load the probe.
#[derive(Clone, Debug)]
pub struct ProbeConfig {
    /// Which processes.
    pub scope: Scope,
    /// Our own tgid: never captured.
    pub self_tgid: u32,
    /// Bytes of I/O buffers copied per event.
    pub snaplen: u32,
    /// Bytes per ring buffer (a power of two, at least a page).
    pub buffer_size: u32,
    /// CPUs sharing one ring buffer.
    pub cpus_per_buffer: u32,
    /// Bytes of the lifecycle ring.
    pub lifecycle_size: u32,
    /// Syscall numbers to capture; `None` for all.
    pub syscalls: Option<BTreeSet<u32>>,
    /// Capture context switches.
    pub sched_switch: bool,
    /// Capture user page faults.
    pub page_faults: bool,
    /// Capture signal deliveries.
    pub signals: bool,
    /// Emit procinfo events (each thread's CPU time, once a second).
    pub procinfo: bool,
    /// Programs not to attach (by C function name), treated like programs that failed to load:
    /// the capture goes on without them and says what is missing. For tests and troubleshooting.
    pub disabled: Vec<String>,
}

impl Default for ProbeConfig {
    fn default() -> ProbeConfig {
        ProbeConfig {
            scope: Scope::default(),
            self_tgid: std::process::id(),
            snaplen: 80,
            buffer_size: 8 << 20,
            cpus_per_buffer: 1,
            lifecycle_size: 1 << 20,
            syscalls: None,
            sched_switch: false,
            page_faults: false,
            signals: true,
            procinfo: true,
            disabled: Vec::new(),
        }
    }
}

/// Why the probe could not start.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// Kernel BTF is missing or unreadable.
    #[error(
        "cannot read the kernel's BTF at /sys/kernel/btf/vmlinux (a kernel built with CONFIG_DEBUG_INFO_BTF is needed)"
    )]
    Btf(#[source] aya::BtfError),
    /// The object could not be loaded (maps, relocations).
    #[error("cannot load the probe")]
    Load(#[source] aya::EbpfError),
    /// A map is missing or has the wrong type.
    #[error("probe map {0}: {1}")]
    Map(&'static str, String),
    /// No syscall program could be attached.
    #[error("no syscall program could be attached: {0}")]
    Attach(String),
    /// A bad setting.
    #[error("{0}")]
    Config(String),
}

/// One program of the probe and what is missing without it.
struct ProgramInfo {
    name: &'static str,
    /// The tracepoint, or for the iterator (`scap_procinfo`) the kind of object it walks.
    tracepoint: &'static str,
    affects: &'static str,
}

const PROGRAMS: &[ProgramInfo] = &[
    ProgramInfo { name: "scap_sys_enter", tracepoint: "sys_enter", affects: "every syscall enter event" },
    ProgramInfo { name: "scap_sys_exit", tracepoint: "sys_exit", affects: "every syscall exit event" },
    ProgramInfo {
        name: "scap_proc_fork",
        tracepoint: "sched_process_fork",
        affects: "descendants of the captured processes (clone, fork, vfork follow-up)",
    },
    ProgramInfo { name: "scap_proc_exit", tracepoint: "sched_process_exit", affects: "procexit events" },
    ProgramInfo { name: "scap_sched_switch", tracepoint: "sched_switch", affects: "switch events" },
    ProgramInfo { name: "scap_page_fault", tracepoint: "page_fault_user", affects: "page_fault events" },
    ProgramInfo { name: "scap_signal_deliver", tracepoint: "signal_deliver", affects: "signaldeliver events" },
    ProgramInfo {
        name: PROCINFO_PROGRAM,
        tracepoint: "task",
        affects: "procinfo events (thread CPU usage: thread.cpu, CPU columns)",
    },
];

/// The kernel types the programs attach to, by name: `btf_trace_TP` for a tracepoint,
/// `bpf_iter_KIND` for an iterator.
pub(crate) fn attach_types() -> Vec<String> {
    PROGRAMS
        .iter()
        .map(|p| {
            if p.name == PROCINFO_PROGRAM {
                format!("bpf_iter_{}", p.tracepoint)
            } else {
                format!("btf_trace_{}", p.tracepoint)
            }
        })
        .collect()
}

/// The task iterator that writes procinfo records; the drain thread runs it (`ProcInfoIter`).
const PROCINFO_PROGRAM: &str = "scap_procinfo";

/// A loaded, attached probe. Dropping it detaches every program.
pub struct Probe {
    bpf: Ebpf,
    rings: Vec<RingBuf<MapData>>,
    lifecycle: Option<RingBuf<MapData>>,
    ring_size: u32,
    lifecycle_size: u32,
    /// Programs that could not be attached, with what that costs, for the user.
    pub warnings: Vec<String>,
    n_cpus: u32,
    procinfo: Option<ProcInfoIter>,
    /// How long each loading phase took.
    pub timing: crate::timing::Timing,
}

/// The procinfo task iterator, attached: each `run` walks every task once and writes one
/// procinfo record per thread in scope into the rings.
#[derive(Debug)]
pub struct ProcInfoIter {
    link: OwnedFd,
}

/// `bpf(2)` with a zeroed attribute block whose first words are `words`.
fn bpf_cmd(cmd: u32, words: &[u32]) -> std::io::Result<OwnedFd> {
    let mut attr = [0u32; 32];
    attr[..words.len()].copy_from_slice(words);
    // SAFETY: the attribute block is a valid, exclusively borrowed 128-byte buffer that outlives
    // the call; LINK_CREATE and ITER_CREATE only read it and return a new fd or -1.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd as libc::c_long,
            attr.as_mut_ptr(),
            std::mem::size_of_val(&attr) as libc::c_long,
        )
    };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the kernel returned a new fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

impl ProcInfoIter {
    /// Walks every task once: the program writes a record per thread in scope into the ring
    /// of the CPU it runs on, and nothing into the iterator's file, which reads as empty.
    pub fn run(&self) -> std::io::Result<()> {
        let file = std::fs::File::from(bpf_cmd(
            aya_obj::generated::bpf_cmd::BPF_ITER_CREATE as u32,
            &[self.link.as_raw_fd() as u32, 0],
        )?);
        let mut buf = [0u8; 256];
        loop {
            match std::io::Read::read(&mut &file, &mut buf) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// `bpf(BPF_MAP_UPDATE_ELEM)` of a u32 key and a u32 value (an fd, for a map of maps).
fn bpf_map_update(map_fd: i32, key: u32, value: u32) -> std::io::Result<()> {
    #[repr(C)]
    struct Attr {
        map_fd: u32,
        pad: u32,
        key: u64,
        value: u64,
        flags: u64,
        rest: [u64; 12],
    }
    let attr = Attr {
        map_fd: map_fd as u32,
        pad: 0,
        key: &key as *const u32 as u64,
        value: &value as *const u32 as u64,
        flags: 0,
        rest: [0; 12],
    };
    // SAFETY: the attribute block and the key and value it points to are valid locals that
    // outlive the call; MAP_UPDATE_ELEM only reads them.
    let r = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            aya_obj::generated::bpf_cmd::BPF_MAP_UPDATE_ELEM as libc::c_long,
            &attr as *const Attr,
            std::mem::size_of::<Attr>() as libc::c_long,
        )
    };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn map_err(name: &'static str) -> impl Fn(aya::maps::MapError) -> ProbeError {
    move |e| ProbeError::Map(name, e.to_string())
}

impl Probe {
    /// Loads the object, creates the rings and attaches the programs.
    pub fn load(cfg: &ProbeConfig) -> Result<Probe, ProbeError> {
        if !cfg.buffer_size.is_power_of_two() || cfg.buffer_size < 4096 {
            return Err(ProbeError::Config(format!(
                "buffer size {} is not a power of two of at least 4096 bytes",
                cfg.buffer_size
            )));
        }
        let n_cpus = aya::util::nr_cpus().map_err(|(what, e)| ProbeError::Config(format!("{what}: {e}")))? as u32;
        let per = cfg.cpus_per_buffer.max(1);
        let n_rings = n_cpus.div_ceil(per);
        if n_rings > abi::MAX_RINGS {
            return Err(ProbeError::Config(format!("{n_rings} ring buffers needed, at most {}", abi::MAX_RINGS)));
        }
        let mut timing = crate::timing::Timing::new();
        raise_memlock();
        // The rings are standalone maps: create them (allocating and mapping megabytes) on
        // another thread while the object is parsed and relocated.
        let ring_size = cfg.buffer_size;
        let rings_thread = std::thread::spawn(move || -> Result<Vec<(RingBuf<MapData>, i32)>, ProbeError> {
            (0..n_rings)
                .map(|_| {
                    let def = aya_obj::Map::new_from_params(
                        aya_obj::generated::bpf_map_type::BPF_MAP_TYPE_RINGBUF as u32,
                        0,
                        0,
                        ring_size,
                        0,
                    );
                    let data = MapData::create(def, "scap_ring", None).map_err(map_err("ring"))?;
                    let fd = data.fd().as_fd().as_raw_fd();
                    Ok((RingBuf::try_from(aya::maps::Map::RingBuf(data)).map_err(map_err("ring"))?, fd))
                })
                .collect()
        });
        // aya's loader would parse the whole kernel BTF when created, then scan all of it for
        // every type the object reads: it gets a BTF trimmed to those types instead
        // (`btf::trim`), made on another thread meanwhile, and parses nothing itself
        // (`loader_without_btf`). A BTF the trimming does not understand is used whole.
        let btf_thread = std::thread::spawn(|| -> Result<crate::btf::Trimmed, ProbeError> {
            let kernel = crate::btf::KernelBtf::open().map_err(|e| {
                ProbeError::Btf(aya::BtfError::FileError { path: crate::btf::KERNEL_BTF.into(), error: e })
            })?;
            let attach = attach_types();
            let attach: Vec<&str> = attach.iter().map(String::as_str).collect();
            match crate::btf::trim(kernel.bytes(), PROBE, &attach) {
                Ok(t) => Ok(t),
                Err(_) => {
                    let whole = Btf::parse(kernel.bytes(), aya::Endianness::default()).map_err(ProbeError::Btf)?;
                    Ok(crate::btf::Trimmed {
                        core: whole.clone(),
                        attach: crate::btf::AttachTypes::Whole(whole),
                        kept: (0, 0),
                    })
                }
            }
        });
        let mut loader = loader_without_btf();
        timing.mark("aya loader created");
        let trimmed =
            btf_thread.join().map_err(|_| ProbeError::Config("the BTF trimming thread panicked".into()))??;
        timing.mark("kernel BTF trimmed");
        let crate::btf::Trimmed { core: core_btf, attach: attach_of, .. } = trimmed;
        let attach_thread = std::thread::spawn(move || attach_of.into_btf());
        let mut mode = 0u32;
        if cfg.scope.pid_filter {
            mode |= abi::FILTER_PIDS;
        }
        let (cg_id, cg_level) = cfg.scope.cgroup.unwrap_or((0, 0));
        if cfg.scope.cgroup.is_some() {
            mode |= abi::FILTER_CGROUP;
        }
        let snaplen = cfg.snaplen.min(abi::SCRATCH_HALF - 64);
        let wake = (cfg.buffer_size / 4).max(4096);
        let mut bpf = loader
            .btf(Some(&core_btf))
            .override_global("filter_mode", &mode, true)
            .override_global("self_tgid", &cfg.self_tgid, true)
            .override_global("snaplen", &snaplen, true)
            .override_global("cpus_per_ring", &per, true)
            .override_global("cgroup_id", &cg_id, true)
            .override_global("cgroup_level", &cg_level, true)
            .override_global("wake_bytes", &wake, true)
            .map_max_entries("scratch", n_cpus)
            .map_max_entries("life_ring", cfg.lifecycle_size)
            .load(PROBE)
            .map_err(ProbeError::Load)?;
        timing.mark("object relocated, maps created");

        // Maps first: the rings must exist and the tracked pids be set before any program is
        // attached. The rings go into the outer map while the programs are verified (below).
        let rings =
            rings_thread.join().map_err(|_| ProbeError::Config("the ring creating thread panicked".into()))??;
        let (rings, ring_fds): (Vec<RingBuf<MapData>>, Vec<i32>) = rings.into_iter().unzip();
        let outer_fd = match bpf.map("rings") {
            Some(aya::maps::Map::ArrayOfMaps(d)) => d.fd().as_fd().as_raw_fd(),
            _ => return Err(ProbeError::Map("rings", "missing or not an array of maps".into())),
        };
        timing.mark("rings created");
        {
            let specs = bpf.map_mut("specs").ok_or(ProbeError::Map("specs", "missing".into()))?;
            let mut specs: Array<&mut MapData, Spec> = Array::try_from(specs).map_err(map_err("specs"))?;
            let wanted = |nr: u32| cfg.syscalls.as_ref().is_none_or(|set| set.contains(&nr));
            for (nr, s) in spec::table(wanted).iter().enumerate() {
                specs.set(nr as u32, s, 0).map_err(map_err("specs"))?;
            }
        }
        let lifecycle = bpf.take_map("life_ring").map(RingBuf::try_from).transpose().map_err(map_err("life_ring"))?;
        let mut probe = Probe {
            bpf,
            rings,
            lifecycle,
            ring_size: cfg.buffer_size,
            lifecycle_size: cfg.lifecycle_size,
            warnings: Vec::new(),
            n_cpus,
            procinfo: None,
            timing,
        };
        for &pid in &cfg.scope.pids {
            probe.track(pid)?;
        }
        probe.timing.mark("maps filled");

        // Verify the programs in parallel (the kernel verifies each on the calling thread, and
        // the two syscall programs take tens of milliseconds each), then attach them in order.
        let attach_btf = attach_thread
            .join()
            .map_err(|_| ProbeError::Config("the BTF building thread panicked".into()))?
            .map_err(|e| ProbeError::Config(format!("kernel BTF: {e}")))?;
        let wanted: Vec<&ProgramInfo> = PROGRAMS
            .iter()
            .filter(|p| match p.name {
                "scap_sched_switch" => cfg.sched_switch,
                "scap_page_fault" => cfg.page_faults,
                "scap_signal_deliver" => cfg.signals,
                PROCINFO_PROGRAM => cfg.procinfo,
                _ => true,
            })
            .collect();
        let mut loaded: Vec<(&ProgramInfo, Result<(), String>)> = Vec::new();
        {
            let mut progs: Vec<(&ProgramInfo, &mut aya::programs::Program)> = Vec::new();
            for (name, prog) in probe.bpf.programs_mut() {
                if let Some(p) = wanted.iter().find(|p| p.name == name) {
                    if cfg.disabled.iter().any(|d| d == p.name) {
                        loaded.push((p, Err("disabled on request".to_string())));
                    } else {
                        progs.push((p, prog));
                    }
                }
            }
            for p in &wanted {
                if !loaded.iter().any(|(q, _)| q.name == p.name) && !progs.iter().any(|(q, _)| q.name == p.name) {
                    loaded.push((p, Err("not in the object".to_string())));
                }
            }
            let btf = &attach_btf;
            // Every update of a map of maps makes the kernel wait for an RCU grace period
            // (milliseconds each on a busy VM): the updates run concurrently, on threads of
            // their own (waits that overlap share grace periods), while the programs are
            // verified. The fds stay open: `probe` owns the maps until the scope ends.
            let (results, filled) = std::thread::scope(|scope| {
                let fills: Vec<_> = ring_fds
                    .iter()
                    .enumerate()
                    .map(|(idx, &fd)| scope.spawn(move || bpf_map_update(outer_fd, idx as u32, fd as u32)))
                    .collect();
                let handles: Vec<_> =
                    progs.into_iter().map(|(p, prog)| (p, scope.spawn(move || load_program(prog, btf, p)))).collect();
                let results: Vec<(&ProgramInfo, Result<(), String>)> = handles
                    .into_iter()
                    .map(|(p, h)| (p, h.join().unwrap_or_else(|_| Err("the loading thread panicked".to_string()))))
                    .collect();
                let filled: Result<(), String> = fills.into_iter().try_for_each(|h| {
                    h.join().map_err(|_| "the thread panicked".to_string())?.map_err(|e| e.to_string())
                });
                (results, filled)
            });
            filled.map_err(|e| ProbeError::Map("rings", e))?;
            loaded.extend(results);
        }
        probe.timing.mark("programs verified");
        // Attach in the table's order (lifecycle programs with the syscall ones).
        loaded.sort_by_key(|(p, _)| PROGRAMS.iter().position(|q| q.name == p.name));
        let mut attached_sys = 0;
        let mut errors = Vec::new();
        for (p, result) in loaded {
            let result = if p.name == PROCINFO_PROGRAM {
                result.and_then(|()| attach_iter(&mut probe.bpf, p)).map(|it| probe.procinfo = Some(it))
            } else {
                result.and_then(|()| attach(&mut probe.bpf, p))
            };
            match result {
                Ok(()) => {
                    if p.tracepoint.starts_with("sys_") {
                        attached_sys += 1;
                    }
                }
                Err(e) => {
                    probe.warnings.push(format!("program {} did not load ({e}); missing: {}", p.name, p.affects));
                    errors.push(e);
                }
            }
        }
        probe.timing.mark("programs attached");
        if attached_sys == 0 {
            return Err(ProbeError::Attach(errors.join("; ")));
        }
        Ok(probe)
    }

    /// Adds a process (tgid) to the captured set; its future children follow.
    pub fn track(&mut self, tgid: u32) -> Result<(), ProbeError> {
        let map = self.bpf.map_mut("pids").ok_or(ProbeError::Map("pids", "missing".into()))?;
        let mut pids: Array<&mut MapData, u64> = Array::try_from(map).map_err(map_err("pids"))?;
        let word = tgid >> 6;
        if word >= abi::PID_WORDS {
            return Err(ProbeError::Config(format!("pid {tgid} is beyond the pid filter's range")));
        }
        let old = pids.get(&word, 0).map_err(map_err("pids"))?;
        pids.set(word, old | (1u64 << (tgid & 63)), 0).map_err(map_err("pids"))?;
        Ok(())
    }

    /// The kernel's counters, one entry per possible CPU.
    pub fn counters(&self) -> Vec<Counters> {
        let Some(map) = self.bpf.map("stats") else { return Vec::new() };
        let Ok(stats) = PerCpuArray::<&MapData, Counters>::try_from(map) else { return Vec::new() };
        match stats.get(&0, 0) {
            Ok(values) => values.iter().copied().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Takes the ring buffers for the drain thread, each with its size in bytes: the CPU rings,
    /// then the lifecycle ring.
    pub fn take_rings(&mut self) -> Vec<(RingBuf<MapData>, u32)> {
        let size = self.ring_size;
        let mut v: Vec<_> = std::mem::take(&mut self.rings).into_iter().map(|r| (r, size)).collect();
        if let Some(l) = self.lifecycle.take() {
            v.push((l, self.lifecycle_size));
        }
        v
    }

    /// Takes the procinfo iterator for the drain thread (`None` when it is off or did not load).
    pub fn take_procinfo(&mut self) -> Option<ProcInfoIter> {
        self.procinfo.take()
    }

    /// Possible CPUs.
    pub fn n_cpus(&self) -> u32 {
        self.n_cpus
    }
}

fn load_program(prog: &mut aya::programs::Program, btf: &Btf, p: &ProgramInfo) -> Result<(), String> {
    if p.name == PROCINFO_PROGRAM {
        let it: &mut Iter = prog.try_into().map_err(|e: aya::programs::ProgramError| e.to_string())?;
        return it.load(p.tracepoint, btf).map_err(|e| verifier_summary(&e));
    }
    let tp: &mut BtfTracePoint = prog.try_into().map_err(|e: aya::programs::ProgramError| e.to_string())?;
    tp.load(p.tracepoint, btf).map_err(|e| verifier_summary(&e))
}

fn attach(bpf: &mut Ebpf, p: &ProgramInfo) -> Result<(), String> {
    let prog = bpf.program_mut(p.name).ok_or_else(|| "not in the object".to_string())?;
    let tp: &mut BtfTracePoint = prog.try_into().map_err(|e: aya::programs::ProgramError| e.to_string())?;
    tp.attach().map_err(|e| e.to_string())?;
    Ok(())
}

/// Links the iterator program; the link's fd is ours (aya keeps the fds of the links it
/// makes to itself), so that the drain thread can open a new iterator on it every second.
fn attach_iter(bpf: &mut Ebpf, p: &ProgramInfo) -> Result<ProcInfoIter, String> {
    let prog = bpf.program_mut(p.name).ok_or_else(|| "not in the object".to_string())?;
    let it: &mut Iter = prog.try_into().map_err(|e: aya::programs::ProgramError| e.to_string())?;
    let prog_fd = it.fd().map_err(|e| e.to_string())?;
    let link = bpf_cmd(
        aya_obj::generated::bpf_cmd::BPF_LINK_CREATE as u32,
        &[prog_fd.as_fd().as_raw_fd() as u32, 0, aya_obj::generated::bpf_attach_type::BPF_TRACE_ITER as u32],
    )
    .map_err(|e| format!("bpf_link_create: {e}"))?;
    Ok(ProcInfoIter { link })
}

/// The last lines of a verifier log, or the error itself.
fn verifier_summary(e: &aya::programs::ProgramError) -> String {
    let text = format!("{e:#}");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines.len().saturating_sub(3);
    format!("{}: {}", e, lines[tail..].join(" / "))
}

/// An `EbpfLoader` that has not parsed the kernel BTF: `EbpfLoader::new` always does (tens of
/// milliseconds, thrown away once `btf` is given), reading /sys/kernel/btf/vmlinux. It is made on
/// a thread of its own with its own root directory (`unshare(CLONE_FS)` gives the thread a
/// private copy of the process's root and working directory; `chroot` changes only that copy), where
/// that path does not exist. If the thread cannot do that, the loader parses the BTF as usual.
fn loader_without_btf() -> EbpfLoader<'static> {
    let made = std::thread::Builder::new().name("scap-loader".into()).spawn(|| {
        // SAFETY: unshare(CLONE_FS) only detaches this thread's fs_struct (root, cwd, umask)
        // from the other threads'; chroot then changes this thread's root alone. The thread
        // does nothing else with files and ends right after.
        unsafe {
            if libc::unshare(libc::CLONE_FS) == 0 {
                libc::chroot(c"/proc/sys/vm".as_ptr());
            }
        }
        EbpfLoader::new()
    });
    match made.map(|h| h.join()) {
        Ok(Ok(loader)) => loader,
        _ => EbpfLoader::new(),
    }
}

/// Lifts RLIMIT_MEMLOCK for kernels that still charge BPF maps to it (before 5.11).
fn raise_memlock() {
    let lim = libc::rlimit { rlim_cur: libc::RLIM_INFINITY, rlim_max: libc::RLIM_INFINITY };
    // SAFETY: setrlimit reads the struct we pass and has no other memory effects; failure is
    // harmless (newer kernels account BPF memory to the cgroup instead).
    unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &lim) };
}
