//! View definitions: csysdig's `view_info` tables, as data.
//!
//! A view is defined in Lua exactly as csysdig's `v_*.lua` files define it (a global
//! `view_info` table with `id`, `name`, `columns`, `filter`, `drilldown_target`, ...). The Lua
//! is evaluated by scap-chisel's Lua host (`scap_chisel::data::eval_global`), which hands back
//! the table as plain data; `ViewDef::from_data` reads that data, so nothing here depends on Lua.
//!
//! `Catalogue` holds the views scap-top knows: the built-in ones (`builtin.rs`, our own
//! definitions in the same format, embedded in the binary) and any found in view directories,
//! which replace a built-in view of the same id.

pub mod builtin;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value as Data;

use crate::table::Aggregation;

/// What a view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    /// One row per key (`view_type = "table"`).
    Table,
    /// One row per event (`"list"`).
    List,
    /// A latency spectrogram (`"spectrogram"`).
    Spectro,
}

/// One column of a view definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    /// The field it shows (may contain `%depth`).
    pub field: String,
    /// The title.
    pub name: String,
    /// What it means.
    pub description: String,
    /// Width on screen; `None` when unspecified (csysdig's -1).
    pub colsize: Option<u32>,
    /// The row key.
    pub is_key: bool,
    /// The key rows are grouped by at sample time.
    pub is_groupby_key: bool,
    /// The column the view sorts by at first.
    pub is_sorting: bool,
    /// A drill-down on this key filters only the view drilled into, not deeper ones.
    pub filter_in_child_only: bool,
    /// How values of one key combine.
    pub aggregation: Aggregation,
    /// How values combine when grouping.
    pub groupby_aggregation: Aggregation,
    /// The column is shown only when one of these tags applies (`default`, `containers`).
    pub tags: Vec<String>,
    /// The field a drill-down filters on instead of `field`.
    pub filterfield: String,
}

impl ColumnDef {
    /// The field with `%depth` replaced, as csysdig does (`%depth+1` becomes `depth-1`, a quirk
    /// kept as is).
    pub fn field_at(&self, depth: u32) -> String {
        let f: String = self.field.chars().filter(|c| *c != ' ' && *c != '\t').collect();
        let d = i64::from(depth);
        if f.contains("%depth-1") {
            f.replace("%depth-1", &(d - 1).to_string())
        } else if f.contains("%depth+1") {
            f.replace("%depth+1", &(d - 1).to_string())
        } else {
            f.replace("%depth", &d.to_string())
        }
    }

    /// The field a drill-down from this key column filters on.
    pub fn filter_field_at(&self, depth: u32) -> String {
        if self.filterfield.is_empty() {
            self.field_at(depth)
        } else {
            self.filterfield.clone()
        }
    }
}

/// A command a view offers on its selected row (F8), with `%field` placeholders.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionDef {
    /// The key that runs it.
    pub hotkey: char,
    /// The shell command.
    pub command: String,
    /// What it does.
    pub description: String,
    /// Ask before running.
    pub ask_confirmation: bool,
    /// Wait for a key after it ends.
    pub wait_finish: bool,
}

/// A view.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewDef {
    /// Short id (`procs`), used by `-v`.
    pub id: String,
    /// Title (`Processes`).
    pub name: String,
    /// What it shows.
    pub description: String,
    /// Tags (`Default`, `nocsysdig`, ...).
    pub tags: Vec<String>,
    /// Usage tips.
    pub tips: Vec<String>,
    /// Table, list or spectrogram.
    pub kind: ViewKind,
    /// The drill-down keys this view can be applied to (`""` is the whole machine).
    pub applies_to: Vec<String>,
    /// The view's own filter (may contain `%depth`).
    pub filter: String,
    /// The view Enter opens.
    pub drilldown_target: String,
    /// Missing numbers count as zero instead of dropping the event.
    pub use_defaults: bool,
    /// A starting view.
    pub is_root: bool,
    /// Columns, the key first, then the group-by key if any.
    pub columns: Vec<ColumnDef>,
    /// Commands on the selection.
    pub actions: Vec<ActionDef>,
    /// Drilling down goes one level deeper (spans).
    pub drilldown_increase_depth: bool,
    /// For spectrograms: `tracers` or empty.
    pub spectro_type: String,
    /// Whether this view's filter carries over to the views drilled into.
    pub propagate_filter: bool,
    /// The column sorted by at first (0 is the key).
    pub sorting_col: usize,
    /// Whether a group-by key is present.
    pub does_groupby: bool,
}

