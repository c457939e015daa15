//! Non-interactive output: csysdig's `-j` (JSON) and `--raw` (text) renderings of each sample.
//!
//! The JSON document is the one csysdig writes: `{"slices": [` then a `{"progress": 0}` slice,
//! then per sample a slice with the rows (`"d"` values and `"k"` key), their count and an `info`
//! object (legend, sorting column, drill-down templates). Rows are sorted by the view's sorting
//! column. Where csysdig writes several slices without commas between them (live input), we
//! separate them so the document parses (see DIFFERENCES.md).

use std::io::{self, Write};

use crate::catalogue::{Catalogue, ViewDef, ViewKind};
use crate::drill::{self, Level};
use crate::feed::Sample;
use crate::table::format::{self, Json};
use crate::table::{self, ColumnSpec, Row, TableSpec};

/// How rows are sorted: an output value column and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sorting {
    /// The value column (0 is the first column after the key).
    pub col: usize,
    /// Ascending or descending.
    pub ascending: bool,
}

impl Sorting {
    /// The view's initial sorting: its sorting column, numbers descending, text ascending.
    /// `override_col` (csysdig's `--sortingcol`) replaces the view's column when valid.
    pub fn initial(view: &ViewDef, spec: &TableSpec, override_col: Option<usize>) -> Sorting {
        let col = override_col.filter(|c| *c >= 1 && *c < view.columns.len()).unwrap_or(view.sorting_col).max(1);
        let ascending = spec.output_columns().get(col).is_none_or(|c| !table::sorts_descending_first(c.ptype));
        Sorting { col: col - 1, ascending }
    }
}

/// The rows of a sample, sorted.
pub fn sorted_rows(sample: &Sample, sorting: Sorting) -> Vec<Row> {
    let mut rows = sample.rows.clone();
    table::sort_rows(&mut rows, &sample.spec, sorting.col, sorting.ascending);
    rows
}

/// The key column of a sample as rendered in `"k"` and in drill-down filters.
pub fn key_text(spec: &TableSpec, row: &Row) -> String {
    let key = &spec.output_columns()[0];
    format::key_text(key.ptype, &row.key)
}

/// The columns shown after the key, with their display titles and sizes from the view.
pub fn value_columns<'a>(view: &ViewDef, spec: &'a TableSpec) -> Vec<(&'a ColumnSpec, String, i32)> {
    let titles = view.titles_and_sizes();
    spec.output_columns()
        .iter()
        .enumerate()
        .skip(1)
        .map(|(j, c)| {
            let (name, size) = titles.get(j).cloned().unwrap_or_else(|| (c.name.clone(), c.size));
            (c, name, size)
        })
        .collect()
}

/// The drill-down filter templates csysdig reports for a table view: where Enter on the first
/// row would lead, with the value replaced by `drill::TEMPLATE_MAGIC`. Returns
/// (`filterTemplate`, `filterTemplateF`).
pub fn filter_templates(
    catalogue: &Catalogue,
    view: &ViewDef,
    stack: &[Level],
    cmdline_filter: &str,
    depth: u32,
) -> (String, String) {
    let mut levels = stack.to_vec();
    let mut target = view;
    let mut depth = depth;
    if let Some(key) = view.key() {
        let field = key.filter_field_at(depth);
        if let Some(t) = catalogue.drilldown_target(view, &field) {
            if view.drilldown_increase_depth && t.id != "spectro_tracers" {
                depth += 1;
            }
            let view_filter = if view.propagate_filter { view.filter_at(depth) } else { String::new() };
            levels.push(Level { field, value: String::new(), child_only: key.filter_in_child_only, view_filter });
            target = t;
        }
    }
    let noview = drill::combine(cmdline_filter, &drill::stack_filter(&levels, true));
    let complete = drill::combine(&noview, &target.filter_at(depth));
    (noview, complete)
}

/// Writes one slice of csysdig's JSON for echo and dig (`values` are JSON values already):
/// `{"progress": P,"data": [...]` and a line break, then `}`; the last slice also has the
/// count of every value written.
pub fn spy_slice(out: &mut dyn Write, progress: f64, count: Option<u64>, values: &[String]) -> io::Result<()> {
    write!(out, "{{\"progress\": {progress:.2},")?;
    if let Some(n) = count {
        write!(out, " \"count\": {n}, ")?;
    }
    out.write_all(b"\"data\": [")?;
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(v.as_bytes())?;
    }
    out.write_all(b"]\n}")
}

/// Writes csysdig's JSON documents.
pub struct JsonWriter<W: Write> {
    out: W,
    n_slices: usize,
}

impl<W: Write> JsonWriter<W> {
    /// Starts the document.
    pub fn begin(mut out: W, with_progress: bool) -> io::Result<JsonWriter<W>> {
        out.write_all(b"{\"slices\": [\n")?;
        let mut n_slices = 0;
        if with_progress {
            out.write_all(b"{\"progress\": 0}")?;
            n_slices = 1;
        }
        Ok(JsonWriter { out, n_slices })
    }

