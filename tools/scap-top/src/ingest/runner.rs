//! A view put to work: its fields resolved, its filter compiled, its table fed with events.

use scap_common::event::Event;
use scap_common::fields::cpu::CpuDelta;
use scap_common::fields::{Ctx, FieldRef};
use scap_common::schema::{ev, ParamType, PrintFormat};
use scap_common::state::State;
use scap_filter::Filter;

use crate::catalogue::{ViewDef, ViewKind};
use crate::table::{Aggregation, ColumnSpec, Row, Table, TableKind, TableSpec, Val};

/// Where a column's values come from.
enum Source {
    /// A list's running counter (filled in by the table).
    Counter,
    /// A field.
    Field(FieldRef),
    /// A latency spread over `width` buckets on a log scale (csysdig's
    /// `evt.latency.quantized`, which depends on the screen width: 0 puts all in bucket 1).
    Quantized {
        /// The latency field.
        latency: FieldRef,
        /// The screen width.
        width: u32,
    },
    /// `thread.cpu`, `thread.cpu.user`, `thread.cpu.system`: the CPU time a thread used since its
    /// previous procinfo event, capped at 100; each column keeps its own previous values.
    ThreadCpu(CpuDelta),
    /// A field this build does not have (tracer spans): the view runs but shows no rows.
    Unsupported,
}

impl Source {
    fn extract<'a>(&mut self, ctx: &Ctx<'a>) -> Option<scap_common::fields::Value<'a>> {
        match self {
            Source::Counter | Source::Unsupported => None,
            Source::ThreadCpu(cpu) => cpu.read(ctx).map(scap_common::fields::Value::Double),
            Source::Field(f) => f.extract(ctx),
            Source::Quantized { latency, width } => {
                if ctx.event.info().is_some_and(|i| i.category & scap_common::schema::category::INTERNAL != 0) {
                    return None;
                }
                let lat = latency.extract(ctx)?.as_u64()?;
                if lat == 0 {
                    return None;
                }
                let l = (lat as f64).log10().min(11.0);
                Some(scap_common::fields::Value::Uint((l * f64::from(*width) / 11.0) as u64 + 1))
            }
        }
    }
}

/// A view ready to run: the table shape, a source per column and the filter.
pub struct Compiled {
    /// The table's shape.
    pub spec: TableSpec,
    fields: Vec<Source>,
    filter: Option<Filter>,
    /// Fields the view uses that this build lacks; when any, no event is shown.
    pub unsupported: Vec<String>,
}

/// The type and print format a field's values have in a table.
pub fn field_type(f: &FieldRef) -> (ParamType, PrintFormat) {
    (f.param_type(), f.info().fmt)
}

impl Compiled {
    /// Resolves a view's fields at drill-down `depth` and compiles `filter` (the complete filter,
    /// view filter included). Errors are one line naming the field or the filter problem.
    /// `spectro_width` is the screen width latency buckets spread over.
    pub fn new(view: &ViewDef, depth: u32, filter: &str, spectro_width: u32) -> Result<Compiled, String> {
        let mut columns = Vec::new();
        let mut fields = Vec::new();
        if view.kind == ViewKind::List {
            // csysdig keys list rows by a counter field (util.cnt, UINT64 shown as an id).
            columns.push(ColumnSpec {
                name: String::new(),
                field: "util.cnt".into(),
                ptype: ParamType::Uint64,
                fmt: PrintFormat::Id,
                aggregation: Aggregation::None,
                merge_aggregation: Aggregation::None,
                size: -1,
            });
            fields.push(Source::Counter);
        }
        let mut unsupported = Vec::new();
        for c in &view.columns {
            let text = c.field_at(depth);
            let (f, source) = match FieldRef::parse(&text) {
                Ok(f) => {
                    let source = match text.as_str() {
                        "evt.latency.quantized" | "span.duration.quantized" => {
                            match FieldRef::parse(&text.replace(".quantized", "")) {
                                Ok(latency) => Source::Quantized { latency, width: spectro_width },
                                Err(_) => Source::Field(f.clone()),
                            }
                        }
                        name => CpuDelta::for_field(name).map_or_else(|| Source::Field(f.clone()), Source::ThreadCpu),
                    };
                    (Some(f), source)
                }
                Err(scap_common::fields::FieldError::Unknown { .. }) if text.starts_with("span.") => {
                    unsupported.push(text.clone());
                    (None, Source::Unsupported)
                }
                Err(e) => return Err(format!("view {}: {e}", view.id)),
            };
            let (ptype, fmt) = match &f {
                Some(f) => field_type(f),
                None => span_field_type(&text),
            };
            columns.push(ColumnSpec {
                name: c.name.clone(),
                field: text.clone(),
                ptype,
                fmt,
                aggregation: c.aggregation,
                merge_aggregation: c.groupby_aggregation,
                size: c.colsize.map_or(-1, |s| s as i32),
            });
            fields.push(source);
        }
        let kind = if view.kind == ViewKind::List { TableKind::List } else { TableKind::Table };
        if kind == TableKind::Table && !view.columns.first().is_some_and(|c| c.is_key) {
            return Err(format!("view {}: a table view needs a key column", view.id));
        }
        if kind == TableKind::List && view.columns.iter().any(|c| c.is_key || c.is_groupby_key) {
            return Err(format!("view {}: a list view cannot have keys", view.id));
        }
        let groupby = view.does_groupby;
        if columns.len() < if groupby { 3 } else { 2 } {
            return Err(format!("view {}: the view has no value columns", view.id));
        }
        let filter = if filter.trim().is_empty() || !unsupported.is_empty() {
            None
        } else {
            Some(Filter::compile(filter).map_err(|e| format!("filter {filter}: {e}"))?)
        };
        let spec = TableSpec { kind, columns, groupby, use_defaults: view.use_defaults };
        Ok(Compiled { spec, fields, filter, unsupported })
    }
}