/// Why a view definition could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewError {
    /// The view (its file or id).
    pub view: String,
    /// What is wrong.
    pub what: String,
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "view {}: {}", self.view, self.what)
    }
}

impl std::error::Error for ViewError {}

fn items(d: &Data) -> Vec<&Data> {
    match d {
        Data::Array(a) => a.iter().collect(),
        Data::Object(o) => o.values().collect(),
        _ => Vec::new(),
    }
}

fn text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => Some(s.clone()),
        Data::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

struct Reader<'a> {
    view: &'a str,
}

impl Reader<'_> {
    fn err(&self, what: impl Into<String>) -> ViewError {
        ViewError { view: self.view.to_string(), what: what.into() }
    }

    fn string(&self, d: &Data, key: &str) -> Result<String, ViewError> {
        text(d).ok_or_else(|| self.err(format!("'{key}' must be a string")))
    }

    fn strings(&self, d: &Data, key: &str) -> Result<Vec<String>, ViewError> {
        if !matches!(d, Data::Array(_) | Data::Object(_)) {
            return Err(self.err(format!("'{key}' must be a table")));
        }
        items(d)
            .into_iter()
            .map(|v| text(v).ok_or_else(|| self.err(format!("'{key}' entries must be strings"))))
            .collect()
    }

    fn boolean(&self, d: &Data, key: &str) -> Result<bool, ViewError> {
        d.as_bool().ok_or_else(|| self.err(format!("'{key}' must be a boolean")))
    }

    fn aggregation(&self, d: &Data, key: &str) -> Result<Aggregation, ViewError> {
        let s = self.string(d, key)?;
        Aggregation::from_name(&s).ok_or_else(|| self.err(format!("unknown {key} '{s}'")))
    }

    fn column(&self, d: &Data) -> Result<ColumnDef, ViewError> {
        let Data::Object(o) = d else { return Err(self.err("column entries must be tables")) };
        let mut c = ColumnDef {
            field: String::new(),
            name: String::new(),
            description: String::new(),
            colsize: None,
            is_key: false,
            is_groupby_key: false,
            is_sorting: false,
            filter_in_child_only: false,
            aggregation: Aggregation::None,
            groupby_aggregation: Aggregation::None,
            tags: Vec::new(),
            filterfield: String::new(),
        };
        for (k, v) in o {
            match k.as_str() {
                "name" => c.name = self.string(v, k)?,
                "description" => c.description = self.string(v, k)?,
                "field" => c.field = self.string(v, k)?,
                "filterfield" => c.filterfield = self.string(v, k)?,
                "colsize" => {
                    let n = v.as_f64().ok_or_else(|| self.err("'colsize' must be a number"))?;
                    c.colsize = Some(n as u32);
                }
                "is_key" => c.is_key = self.boolean(v, k)?,
                "is_groupby_key" => c.is_groupby_key = self.boolean(v, k)?,
                "is_sorting" => c.is_sorting = self.boolean(v, k)?,
                "filter_in_child_only" => c.filter_in_child_only = self.boolean(v, k)?,
                "aggregation" => c.aggregation = self.aggregation(v, k)?,
                "groupby_aggregation" => c.groupby_aggregation = self.aggregation(v, k)?,
                "tags" => c.tags = self.strings(v, k)?,
                _ => {}
            }
        }
        if c.field.is_empty() {
            return Err(self.err(format!("column '{}' has no field", c.name)));
        }
        if !c.filterfield.is_empty() && !c.is_key && !c.is_groupby_key {
            return Err(self.err("'filterfield' is only allowed on key columns"));
        }
        Ok(c)
    }

    fn action(&self, d: &Data) -> Result<ActionDef, ViewError> {
        let Data::Object(o) = d else { return Err(self.err("action entries must be tables")) };
        let mut a = ActionDef {
            hotkey: '\0',
            command: String::new(),
            description: String::new(),
            ask_confirmation: false,
            wait_finish: true,
        };
        for (k, v) in o {
            match k.as_str() {
                "hotkey" => {
                    let s = self.string(v, k)?;
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => a.hotkey = c,
                        _ => return Err(self.err("an action's 'hotkey' must be a single character")),
                    }
                }
                "command" => a.command = self.string(v, k)?,
                "description" => a.description = self.string(v, k)?,
                "wait_finish" => a.wait_finish = v.as_bool().unwrap_or(true),
                "ask_confirmation" => a.ask_confirmation = v.as_bool().unwrap_or(false),
                _ => {}
            }
        }
        if a.hotkey == '\0' {
            return Err(self.err("an action has no 'hotkey'"));
        }
        if a.command.is_empty() {
            return Err(self.err("an action has no 'command'"));
        }
        Ok(a)
    }
}

