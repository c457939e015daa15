//! The kernel's BTF, cut down to what loading the probe needs.
//!
//! aya relocates each CO-RE access by scanning every type of the target BTF for the accessed
//! type's name, once per distinct type the object reads (and parses all of it first): with the
//! 120 000-odd types of a distribution kernel that scan was most of the time `scap-record`
//! took to start. The kernel BTF is read here once, as bytes, and two small BTFs are made:
//!
//! - `core`: the types whose names the probe object's own BTF uses, and everything they embed
//!   (members, array elements, typedef and modifier targets), renumbered. Pointers stay pointers
//!   but lose their target unless it is kept too (CO-RE compares pointers by kind only, and an
//!   access string never goes through a pointer), and function prototypes become `void (void)`.
//!   The relocations aya computes from it equal those from the whole BTF: every target type
//!   that could be a candidate (same name) is kept, with all it embeds, and member names and
//!   offsets are copied unchanged.
//! - `attach` (`AttachTypes::into_btf`): the types programs attach to (`btf_trace_TP` typedefs, `bpf_iter_KIND`
//!   functions) at their kernel type ids, every other id a placeholder, for aya's
//!   `BtfTracePoint::load` and `Iter::load`, which only look the id up by name.
//!
//! The format is the kernel's (Documentation/bpf/btf.rst): a header, type records, strings.

use std::collections::{HashMap, HashSet, VecDeque};

use aya::{Btf, BtfError, Endianness};

const INT: u32 = 1;
const PTR: u32 = 2;
const ARRAY: u32 = 3;
const STRUCT: u32 = 4;
const UNION: u32 = 5;
const ENUM: u32 = 6;
const FWD: u32 = 7;
const TYPEDEF: u32 = 8;
const VOLATILE: u32 = 9;
const CONST: u32 = 10;
const RESTRICT: u32 = 11;
const FUNC: u32 = 12;
const FUNC_PROTO: u32 = 13;
const VAR: u32 = 14;
const DATASEC: u32 = 15;
const FLOAT: u32 = 16;
const DECL_TAG: u32 = 17;
const TYPE_TAG: u32 = 18;
const ENUM64: u32 = 19;

const MAGIC: u16 = 0xeb9f;
const HDR_LEN: usize = 24;

/// Where the kernel publishes its BTF.
pub const KERNEL_BTF: &str = "/sys/kernel/btf/vmlinux";

/// The bytes of the kernel's BTF: mapped where the kernel allows it (6.16 and later), which saves
/// copying megabytes a page per read(2) call, else read.
pub struct KernelBtf {
    map: Option<(*mut libc::c_void, usize)>,
    read: Vec<u8>,
}

impl KernelBtf {
    /// Maps or reads /sys/kernel/btf/vmlinux.
    pub fn open() -> std::io::Result<KernelBtf> {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(KERNEL_BTF)?;
        let len = file.metadata()?.len() as usize;
        if len > 0 {
            // SAFETY: a private read-only mapping of an open file, checked below; the kernel
            // never changes its BTF, and the mapping is unmapped in Drop, after every borrow
            // of `bytes` has ended.
            let p = unsafe {
                libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0)
            };
            if p != libc::MAP_FAILED {
                return Ok(KernelBtf { map: Some((p, len)), read: Vec::new() });
            }
        }
        let mut read = Vec::with_capacity(len);
        std::io::Read::read_to_end(&mut &file, &mut read)?;
        Ok(KernelBtf { map: None, read })
    }

    /// The BTF.
    pub fn bytes(&self) -> &[u8] {
        match self.map {
            // SAFETY: the mapping is `len` readable bytes and lives as long as `self`.
            Some((p, len)) => unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) },
            None => &self.read,
        }
    }
}

impl Drop for KernelBtf {
    fn drop(&mut self) {
        if let Some((p, len)) = self.map {
            // SAFETY: unmapping the mapping made in `open`, which nothing borrows any more.
            unsafe { libc::munmap(p, len) };
        }
    }
}

// SAFETY: the mapping is read-only and owned by the value; moving it to another thread is
// like moving a Vec.
unsafe impl Send for KernelBtf {}

/// Why a BTF blob could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrimError {
    /// The bytes are not BTF as this module knows it.
    #[error("{0}")]
    Format(String),
    /// aya refused the trimmed BTF.
    #[error("the trimmed BTF does not parse: {0}")]
    Parse(#[source] BtfError),
}

fn bad(what: impl Into<String>) -> TrimError {
    TrimError::Format(what.into())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// One parsed BTF blob: its type records (by id; id 0 is void and has none) and strings.
struct Raw<'a> {
    types: &'a [u8],
    strings: &'a [u8],
    /// Offset of each type's record in `types`, index = id - 1.
    offsets: Vec<u32>,
}

