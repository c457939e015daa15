//! scap-probe: the eBPF probe and its loader.
//!
//! - `bpf/probe.bpf.c`, `bpf/scap_abi.h`: the C programs (CO-RE, built by clang in `build.rs`,
//!   with a committed prebuilt object for machines without clang);
//! - `abi`: Rust mirrors of the ABI structs, with layout checks;
//! - `loader`: `Probe`, which loads, attaches and owns the programs and ring buffers (aya);
//! - `btf`: the kernel BTF trimmed to what loading needs (aya scans all of it otherwise);
//! - `timing`: start-up phase marks (`SCAP_RECORD_TIMING`);
//! - `drain`: the thread that empties the rings into batches; `ring`: its ring buffer reader;
//! - `decode`: raw records to `scap_common::event::Event`, with no kernel access.
//!
//! Central type: `Probe`. scap-record drives it; nothing else in the workspace needs privileges.
//!
//! ```no_run
//! use scap_probe::loader::{Probe, ProbeConfig};
//! let probe = Probe::load(&ProbeConfig::default())?;
//! # Ok::<(), scap_probe::loader::ProbeError>(())
//! ```

#![deny(missing_docs)]
// The loader and drain thread call into aya and libc (poll, clock_gettime, setrlimit) and read
// kernel records; every unsafe block carries a SAFETY comment.
#![allow(unsafe_code)]

pub mod abi;
pub mod btf;
pub mod decode;
pub mod drain;
pub mod loader;
pub mod privileges;
pub mod ring;
pub mod timing;
