//! Embeds every Lua file under `chisels/` (built-in chisels) and `chisels/lib/` (helper modules).

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "lua"))
                .filter_map(|p| {
                    let name = p.file_stem()?.to_string_lossy().into_owned();
                    Some((name, p.canonicalize().ok()?.display().to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn array(name: &str, doc: &str, items: &[(String, String)]) -> String {
    let mut s = format!("/// {doc}\npub static {name}: &[(&str, &str)] = &[\n");
    for (n, path) in items {
        let _ = writeln!(s, "    ({n:?}, include_str!({path:?})),");
    }
    s.push_str("];\n");
    s
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("chisels");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed={}", root.join("lib").display());
    let chisels = list(&root);
    let modules: Vec<_> = list(&root.join("lib")).into_iter().filter(|(n, _)| n != "prelude").collect();
    let mut code = array("CHISELS", "The built-in chisels, by name.", &chisels);
    code.push_str(&array("MODULES", "Helper modules `require` finds.", &modules));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("builtin_list.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("writing {}: {e}", out.display());
    }
}