impl<'a> Raw<'a> {
    fn parse(data: &'a [u8]) -> Result<Raw<'a>, TrimError> {
        if data.len() < HDR_LEN || u16::from_le_bytes([data[0], data[1]]) != MAGIC {
            return Err(bad("not little-endian BTF"));
        }
        let hdr_len = u32_at(data, 4) as usize;
        let field = |at: usize| u32_at(data, at) as usize;
        let (type_off, type_len, str_off, str_len) = (field(8), field(12), field(16), field(20));
        let types = data
            .get(hdr_len + type_off..hdr_len + type_off + type_len)
            .ok_or_else(|| bad("BTF type section out of bounds"))?;
        let strings =
            data.get(hdr_len + str_off..hdr_len + str_off + str_len).ok_or_else(|| bad("BTF strings out of bounds"))?;
        let mut offsets = Vec::new();
        let mut at = 0usize;
        while at < types.len() {
            offsets.push(at as u32);
            at += record_len(types, at)?;
        }
        if at != types.len() {
            return Err(bad("BTF type section ends inside a record"));
        }
        Ok(Raw { types, strings, offsets })
    }

    fn n_types(&self) -> u32 {
        self.offsets.len() as u32
    }

    /// The record of type `id` (1-based).
    fn record(&self, id: u32) -> &'a [u8] {
        let at = self.offsets[id as usize - 1] as usize;
        let len = record_len(self.types, at).unwrap_or(12);
        &self.types[at..at + len]
    }

    fn kind(&self, id: u32) -> u32 {
        kind_of(self.record(id))
    }

    fn name_at(&self, off: u32) -> &'a [u8] {
        let s = self.strings.get(off as usize..).unwrap_or_default();
        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
        &s[..end]
    }

    fn name(&self, id: u32) -> &'a [u8] {
        self.name_at(u32_at(self.record(id), 0))
    }
}

fn kind_of(rec: &[u8]) -> u32 {
    (u32_at(rec, 4) >> 24) & 0x1f
}

fn vlen_of(rec: &[u8]) -> usize {
    (u32_at(rec, 4) & 0xffff) as usize
}

/// Bytes of the type record starting at `at`.
fn record_len(types: &[u8], at: usize) -> Result<usize, TrimError> {
    let rec = types.get(at..at + 12).ok_or_else(|| bad("truncated BTF type record"))?;
    let vlen = vlen_of(rec);
    let extra = match kind_of(rec) {
        INT | VAR | DECL_TAG => 4,
        PTR | FWD | TYPEDEF | VOLATILE | CONST | RESTRICT | FUNC | FLOAT | TYPE_TAG => 0,
        ARRAY => 12,
        STRUCT | UNION | DATASEC | ENUM64 => 12 * vlen,
        ENUM | FUNC_PROTO => 8 * vlen,
        k => return Err(bad(format!("unknown BTF kind {k}"))),
    };
    if at + 12 + extra > types.len() {
        return Err(bad("truncated BTF type record"));
    }
    Ok(12 + extra)
}

/// A name without its CO-RE flavour (`task_struct___old` is `task_struct`).
fn flavorless(name: &[u8]) -> &[u8] {
    name.windows(3).position(|w| w == b"___").map_or(name, |i| &name[..i])
}

/// The `.BTF` section of a little-endian ELF64 object.
fn elf_btf(elf: &[u8]) -> Result<&[u8], TrimError> {
    if elf.get(..6) != Some(b"\x7fELF\x02\x01".as_slice()) {
        return Err(bad("the probe object is not a little-endian ELF64 file"));
    }
    let u16_at = |at: usize| elf.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]])) as usize;
    let u64_at =
        |at: usize| elf.get(at..at + 8).map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8]))) as usize;
    let (shoff, shentsize, shnum, shstrndx) = (u64_at(0x28), u16_at(0x3a), u16_at(0x3c), u16_at(0x3e));
    let section = |i: usize| {
        let h = shoff + i * shentsize;
        (u32_at(elf, h) as usize, u64_at(h + 0x18), u64_at(h + 0x20))
    };
    let (_, names_off, names_len) = section(shstrndx);
    let names = elf.get(names_off..names_off + names_len).ok_or_else(|| bad("bad ELF section names"))?;
    for i in 0..shnum {
        let (name, off, len) = section(i);
        let n = names.get(name..).unwrap_or_default();
        if n.starts_with(b".BTF\0") {
            return elf.get(off..off + len).ok_or_else(|| bad("bad .BTF section"));
        }
    }
    Err(bad("the probe object has no .BTF section"))
}

