//! Finding chisels and describing them: the lookup order, `-cl` and `-i`.
//!
//! A chisel is found, first match winning: as a path (when the name has a `/` or names an
//! existing file), in `./chisels`, in `~/.chisels`, among our built-in chisels, then in the
//! system directories (`$SCAP_CHISEL_DIR`, then sysdig's `/usr/share/sysdig/chisels`), each
//! tried as `NAME.lua` then `NAME`. The built-ins come before the system directories so that
//! `scap-chisel topprocs_cpu` runs ours even where sysdig is installed; sysdig's files still run
//! when named by path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mlua::{Table, Value as LuaValue};

use crate::builtin;
use crate::ChiselError;

/// sysdig's system chisel directory.
pub const SYSDIG_CHISEL_DIR: &str = "/usr/share/sysdig/chisels";

/// Where a chisel's code came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in this binary.
    Builtin,
    /// A file.
    File(PathBuf),
}

/// A chisel's code, ready to load.
#[derive(Clone, Debug)]
pub struct ChiselSource {
    /// The name it was found under.
    pub name: String,
    /// Its Lua code.
    pub code: String,
    /// Where it came from.
    pub origin: Origin,
}

impl ChiselSource {
    /// The chunk name Lua error messages start with.
    pub fn chunk_name(&self) -> String {
        match &self.origin {
            Origin::Builtin => format!("@{}.lua", self.name),
            Origin::File(p) => format!("@{}", p.display()),
        }
    }
}

/// One declared chisel argument.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArgInfo {
    /// Its name, passed to `on_set_arg`.
    pub name: String,
    /// Its declared type (`string`, `int`, `filter`, ...).
    pub argtype: String,
    /// What it means.
    pub description: String,
    /// Whether it may be left out.
    pub optional: bool,
}

/// What a chisel says about itself.
#[derive(Clone, Debug, Default)]
pub struct ChiselInfo {
    /// Its name.
    pub name: String,
    /// Long description.
    pub description: String,
    /// One-line description.
    pub short_description: String,
    /// Category in `-cl`.
    pub category: String,
    /// Its arguments.
    pub args: Vec<ArgInfo>,
}

impl ChiselInfo {
    /// Number of required arguments.
    pub fn n_required(&self) -> usize {
        self.args.iter().filter(|a| !a.optional).count()
    }
}

/// The directories searched, in order, around the built-ins.
#[derive(Clone, Debug)]
pub struct ChiselDirs {
    /// Searched before the built-ins.
    pub user: Vec<PathBuf>,
    /// Searched after the built-ins.
    pub system: Vec<PathBuf>,
}

impl Default for ChiselDirs {
    fn default() -> ChiselDirs {
        let mut user = vec![PathBuf::from("./chisels")];
        if let Some(home) = std::env::var_os("HOME") {
            user.push(Path::new(&home).join(".chisels"));
        }
        let mut system = Vec::new();
        if let Some(d) = std::env::var_os("SCAP_CHISEL_DIR") {
            system.push(PathBuf::from(d));
        }
        system.push(PathBuf::from(SYSDIG_CHISEL_DIR));
        ChiselDirs { user, system }
    }
}

impl ChiselDirs {
    /// Every directory, in search order (for `package.path`).
    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.user.iter().chain(self.system.iter())
    }

    /// Finds a chisel by name or path.
    pub fn find(&self, name: &str) -> Result<ChiselSource, ChiselError> {
        let name = name.trim();
        let as_path = Path::new(name);
        if (name.contains('/') || name.ends_with(".lua")) && as_path.is_file() {
            return read_source(name, as_path);
        }
        for dir in &self.user {
            if let Some(s) = find_in(dir, name)? {
                return Ok(s);
            }
        }
        if let Some(code) = builtin::chisel(name) {
            return Ok(ChiselSource { name: name.to_string(), code: code.to_string(), origin: Origin::Builtin });
        }
        for dir in &self.system {
            if let Some(s) = find_in(dir, name)? {
                return Ok(s);
            }
        }
        Err(ChiselError::NotFound(name.to_string()))
    }

    /// Every listable chisel, first found per name, with its description.
    pub fn list(&self) -> Vec<ChiselInfo> {
        let mut seen = BTreeMap::new();
        let mut add = |src: ChiselSource| {
            if seen.contains_key(&src.name) {
                return;
            }
            let name = src.name.clone();
            if let Some(info) = describe(&src, self) {
                seen.insert(name, Some(info));
            } else {
                seen.insert(name, None);
            }
        };
        for dir in &self.user {
            for s in dir_sources(dir) {
                add(s);
            }
        }
        for (name, code) in builtin::CHISELS {
            add(ChiselSource { name: name.to_string(), code: code.to_string(), origin: Origin::Builtin });
        }
        for dir in &self.system {
            for s in dir_sources(dir) {
                add(s);
            }
        }
        seen.into_values().flatten().collect()
    }
}

fn read_source(name: &str, path: &Path) -> Result<ChiselSource, ChiselError> {
    let code = std::fs::read_to_string(path).map_err(|e| ChiselError::Chisel {
        chisel: name.to_string(),
        what: format!("reading {}: {e}", path.display()),
    })?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| name.to_string());
    Ok(ChiselSource { name: stem, code, origin: Origin::File(path.to_path_buf()) })
}