impl ViewDef {
    /// Reads a `view_info` table. `origin` names it in errors (a file name or view id).
    pub fn from_data(data: &Data, origin: &str) -> Result<ViewDef, ViewError> {
        let r = Reader { view: origin };
        let Data::Object(o) = data else { return Err(r.err("view_info must be a table")) };
        let mut v = ViewDef {
            id: String::new(),
            name: String::new(),
            description: String::new(),
            tags: Vec::new(),
            tips: Vec::new(),
            kind: ViewKind::Table,
            applies_to: Vec::new(),
            filter: String::new(),
            drilldown_target: String::new(),
            use_defaults: false,
            is_root: false,
            columns: Vec::new(),
            actions: Vec::new(),
            drilldown_increase_depth: false,
            spectro_type: String::new(),
            propagate_filter: true,
            sorting_col: 1,
            does_groupby: false,
        };
        for (k, val) in o {
            match k.as_str() {
                "id" => v.id = r.string(val, k)?,
                "name" => v.name = r.string(val, k)?,
                "description" => v.description = r.string(val, k)?,
                "tags" => v.tags = r.strings(val, k)?,
                "tips" => v.tips = r.strings(val, k)?,
                "view_type" => {
                    v.kind = match r.string(val, k)?.as_str() {
                        "table" => ViewKind::Table,
                        "list" => ViewKind::List,
                        "spectrogram" => ViewKind::Spectro,
                        other => {
                            return Err(
                                r.err(format!("'view_type' must be 'table', 'list' or 'spectrogram', not '{other}'"))
                            )
                        }
                    }
                }
                "drilldown_target" => v.drilldown_target = r.string(val, k)?,
                "spectro_type" => v.spectro_type = r.string(val, k)?,
                "applies_to" => v.applies_to = r.strings(val, k)?,
                "filter" => v.filter = r.string(val, k)?,
                "use_defaults" => v.use_defaults = r.boolean(val, k)?,
                "is_root" => v.is_root = r.boolean(val, k)?,
                "columns" => {
                    if !matches!(val, Data::Array(_) | Data::Object(_)) {
                        return Err(r.err("'columns' must be a table"));
                    }
                    v.columns = items(val).into_iter().map(|c| r.column(c)).collect::<Result<_, _>>()?;
                }
                "actions" => {
                    if !matches!(val, Data::Array(_) | Data::Object(_)) {
                        return Err(r.err("'actions' must be a table"));
                    }
                    v.actions = items(val).into_iter().map(|a| r.action(a)).collect::<Result<_, _>>()?;
                }
                "drilldown_increase_depth" => v.drilldown_increase_depth = r.boolean(val, k)?,
                "propagate_filter" => v.propagate_filter = r.boolean(val, k)?,
                _ => {}
            }
        }
        if v.id.is_empty() {
            return Err(r.err("view_info has no 'id'"));
        }
        if v.columns.is_empty() {
            return Err(ViewError { view: v.id.clone(), what: "view has no columns".into() });
        }
        v.move_to_front(|c| c.is_groupby_key);
        v.move_to_front(|c| c.is_key);
        v.update_sorting().map_err(|what| ViewError { view: v.id.clone(), what })?;
        Ok(v)
    }

    fn move_to_front(&mut self, pick: impl Fn(&ColumnDef) -> bool) {
        if let Some(i) = self.columns.iter().position(pick) {
            let c = self.columns.remove(i);
            self.columns.insert(0, c);
        }
    }

    fn update_sorting(&mut self) -> Result<(), String> {
        self.does_groupby = self.columns.iter().any(|c| c.is_groupby_key);
        let sorting: Vec<usize> =
            self.columns.iter().enumerate().filter(|(_, c)| c.is_sorting).map(|(i, _)| i).collect();
        self.sorting_col = match sorting.as_slice() {
            [] => {
                if self.does_groupby {
                    2
                } else {
                    1
                }
            }
            [one] => {
                if self.does_groupby {
                    one.checked_sub(1).ok_or("the sorting column cannot be the key")?
                } else {
                    *one
                }
            }
            _ => return Err("more than one sorting column".into()),
        };
        Ok(())
    }

