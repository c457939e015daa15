//! The listings: `-L` (event types, here), `-l`/`-lv` and `--list-markdown` (fields, from
//! scap-print), `-cl` and `-i` (chisels, from scap-chisel's catalogue).

use std::io::{self, Write};

use scap_common::schema::{self, category, flags};

/// `-L`: every event type sysdig 0.29.3 knows, as `> name(TYPE param, ...)`, skipping the
/// unused, old-version and internal ones as sysdig does.
pub fn list_events(out: &mut dyn Write) -> io::Result<()> {
    for t in 0..schema::SYSDIG_0_29_EVENT_MAX {
        let Some(info) = schema::event_info(t) else { continue };
        if info.flags & (flags::UNUSED | flags::OLD_VERSION) != 0 || info.category & category::INTERNAL != 0 {
            continue;
        }
        let dir = if schema::is_enter(t) { '>' } else { '<' };
        let params: Vec<String> = info.params.iter().map(|p| format!("{} {}", p.ty.name(), p.name)).collect();
        writeln!(out, "{dir} {}({})", info.name, params.join(", "))?;
    }
    Ok(())
}

/// `-l` (`-lv` with types).
pub fn list_fields(out: &mut dyn Write, verbose: bool) -> io::Result<()> {
    scap_print::list_fields_sysdig(out, verbose)
}

/// `--list-markdown`.
pub fn list_fields_markdown(out: &mut dyn Write) -> io::Result<()> {
    scap_print::list_fields_markdown(out)
}