/// What the loader needs of the kernel's BTF.
pub struct Trimmed {
    /// The types CO-RE relocation can match, for `EbpfLoader::btf`.
    pub core: Btf,
    /// The attach types, to make the BTF the programs' `load` looks them up in.
    pub attach: AttachTypes,
    /// Types kept in `core`, of the kernel's.
    pub kept: (u32, u32),
}

/// The types programs attach to (`btf_trace_TP` typedefs, `bpf_iter_KIND` functions) with their
/// kernel ids, or a whole BTF to find them in.
pub enum AttachTypes {
    /// (kernel id, name, kind).
    Ids(Vec<(u32, String, u32)>),
    /// A whole BTF.
    Whole(Btf),
}

impl AttachTypes {
    /// A BTF where each attach type has its kernel id: placeholders (pointers to void) up to
    /// the last of them. Building it takes milliseconds (a type per kernel id), so the loader
    /// does it while the object is relocated.
    pub fn into_btf(self) -> Result<Btf, TrimError> {
        let ids = match self {
            AttachTypes::Whole(btf) => return Ok(btf),
            AttachTypes::Ids(ids) => ids,
        };
        let max = ids.iter().map(|&(id, _, _)| id).max().unwrap_or(0);
        let mut strings = vec![0u8];
        let mut names: HashMap<u32, (u32, u32)> = HashMap::new();
        for (id, name, kind) in &ids {
            names.insert(*id, (strings.len() as u32, *kind));
            strings.extend_from_slice(name.as_bytes());
            strings.push(0);
        }
        let mut types = Vec::with_capacity(max as usize * 12);
        for id in 1..=max {
            let (name_off, kind) = names.get(&id).copied().unwrap_or((0, PTR));
            for v in [name_off, kind << 24, 0] {
                types.extend_from_slice(&v.to_le_bytes());
            }
        }
        Btf::parse(&blob(&types, &strings), Endianness::default()).map_err(TrimError::Parse)
    }
}

/// Kinds whose named types CO-RE can take as the root of a relocation.
fn is_root_kind(kind: u32) -> bool {
    matches!(kind, INT | STRUCT | UNION | ENUM | ENUM64 | FWD | TYPEDEF | FLOAT)
}

/// Trims `kernel` (the bytes of /sys/kernel/btf/vmlinux) for the object `elf`, whose programs
/// attach to `attach` (type names such as `btf_trace_sys_enter` or `bpf_iter_task`).
pub fn trim(kernel: &[u8], elf: &[u8], attach: &[&str]) -> Result<Trimmed, TrimError> {
    let target = Raw::parse(kernel)?;
    let local = Raw::parse(elf_btf(elf)?)?;
    let wanted: HashSet<&[u8]> = (1..=local.n_types())
        .filter(|&id| is_root_kind(local.kind(id)))
        .map(|id| flavorless(local.name(id)))
        .filter(|n| !n.is_empty())
        .collect();

    // Every same-named type is kept (any could be a candidate), then what each embeds.
    let mut new_id: HashMap<u32, u32> = HashMap::new();
    let mut order: Vec<u32> = Vec::new();
    let mut queue: VecDeque<u32> = VecDeque::new();
    let mut attach_ids: Vec<(u32, String, u32)> = Vec::new();
    let keep = |id: u32, new_id: &mut HashMap<u32, u32>, order: &mut Vec<u32>, queue: &mut VecDeque<u32>| {
        if id != 0 && !new_id.contains_key(&id) {
            order.push(id);
            new_id.insert(id, order.len() as u32);
            queue.push_back(id);
        }
    };
    for id in 1..=target.n_types() {
        let kind = target.kind(id);
        if is_root_kind(kind) {
            let name = target.name(id);
            if !name.is_empty() && wanted.contains(flavorless(name)) {
                keep(id, &mut new_id, &mut order, &mut queue);
            }
        }
        if matches!(kind, TYPEDEF | FUNC) {
            // Most of the kernel's types are functions: look at their names only when they
            // start like an attach type.
            let off = u32_at(target.record(id), 0) as usize;
            let head = target.strings.get(off..).unwrap_or_default();
            if head.starts_with(b"btf_trace_") || head.starts_with(b"bpf_iter_") {
                let name = target.name(id);
                if let Some(a) = attach.iter().find(|a| a.as_bytes() == name) {
                    attach_ids.push((id, a.to_string(), kind));
                }
            }
        }
    }
    while let Some(id) = queue.pop_front() {
        let rec = target.record(id);
        match kind_of(rec) {
            STRUCT | UNION => {
                for m in 0..vlen_of(rec) {
                    keep(u32_at(rec, 12 + 12 * m + 4), &mut new_id, &mut order, &mut queue);
                }
            }
            TYPEDEF | VOLATILE | CONST | RESTRICT | TYPE_TAG => {
                keep(u32_at(rec, 8), &mut new_id, &mut order, &mut queue)
            }
            ARRAY => {
                keep(u32_at(rec, 12), &mut new_id, &mut order, &mut queue);
                keep(u32_at(rec, 16), &mut new_id, &mut order, &mut queue);
            }
            // Pointers are not followed; prototypes are cut (below); the rest are leaves.
            _ => {}
        }
    }

    let map = |id: u32| new_id.get(&id).copied().unwrap_or(0);
    let mut types = Vec::with_capacity(order.len() * 24);
    for &id in &order {
        let rec = target.record(id);
        let at = types.len();
        match kind_of(rec) {
            FUNC_PROTO => {
                // `void (void)`: nothing reads a prototype's parameters here.
                types.extend_from_slice(&rec[..12]);
                put_u32(&mut types, at + 4, FUNC_PROTO << 24);
                put_u32(&mut types, at + 8, 0);
            }
            STRUCT | UNION => {
                types.extend_from_slice(rec);
                for m in 0..vlen_of(rec) {
                    let f = at + 12 + 12 * m + 4;
                    let t = map(u32_at(&types, f));
                    put_u32(&mut types, f, t);
                }
            }
            PTR | TYPEDEF | VOLATILE | CONST | RESTRICT | TYPE_TAG | FUNC | VAR | DECL_TAG => {
                types.extend_from_slice(rec);
                let t = map(u32_at(&types, at + 8));
                put_u32(&mut types, at + 8, t);
            }
            ARRAY => {
                types.extend_from_slice(rec);
                for f in [at + 12, at + 16] {
                    let t = map(u32_at(&types, f));
                    put_u32(&mut types, f, t);
                }
            }
            DATASEC => {
                // Not reachable from a kept type; written without its variables if ever.
                types.extend_from_slice(&rec[..12]);
                put_u32(&mut types, at + 4, DATASEC << 24);
            }
            _ => types.extend_from_slice(rec),
        }
    }
    let core = Btf::parse(&blob(&types, target.strings), Endianness::default()).map_err(TrimError::Parse)?;

    Ok(Trimmed { core, attach: AttachTypes::Ids(attach_ids), kept: (order.len() as u32, target.n_types()) })
}