/// The types libsinsp gives the tracer span fields, which this build does not extract; views that
/// use them still describe their columns the same way.
fn span_field_type(field: &str) -> (ParamType, PrintFormat) {
    let name = field.split('[').next().unwrap_or(field);
    match name {
        "span.id" => (ParamType::Int64, PrintFormat::Id),
        "span.ntags" | "span.nargs" => (ParamType::Uint32, PrintFormat::Dec),
        "span.duration" | "span.duration.fortag" => (ParamType::Reltime, PrintFormat::Dec),
        "span.duration.quantized" | "span.count" | "span.count.fortag" | "span.childcount.fortag" => {
            (ParamType::Uint64, PrintFormat::Dec)
        }
        _ => (ParamType::Charbuf, PrintFormat::Na),
    }
}

/// A compiled view and its table.
pub struct Runner {
    compiled: Compiled,
    table: Table,
}

impl Runner {
    /// Starts an empty table for a compiled view.
    pub fn new(compiled: Compiled) -> Runner {
        let table = Table::new(compiled.spec.clone());
        Runner { compiled, table }
    }

    /// The table's shape.
    pub fn spec(&self) -> &TableSpec {
        &self.compiled.spec
    }

    /// Adds an event (already applied to `state`) if it passes the filter.
    pub fn on_event(&mut self, state: &State, e: &Event) {
        if !self.compiled.unsupported.is_empty() {
            return;
        }
        let ctx = Ctx::new(e, state);
        if let Some(f) = &self.compiled.filter {
            if !f.matches(&ctx) {
                return;
            }
        }
        let (fields, columns) = (&mut self.compiled.fields, &self.compiled.spec.columns);
        self.table.add_event(&mut |j| {
            let v = fields[j].extract(&ctx)?;
            Some(Val::from_value(&v, columns[j].ptype))
        });
    }

    /// csysdig's end-of-sample pass over the thread table: one made-up `sysdigevent` per thread,
    /// dated just before the second `ts` falls in, so per-thread figures (CPU, memory, fd
    /// counts) appear even for threads that made no call in the interval.
    /// `tids` is the thread table in csysdig's order (`threads.rs`).
    pub fn add_thread_table(&mut self, state: &mut State, ts: u64, tids: &[i64]) {
        let fake_ts = (ts - ts % 1_000_000_000).saturating_sub(1);
        // The made-up event refers to no fd and wrote no syslog message; what the last real
        // event referred to is put back afterwards.
        let saved_cur = std::mem::take(&mut state.cur);
        let saved_syslog = state.syslog.take();
        for &tid in tids {
            state.cur = Default::default();
            state.cur.tid = Some(tid);
            let e = Event { num: 0, ts: fake_ts, tid, cpu: 0, event_type: ev::SYSDIGEVENT_X, ..Event::default() };
            self.on_event(state, &e);
        }
        state.cur = saved_cur;
        state.syslog = saved_syslog;
    }

    /// Why the view shows nothing, when it uses fields this build lacks.
    pub fn notice(&self) -> Option<String> {
        let u = &self.compiled.unsupported;
        (!u.is_empty()).then(|| {
            format!(
                "this view needs tracer span fields ({}), which scap streams do not carry: it shows no rows",
                u.join(", ")
            )
        })
    }

    /// The rows gathered since the last sample.
    pub fn sample(&mut self) -> Vec<Row> {
        self.table.sample()
    }
}