fn find_in(dir: &Path, name: &str) -> Result<Option<ChiselSource>, ChiselError> {
    for candidate in [dir.join(format!("{name}.lua")), dir.join(name)] {
        if candidate.is_file() {
            return read_source(name, &candidate).map(Some);
        }
    }
    Ok(None)
}

fn dir_sources(dir: &Path) -> Vec<ChiselSource> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> =
        rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "lua")).collect();
    paths.sort();
    paths.into_iter().filter_map(|p| read_source(&p.display().to_string(), &p).ok()).collect()
}

/// Loads a chisel in a scratch Lua state and reads its globals, as `-cl` does: chisels without a
/// description, a short description or an args table, or marked `hidden`, are not listed.
pub fn describe(src: &ChiselSource, dirs: &ChiselDirs) -> Option<ChiselInfo> {
    let lua = crate::chisel::new_lua(src, dirs, crate::host::Env::default(), Box::new(std::io::sink())).ok()?;
    lua.load(src.code.as_str()).set_name(src.chunk_name()).exec().ok()?;
    let g = lua.globals();
    let description: String = g.get::<Option<String>>("description").ok().flatten()?;
    let short_description: String = g.get::<Option<String>>("short_description").ok().flatten()?;
    let category: String = g.get::<Option<String>>("category").ok().flatten().unwrap_or_default();
    if let Ok(LuaValue::Boolean(true)) = g.get::<LuaValue>("hidden") {
        return None;
    }
    let args: Table = g.get::<Option<Table>>("args").ok().flatten()?;
    Some(ChiselInfo { name: src.name.clone(), description, short_description, category, args: parse_args(&args).ok()? })
}

/// Reads a chisel's `args` table.
pub fn parse_args(args: &Table) -> Result<Vec<ArgInfo>, String> {
    let mut out = Vec::new();
    for v in args.sequence_values::<LuaValue>() {
        let v = v.map_err(|e| e.to_string())?;
        let LuaValue::Table(t) = v else { continue };
        let text = |k: &str| t.get::<Option<String>>(k).ok().flatten().unwrap_or_default();
        let optional = matches!(t.get::<LuaValue>("optional"), Ok(LuaValue::Boolean(true)));
        out.push(ArgInfo { name: text("name"), argtype: text("argtype"), description: text("description"), optional });
    }
    Ok(out)
}

/// Lua: `%.14g`-free word wrapping of `text` into lines of `width` bytes, cut anywhere, as
/// sysdig wraps descriptions.
fn hard_wrap(text: &str, first_width: usize, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    let mut w = first_width;
    while start < chars.len() {
        let end = (start + w).min(chars.len());
        lines.push(chars[start..end].iter().collect());
        start = end;
        w = width;
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The `-cl` listing, in sysdig's layout: chisels grouped by category, names in a 16-column
/// field, descriptions cut at 79 columns.
pub fn format_list(chisels: &[ChiselInfo]) -> String {
    let mut by_cat: BTreeMap<&str, Vec<&ChiselInfo>> = BTreeMap::new();
    for c in chisels {
        by_cat.entry(c.category.as_str()).or_default().push(c);
    }
    let mut out = String::new();
    for (cat, mut list) in by_cat {
        list.sort_by(|a, b| a.name.cmp(&b.name));
        let title = format!("Category: {cat}");
        out.push_str(&format!("\n{title}\n{}\n", "-".repeat(title.len())));
        for c in list {
            out.push_str(&entry_lines(c));
        }
    }
    out.push_str("\nUse the -i flag to get detailed information about a specific chisel\n");
    out
}

fn entry_lines(c: &ChiselInfo) -> String {
    let mut out = String::new();
    if c.name.len() >= 16 {
        out.push_str(&c.name);
        out.push('\n');
        out.push_str(&" ".repeat(16));
    } else {
        out.push_str(&format!("{:<16}", c.name));
    }
    let lines = hard_wrap(&c.short_description, 63, 63);
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(16));
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The `-i NAME` text: category header, the listing line, the long description and the
/// arguments.
pub fn format_info(c: &ChiselInfo) -> String {
    let title = format!("Category: {}", c.category);
    let mut out = format!("\n{title}\n{}\n", "-".repeat(title.len()));
    out.push_str(&entry_lines(c));
    out.push('\n');
    for l in hard_wrap(&c.description, 79, 79) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str("Args:\n");
    if c.args.is_empty() {
        out.push_str("(None)\n");
    }
    for a in &c.args {
        let head = format!("[{}] {} - ", a.argtype, a.name);
        let lines = hard_wrap(&a.description, 79usize.saturating_sub(head.len()).max(20), 63);
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                out.push_str(&head);
            } else {
                out.push_str(&" ".repeat(16));
            }
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_layout_matches_sysdig() {
        let c = ChiselInfo {
            name: "topcontainers_cpu".into(),
            short_description: "Top containers by CPU usage".into(),
            category: "CPU Usage".into(),
            ..ChiselInfo::default()
        };
        let d = ChiselInfo { name: "spectrogram".into(), short_description: "x".repeat(70), ..c.clone() };
        let text = format_list(&[c, d]);
        let want = format!(
            "\nCategory: CPU Usage\n-------------------\nspectrogram     {}\n{}{}\ntopcontainers_cpu\n                Top containers by CPU usage\n\nUse the -i flag to get detailed information about a specific chisel\n",
            "x".repeat(63),
            " ".repeat(16),
            "x".repeat(7)
        );
        assert_eq!(text, want);
    }
}