/// A BTF blob: header, types, strings.
fn blob(types: &[u8], strings: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HDR_LEN + types.len() + strings.len());
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.push(1); // version
    out.push(0); // flags
    for v in [HDR_LEN as u32, 0, types.len() as u32, types.len() as u32, strings.len() as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(types);
    out.extend_from_slice(strings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relocations aya computes from the trimmed BTF equal those from the whole, and the
    /// attach types have their kernel ids.
    #[test]
    fn trimmed_btf_relocates_like_the_whole() {
        let kernel = match KernelBtf::open() {
            Ok(k) => k,
            Err(e) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: no kernel BTF ({e})");
                return;
            }
            Err(e) => panic!("no kernel BTF: {e}"),
        };
        let attach = crate::loader::attach_types();
        let names: Vec<&str> = attach.iter().map(String::as_str).collect();
        let trimmed = trim(kernel.bytes(), crate::loader::PROBE, &names).expect("trim");
        let full = Btf::parse(kernel.bytes(), Endianness::default()).expect("parse");
        eprintln!("kept {:?} types", trimmed.kept);
        assert!(trimmed.kept.0 > 100 && trimmed.kept.0 < trimmed.kept.1 / 4, "{:?}", trimmed.kept);

        let mut whole = aya_obj::Object::parse(crate::loader::PROBE).expect("object");
        let mut cut = aya_obj::Object::parse(crate::loader::PROBE).expect("object");
        whole.relocate_btf(&full).expect("relocate against the whole BTF");
        cut.relocate_btf(&trimmed.core).expect("relocate against the trimmed BTF");
        assert_eq!(whole.functions.len(), cut.functions.len());
        for (key, f) in &whole.functions {
            let g = &cut.functions[key];
            assert_eq!(format!("{:?}", f.instructions), format!("{:?}", g.instructions), "function {}", f.name);
        }

        let attach = trimmed.attach.into_btf().expect("attach BTF");
        for name in &names {
            let kind = if name.starts_with("bpf_iter_") {
                aya_obj::btf::BtfKind::Func
            } else {
                aya_obj::btf::BtfKind::Typedef
            };
            let want = full.id_by_type_name_kind(name, kind);
            let got = attach.id_by_type_name_kind(name, kind);
            match want {
                Ok(id) => assert_eq!(got.ok(), Some(id), "{name}"),
                Err(_) => assert!(got.is_err(), "{name}"),
            }
        }
    }
}
