//! Our built-in chisels and helper modules, embedded in the binary.
//!
//! Every file under `chisels/` (chisels) and `chisels/lib/` (modules) is ours, listed by
//! `build.rs`: same names, arguments and output as sysdig's catalogue,
//! our own code. Helper modules (`common`, `ansiterminal`) serve our chisels, and chisel files
//! that require them where sysdig's own helpers are not installed.

include!(concat!(env!("OUT_DIR"), "/builtin_list.rs"));

/// Lua run in every chisel's state before the chisel (see the file for why).
pub static PRELUDE: &str = include_str!("../chisels/lib/prelude.lua");

/// A built-in chisel's code.
pub fn chisel(name: &str) -> Option<&'static str> {
    CHISELS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{describe, ChiselDirs, ChiselSource, Origin};

    #[test]
    fn every_builtin_loads_and_describes_itself() {
        let dirs = ChiselDirs { user: Vec::new(), system: Vec::new() };
        for (name, code) in CHISELS {
            let src = ChiselSource { name: name.to_string(), code: code.to_string(), origin: Origin::Builtin };
            let hidden = *name == "table_generator";
            match describe(&src, &dirs) {
                Some(info) => assert!(!hidden && !info.short_description.is_empty(), "{name}"),
                None => {
                    assert!(hidden, "{name} does not load or lacks description, short_description or args");
                    let chisel = crate::Chisel::load(src, &dirs, crate::Env::default(), Box::new(std::io::sink()));
                    assert!(chisel.is_ok(), "{name}: {:?}", chisel.err());
                }
            }
        }
    }
}