    /// Keeps only the columns that have no tags or carry `tag` (`default`, or `containers` for
    /// `-pc`).
    pub fn apply_tag(&mut self, tag: &str) -> Result<(), ViewError> {
        self.columns.retain(|c| c.tags.is_empty() || c.tags.iter().any(|t| t == tag));
        self.update_sorting().map_err(|what| ViewError { view: self.id.clone(), what })
    }

    /// The view's filter with `%depth` replaced.
    pub fn filter_at(&self, depth: u32) -> String {
        let d = i64::from(depth);
        if self.filter.contains("%depth+1") {
            self.filter.replace("%depth+1", &(d + 1).to_string()).replace("%depth + 1", &(d + 1).to_string())
        } else if self.filter.contains("%depth-1") {
            self.filter.replace("%depth-1", &(d - 1).to_string()).replace("%depth - 1", &(d - 1).to_string())
        } else {
            self.filter.replace("%depth", &d.to_string())
        }
    }

    /// The key a drill-down from this view filters on: the group-by key, else the key.
    pub fn key(&self) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.is_groupby_key).or_else(|| self.columns.iter().find(|c| c.is_key))
    }

    /// Column titles and widths as shown: without the key when grouping (the group-by key
    /// first), and for lists with an unnamed counter column first.
    pub fn titles_and_sizes(&self) -> Vec<(String, i32)> {
        let mut out: Vec<(String, i32)> = Vec::new();
        if self.kind == ViewKind::List {
            out.push((String::new(), -1));
        }
        for c in &self.columns {
            let size = c.colsize.map_or(-1, |s| s as i32);
            if self.does_groupby {
                if c.is_key {
                    continue;
                }
                if c.is_groupby_key {
                    out.insert(0, (c.name.clone(), size));
                    continue;
                }
            }
            out.push((c.name.clone(), size));
        }
        out
    }

    /// Whether the view is hidden from csysdig's screen (it is meant for other front ends).
    pub fn is_nocsysdig(&self) -> bool {
        self.tags.iter().any(|t| t == "nocsysdig")
    }
}

/// Runs Lua source and returns its `view_info` table as data, or `None` if it defines none.
pub type LuaEval = fn(source: &str, chunk: &str) -> Result<Option<Data>, String>;

/// The views scap-top knows, sorted by name as csysdig lists them.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    views: Vec<ViewDef>,
}

/// Where a view came from, for `--list-views` and errors.
#[derive(Clone, Debug)]
pub enum Origin {
    /// Built into scap-top.
    Builtin,
    /// A file.
    File(PathBuf),
}

impl Catalogue {
    /// The built-in views, then every `*.lua` file in `dirs` that defines a `view_info`
    /// (replacing a view with the same id). `tag` is applied to every view (`default` or
    /// `containers`). A file that fails to load is an error naming it.
    pub fn load(dirs: &[PathBuf], tag: &str, eval: LuaEval) -> Result<Catalogue, ViewError> {
        let mut cat = Catalogue::default();
        for (name, source) in builtin::VIEWS {
            let data = eval(source, name)
                .map_err(|what| ViewError { view: (*name).to_string(), what })?
                .ok_or_else(|| ViewError { view: (*name).to_string(), what: "defines no view_info".into() })?;
            cat.add(ViewDef::from_data(&data, name)?, tag)?;
        }
        for dir in dirs {
            for path in lua_files(dir) {
                let shown = path.display().to_string();
                let source = std::fs::read_to_string(&path)
                    .map_err(|e| ViewError { view: shown.clone(), what: format!("cannot read: {e}") })?;
                // Chisels share directories with views; only files that set `view_info` matter.
                if !source.contains("view_info") {
                    continue;
                }
                let Some(data) = eval(&source, &shown).map_err(|what| ViewError { view: shown.clone(), what })? else {
                    continue;
                };
                cat.add(ViewDef::from_data(&data, &shown)?, tag)?;
            }
        }
        cat.views.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(cat)
    }

