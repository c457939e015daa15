//! The `.scap` trace format: reading and writing libscap's capture files.
//!
//! See ../shared/corpus/SCAP_FORMAT.md for the layout. `ScapReader` turns a trace into stream
//! frames; gzip is undone before it by `crate::input`.

pub mod blocks;
pub mod container;
mod reader;
pub mod writer;

pub use reader::ScapReader;
pub use writer::ScapWriter;

/// A `.scap` file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{what} (block at byte {offset}{})", if *.compressed { " of the uncompressed data" } else { "" })]
pub struct ScapError {
    /// Byte offset of the block where the problem is.
    pub offset: u64,
    /// Whether the offset counts uncompressed bytes of a gzip file.
    pub compressed: bool,
    /// What is wrong.
    pub what: String,
}

/// Block type numbers (SCAP_FORMAT.md section 3).
pub mod block {
    #![allow(missing_docs)]
    pub const SHB: u32 = 0x0A0D_0D0A;
    pub const MI: u32 = 0x201;
    pub const MI_OLD: u32 = 0x8002_ABCD;
    pub const PL_V1: u32 = 0x202;
    pub const PL_V1_OLD: u32 = 0x8000_ABCD;
    pub const PL_V2: u32 = 0x207;
    pub const PL_V2_OLD: u32 = 0x8013_ABCD;
    pub const PL_V3: u32 = 0x209;
    pub const PL_V3_OLD: u32 = 0x8014_ABCD;
    pub const PL_V4: u32 = 0x210;
    pub const PL_V5: u32 = 0x211;
    pub const PL_V6: u32 = 0x212;
    pub const PL_V7: u32 = 0x213;
    pub const PL_V8: u32 = 0x214;
    pub const PL_V9: u32 = 0x215;
    pub const FDL: u32 = 0x203;
    pub const FDL_OLD: u32 = 0x8001_ABCD;
    pub const FDL_V2: u32 = 0x218;
    pub const EV: u32 = 0x204;
    pub const EV_OLD: u32 = 0x8010_ABCD;
    pub const EV_V2: u32 = 0x216;
    pub const EV_V2_LARGE: u32 = 0x221;
    pub const EVF: u32 = 0x208;
    pub const EVF_V2: u32 = 0x217;
    pub const EVF_V2_LARGE: u32 = 0x222;
    pub const IL: u32 = 0x205;
    pub const IL_OLD: u32 = 0x8011_ABCD;
    pub const IL_V2: u32 = 0x219;
    pub const UL: u32 = 0x206;
    pub const UL_OLD: u32 = 0x8012_ABCD;
    pub const UL_V2: u32 = 0x220;

    /// Whether a block holds an event.
    pub fn is_event(t: u32) -> bool {
        matches!(t, EV | EV_OLD | EV_V2 | EV_V2_LARGE | EVF | EVF_V2 | EVF_V2_LARGE)
    }

    /// Whether an event block carries a parameter count in its event header.
    pub fn is_v2_event(t: u32) -> bool {
        matches!(t, EV_V2 | EV_V2_LARGE | EVF_V2 | EVF_V2_LARGE)
    }

    /// Whether an event block carries dump flags before the event.
    pub fn has_flags(t: u32) -> bool {
        matches!(t, EVF | EVF_V2 | EVF_V2_LARGE)
    }

    /// The version of a process list block, or `None` for other blocks.
    pub fn process_list_version(t: u32) -> Option<u8> {
        Some(match t {
            PL_V1 | PL_V1_OLD => 1,
            PL_V2 | PL_V2_OLD => 2,
            PL_V3 | PL_V3_OLD => 3,
            PL_V4 => 4,
            PL_V5 => 5,
            PL_V6 => 6,
            PL_V7 => 7,
            PL_V8 => 8,
            PL_V9 => 9,
            _ => return None,
        })
    }
}
