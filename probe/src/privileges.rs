//! Up-front privilege checks, so that a missing capability is named with what to do instead of
//! failing deep inside the loader.

/// Linux capability numbers we need.
const CAP_SYS_ADMIN: u32 = 21;
const CAP_SYS_PTRACE: u32 = 19;
const CAP_DAC_READ_SEARCH: u32 = 2;
const CAP_PERFMON: u32 = 38;
const CAP_BPF: u32 = 39;

/// The effective capability set of this process, from /proc/self/status.
fn effective_caps() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("CapEff:"))?;
    u64::from_str_radix(line.trim_start_matches("CapEff:").trim(), 16).ok()
}

/// What is missing to capture, one problem per entry; empty when all is well.
pub fn missing() -> Vec<String> {
    let mut out = Vec::new();
    let Some(caps) = effective_caps() else {
        return vec!["cannot read /proc/self/status: is /proc mounted?".into()];
    };
    let has = |c: u32| caps & (1u64 << c) != 0;
    let admin = has(CAP_SYS_ADMIN);
    if !admin && !has(CAP_BPF) {
        out.push("CAP_BPF is missing: run as root or grant it (setcap cap_bpf,cap_perfmon,cap_sys_ptrace,cap_dac_read_search+ep scap-record)".into());
    }
    if !admin && !has(CAP_PERFMON) {
        out.push(
            "CAP_PERFMON is missing: it is needed to attach to tracepoints; run as root or grant it with setcap".into(),
        );
    }
    if !has(CAP_SYS_PTRACE) && !has(CAP_DAC_READ_SEARCH) && !admin {
        out.push(
            "CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH is missing: the snapshot cannot read other processes' /proc/PID/fd; run as root or grant one of them".into(),
        );
    }
    if std::fs::metadata("/sys/kernel/btf/vmlinux").is_err() {
        out.push(
            "/sys/kernel/btf/vmlinux is missing: the probe needs a kernel built with CONFIG_DEBUG_INFO_BTF".into(),
        );
    }
    out
}