    /// Adds a view (after applying `tag`), replacing one with the same id. Views tagged
    /// `Containers` first are skipped, as csysdig skips them.
    pub fn add(&mut self, mut view: ViewDef, tag: &str) -> Result<(), ViewError> {
        if view.tags.first().is_some_and(|t| t == "Containers") {
            return Ok(());
        }
        view.apply_tag(tag)?;
        self.views.retain(|v| v.id != view.id);
        self.views.push(view);
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    /// All views, sorted by name.
    pub fn views(&self) -> &[ViewDef] {
        &self.views
    }

    /// The view with this id.
    pub fn get(&self, id: &str) -> Option<&ViewDef> {
        self.views.iter().find(|v| v.id == id)
    }

    /// The index of the view with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.views.iter().position(|v| v.id == id)
    }

    /// The view shown when none is asked for: the first root view by name.
    pub fn default_view(&self) -> Option<&ViewDef> {
        self.views.iter().find(|v| v.is_root)
    }

    /// Drops the views csysdig hides from its own screen (`nocsysdig`).
    pub fn without_nocsysdig(mut self) -> Catalogue {
        self.views.retain(|v| !v.is_nocsysdig());
        self
    }

    /// The view a drill-down from `from` on key `field` opens: its `drilldown_target`, else
    /// the first view (by name) that applies to `field`.
    pub fn drilldown_target(&self, from: &ViewDef, field: &str) -> Option<&ViewDef> {
        self.get(&from.drilldown_target).or_else(|| self.views.iter().find(|v| v.applies_to.iter().any(|a| a == field)))
    }
}

fn lua_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "lua")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn procs() -> Data {
        json!({
            "id": "procs", "name": "Processes", "view_type": "table", "is_root": true,
            "filter": "evt.type!=switch", "drilldown_target": "threads", "use_defaults": true,
            "applies_to": ["", "container.id"],
            "columns": [
                {"name": "NA", "field": "thread.tid", "is_key": true},
                {"name": "NA", "field": "proc.pid", "is_groupby_key": true},
                {"name": "PID", "field": "proc.pid", "colsize": 7},
                {"name": "VPID", "field": "proc.vpid", "colsize": 8, "tags": ["containers"]},
                {"name": "CPU", "field": "thread.cpu", "aggregation": "AVG", "groupby_aggregation": "SUM", "is_sorting": true},
                {"name": "Command", "field": "proc.exeline", "aggregation": "MAX", "colsize": 0}
            ],
            "actions": [{"hotkey": "k", "command": "kill %proc.pid", "description": "kill"}]
        })
    }

    #[test]
    fn reads_a_view_and_places_keys_first() {
        let mut v = ViewDef::from_data(&procs(), "test").expect("view");
        assert_eq!(v.columns[0].field, "thread.tid");
        assert_eq!(v.columns[1].field, "proc.pid");
        assert!(v.does_groupby);
        // CPU is column 4 of 6; grouping hides the key, so it is output column 3.
        assert_eq!(v.sorting_col, 3);
        v.apply_tag("default").expect("tag");
        assert!(v.columns.iter().all(|c| c.name != "VPID"));
        assert_eq!(v.sorting_col, 2);
        assert_eq!(v.key().map(|c| c.field.as_str()), Some("proc.pid"));
        assert_eq!(
            v.titles_and_sizes(),
            vec![("NA".into(), -1), ("PID".into(), 7), ("CPU".into(), -1), ("Command".into(), 0)]
        );
        assert_eq!(v.actions[0].hotkey, 'k');
    }

    #[test]
    fn bad_definitions_say_what_is_wrong() {
        let mut d = procs();
        d["columns"][4]["aggregation"] = json!("MEDIAN");
        let e = ViewDef::from_data(&d, "v_x.lua").expect_err("bad aggregation");
        assert_eq!(e.to_string(), "view v_x.lua: unknown aggregation 'MEDIAN'");
        let mut d = procs();
        d["columns"][2]["is_sorting"] = json!(true);
        assert!(ViewDef::from_data(&d, "v").expect_err("two sorting").what.contains("more than one sorting"));
        let mut d = procs();
        d["view_type"] = json!("pie");
        assert!(ViewDef::from_data(&d, "v").is_err());
    }

    #[test]
    fn depth_substitution() {
        let mut d = procs();
        d["filter"] = json!("span.ntags>=%depth+1");
        d["columns"][5]["field"] = json!("span.tag[%depth]");
        let v = ViewDef::from_data(&d, "v").expect("view");
        assert_eq!(v.filter_at(2), "span.ntags>=3");
        assert_eq!(v.columns.iter().find(|c| c.name == "Command").map(|c| c.field_at(2)), Some("span.tag[2]".into()));
    }
}