    fn separator(&mut self) -> io::Result<()> {
        if self.n_slices > 0 {
            self.out.write_all(b",\n")?;
        }
        self.n_slices += 1;
        Ok(())
    }

    /// Writes a slice with only the progress (percent of the file read).
    pub fn progress(&mut self, progress: f64) -> io::Result<()> {
        self.separator()?;
        write!(self.out, "{{\"progress\": {progress:.2}}}")
    }

    /// Writes one sample as a slice.
    pub fn sample(&mut self, sample: &Sample, rows: &[Row], info: &str) -> io::Result<()> {
        self.separator()?;
        let mut s = String::from("{\"progress\": 100, ");
        let values = &sample.spec.output_columns()[1..];
        if !rows.is_empty() {
            s.push_str("\"data\": [\n");
            for (i, row) in rows.iter().enumerate() {
                s.push_str("{\"d\":[");
                for (j, (col, slot)) in values.iter().zip(&row.values).enumerate() {
                    if j > 0 {
                        s.push(',');
                    }
                    format::json(col, slot, sample.time_delta_ns).write(&mut s);
                }
                s.push_str("],\"k\":");
                Json::Text(key_text(&sample.spec, row).into_bytes()).write(&mut s);
                s.push('}');
                if i + 1 < rows.len() {
                    s.push_str(",\n");
                }
            }
            s.push_str("],\n");
        }
        s.push_str(&format!("\"count\": {}, \"info\": {info}}}", rows.len()));
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }

    /// Ends the document.
    pub fn end(mut self) -> io::Result<W> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The `info` object of a slice, as JsonCpp writes it (keys sorted, no spaces).
pub fn info_json(view: &ViewDef, spec: &TableSpec, templates: Option<(String, String)>) -> String {
    let mut s = String::from("{");
    let mut first = true;
    let mut key = |s: &mut String, k: &str| {
        if !first {
            s.push(',');
        }
        first = false;
        s.push('"');
        s.push_str(k);
        s.push_str("\":");
    };
    if !view.applies_to.is_empty() {
        key(&mut s, "appliesTo");
        s.push('[');
        for (i, a) in view.applies_to.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            format::quote(a.as_bytes(), &mut s);
        }
        s.push(']');
    }
    let k = view.key();
    key(&mut s, "canDrillDown");
    s.push_str(if k.is_some() { "true" } else { "false" });
    if let Some(k) = k {
        key(&mut s, "drillDownKeyField");
        format::quote(k.field.as_bytes(), &mut s);
    }
    if let Some((t, tf)) = templates {
        key(&mut s, "filterTemplate");
        format::quote(t.as_bytes(), &mut s);
        key(&mut s, "filterTemplateF");
        format::quote(tf.as_bytes(), &mut s);
    }
    key(&mut s, "legend");
    s.push('[');
    for (i, (col, name, size)) in value_columns(view, spec).into_iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"format\":");
        format::quote(print_format_name(col.fmt).as_bytes(), &mut s);
        s.push_str(",\"name\":");
        format::quote(name.as_bytes(), &mut s);
        s.push_str(&format!(",\"size\":{size},\"type\":"));
        format::quote(col.ptype.name().as_bytes(), &mut s);
        s.push('}');
    }
    s.push(']');
    key(&mut s, "sortingCol");
    s.push_str(&view.sorting_col.to_string());
    s.push('}');
    s
}

/// The name csysdig gives a print format in legends.
pub fn print_format_name(f: scap_common::schema::PrintFormat) -> &'static str {
    use scap_common::schema::PrintFormat as F;
    match f {
        F::Na => "NA",
        F::Dec => "DEC",
        F::Hex => "HEX",
        F::PaddedDec => "10_PADDED_DEC",
        F::Id => "ID",
        F::Dir => "DIR",
        F::Oct => "OCT",
    }
}

/// Whether csysdig reports drill-down templates for this view (tables only).
pub fn has_templates(view: &ViewDef) -> bool {
    view.kind == ViewKind::Table
}

/// The separator line `--raw` prints after each sample.
pub const RAW_SEPARATOR: &str = "----------------------\n";

/// Writes one sample as `--raw` does: each value 10 characters wide, then a space.
pub fn raw_sample(out: &mut dyn Write, sample: &Sample, rows: &[Row]) -> io::Result<()> {
    let values = &sample.spec.output_columns()[1..];
    let mut s = String::new();
    for row in rows {
        for (col, slot) in values.iter().zip(&row.values) {
            s.push_str(&format::nice(col, slot, 10, sample.time_delta_ns));
            s.push(' ');
        }
        s.push('\n');
    }
    s.push_str(RAW_SEPARATOR);
    out.write_all(s.as_bytes())?;
    out.flush()
}
