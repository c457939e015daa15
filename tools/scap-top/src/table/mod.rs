//! The aggregation engine behind every view: rows keyed by one field, values aggregated per key,
//! optionally grouped again by a second key, emitted as a sample at each refresh.
//!
//! This is csysdig's table model, rebuilt:
//! - a *table* keeps one row per key (the column marked `is_key`); each event that passes the
//!   view's filter adds its values to its key's row with each column's `aggregation`;
//! - a table with a `is_groupby_key` column is merged again at sample time: the rows are re-keyed
//!   by that column and combined with each column's `groupby_aggregation`;
//! - a *list* keeps one row per event, keyed by a running counter.
//!
//! `Table` knows nothing about events or fields: the caller extracts column values (see
//! `ingest.rs`), so the engine is tested here with plain values.

pub mod cell;
pub mod format;
pub mod order;

use std::collections::HashMap;

use scap_common::schema::{ParamType, PrintFormat};

pub use cell::{Aggregation, Slot, Val};

/// A column as the engine sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSpec {
    /// The title shown above it.
    pub name: String,
    /// The field it shows, as written in the view (after `%depth` substitution).
    pub field: String,
    /// The field's type, which decides storage and arithmetic.
    pub ptype: ParamType,
    /// The field's print format.
    pub fmt: PrintFormat,
    /// How values of one key combine.
    pub aggregation: Aggregation,
    /// How values combine when rows are grouped by the group-by key.
    pub merge_aggregation: Aggregation,
    /// The column's width on screen; 0 means "the rest of the line", -1 "not shown".
    pub size: i32,
}

/// Whether a view keeps one row per key or one row per event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// One row per key, aggregated.
    Table,
    /// One row per event.
    List,
}

/// The shape of a table: its columns in event order (the key first; for lists, a counter).
#[derive(Clone, Debug, PartialEq)]
pub struct TableSpec {
    /// Table or list.
    pub kind: TableKind,
    /// The columns values are extracted for, key first; with a group-by key, it comes second.
    pub columns: Vec<ColumnSpec>,
    /// Whether `columns[1]` is a group-by key.
    pub groupby: bool,
    /// Whether a missing value becomes a zero instead of dropping the event.
    pub use_defaults: bool,
}

impl TableSpec {
    /// The columns of a sample row: the key, then the values. With a group-by key, the original
    /// key is gone and the group-by key is the row's key.
    pub fn output_columns(&self) -> &[ColumnSpec] {
        if self.groupby {
            &self.columns[1..]
        } else {
            &self.columns
        }
    }
}

/// One row of a sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row's key.
    pub key: Val,
    /// The values, one per output column after the key.
    pub values: Vec<Slot>,
}

/// A fast hash for row keys (FNV-1a): keys are short and not attacker-chosen in any way that
/// matters, and SipHash showed up in profiles.
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type KeyMap = HashMap<Val, usize, std::hash::BuildHasherDefault<KeyHasher>>;

/// Rows found by key, visited in the order csysdig's hash table visits them (`order.rs`).
#[derive(Default, Debug)]
struct KeyedRows {
    index: KeyMap,
    rows: Vec<Row>,
    order: order::StdOrder,
}

impl KeyedRows {
    fn new() -> KeyedRows {
        KeyedRows { index: KeyMap::default(), rows: Vec::new(), order: order::StdOrder::new() }
    }

    fn add(
        &mut self,
        key: &Val,
        key_type: ParamType,
        values: &[Slot],
        aggregation: impl Fn(usize) -> (Aggregation, ParamType),
    ) {
        match self.index.get(key) {
            Some(&i) => {
                let row = &mut self.rows[i];
                for (j, (dst, src)) in row.values.iter_mut().zip(values.iter()).enumerate() {
                    let (a, t) = aggregation(j);
                    dst.add(src, a, t);
                }
            }
            None => {
                self.order.insert(order::key_hash(&cell::key_bytes(key, key_type)));
                self.index.insert(key.clone(), self.rows.len());
                self.rows.push(Row { key: key.clone(), values: values.to_vec() });
            }
        }
    }

    /// The rows in hash table order; the table is left empty.
    fn take(&mut self) -> Vec<Row> {
        let order = self.order.order();
        let mut rows: Vec<Option<Row>> = std::mem::take(&mut self.rows).into_iter().map(Some).collect();
        self.index.clear();
        self.order = order::StdOrder::new();
        order.into_iter().filter_map(|i| rows.get_mut(i).and_then(Option::take)).collect()
    }
}

/// The engine: fed with events' column values, asked for a sample at each refresh.
#[derive(Debug)]
pub struct Table {
    spec: TableSpec,
    rows: KeyedRows,
    list: Vec<Row>,
    counter: u64,
    /// Events added since the last sample.
    pub n_added: u64,
    /// The values of the event being added, reused from event to event.
    scratch: Vec<Slot>,
}

impl Table {
    /// An empty table of this shape.
    pub fn new(spec: TableSpec) -> Table {
        Table { spec, rows: KeyedRows::new(), list: Vec::new(), counter: 0, n_added: 0, scratch: Vec::new() }
    }

    /// The table's shape.
    pub fn spec(&self) -> &TableSpec {
        &self.spec
    }

    /// Adds one event. `extract(j)` gives the value of column `j` (never called for a list's
    /// counter column 0); columns are asked in order, and the first missing value without a
    /// default drops the event, as csysdig does.
    pub fn add_event(&mut self, extract: &mut dyn FnMut(usize) -> Option<Val>) {
        let n = self.spec.columns.len();
        let mut slots = std::mem::take(&mut self.scratch);
        slots.clear();
        if self.spec.kind == TableKind::List {
            // The counter advances even when a later column drops the event.
            self.counter += 1;
            slots.push(Slot::one(Val::Uint(self.counter)));
        }
        for j in slots.len()..n {
            let col = &self.spec.columns[j];
            match extract(j) {
                Some(v) => slots.push(Slot::one(v)),
                None => {
                    let default = if self.spec.use_defaults {
                        Val::default_for(col.ptype, col.fmt == PrintFormat::Id)
                    } else {
                        None
                    };
                    let Some(v) = default else {
                        self.scratch = slots;
                        return;
                    };
                    slots.push(Slot { val: v, cnt: 0 });
                }
            }
        }
        self.n_added += 1;
        match self.spec.kind {
            TableKind::List => {
                let mut values = slots.clone();
                let key = values.remove(0).val;
                self.list.push(Row { key, values });
            }
            TableKind::Table => {
                let cols = &self.spec.columns;
                self.rows
                    .add(&slots[0].val, cols[0].ptype, &slots[1..], |j| (cols[j + 1].aggregation, cols[j + 1].ptype));
            }
        }
        self.scratch = slots;
    }

    /// The rows gathered since the last sample (merged by the group-by key if there is one),
    /// in csysdig's order. A table starts over; a list keeps its rows.
    pub fn sample(&mut self) -> Vec<Row> {
        self.n_added = 0;
        if self.spec.kind == TableKind::List {
            return self.list.clone();
        }
        let rows = self.rows.take();
        if !self.spec.groupby {
            return rows;
        }
        let cols = &self.spec.columns[1..];
        let mut merged = KeyedRows::new();
        for row in rows {
            // values[0] is the group-by key; the rest follow in column order.
            merged.add(&row.values[0].val, cols[0].ptype, &row.values[1..], |j| {
                (cols[j + 1].merge_aggregation, cols[j + 1].ptype)
            });
        }
        merged.take()
    }

    /// Forgets a list's rows.
    pub fn clear(&mut self) {
        self.list.clear();
    }
}

/// Sorts rows by output value column `col` (0 is the first value after the key).
pub fn sort_rows(rows: &mut [Row], spec: &TableSpec, col: usize, ascending: bool) {
    let Some(column) = spec.output_columns().get(col + 1) else { return };
    let ptype = column.ptype;
    rows.sort_by(|a, b| {
        let (Some(x), Some(y)) = (a.values.get(col), b.values.get(col)) else { return std::cmp::Ordering::Equal };
        let o = cell::sort_order(x, y, ptype);
        if ascending {
            o
        } else {
            o.reverse()
        }
    });
}

/// Whether sorting by a column of this type starts descending (numbers) or ascending (text).
pub fn sorts_descending_first(ptype: ParamType) -> bool {
    use ParamType as P;
    matches!(
        ptype,
        P::Int8
            | P::Int16
            | P::Int32
            | P::Int64
            | P::Uint8
            | P::Uint16
            | P::Uint32
            | P::Uint64
            | P::Reltime
            | P::Abstime
            | P::Double
            | P::Bool
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ptype: ParamType, a: Aggregation, m: Aggregation) -> ColumnSpec {
        ColumnSpec {
            name: name.into(),
            field: name.into(),
            ptype,
            fmt: PrintFormat::Dec,
            aggregation: a,
            merge_aggregation: m,
            size: 8,
        }
    }

    fn procs_like() -> Table {
        use Aggregation::*;
        Table::new(TableSpec {
            kind: TableKind::Table,
            columns: vec![
                col("tid", ParamType::Int64, None, None),
                col("pid", ParamType::Int64, None, None),
                col("calls", ParamType::Uint64, Sum, Sum),
                col("cpu", ParamType::Double, Avg, Sum),
                col("cmd", ParamType::Charbuf, Max, Max),
            ],
            groupby: true,
            use_defaults: true,
        })
    }

    #[test]
    fn rows_aggregate_by_key_then_merge_by_groupby_key() {
        let mut t = procs_like();
        let events: Vec<(i64, i64, u64, Option<f64>, &str)> = vec![
            (10, 1, 1, Some(0.5), "a"),
            (10, 1, 1, Some(1.5), "a"),
            (11, 1, 1, None, "b"),
            (20, 2, 5, Some(2.0), "c"),
        ];
        for (tid, pid, n, cpu, cmd) in events {
            t.add_event(&mut |j| match j {
                0 => Some(Val::Int(tid)),
                1 => Some(Val::Int(pid)),
                2 => Some(Val::Uint(n)),
                3 => cpu.map(Val::Double),
                _ => Some(Val::Bytes(cmd.as_bytes().to_vec())),
            });
        }
        let mut rows = t.sample();
        assert_eq!(rows.len(), 2);
        rows.sort_by_key(|r| if let Val::Int(k) = r.key { k } else { 0 });
        assert_eq!(rows[0].key, Val::Int(1));
        assert_eq!(rows[0].values[0], Slot { val: Val::Uint(3), cnt: 1 });
        // csysdig's hash table visits thread 11 before thread 10 (see order.rs). Thread 11 had
        // only a default (0, count 0); adding thread 10's average (2.0 over 2) turns the sum
        // into a sum of averages: 0 + 2.0 / 2, count 1. MAX of text keeps the last visited.
        assert_eq!(rows[0].values[1], Slot { val: Val::Double(1.0), cnt: 1 });
        assert_eq!(rows[0].values[2].val, Val::Bytes(b"a".to_vec()));
        assert_eq!(rows[1].key, Val::Int(2));
        assert!(t.sample().is_empty(), "a table starts over after each sample");
    }

    #[test]
    fn a_missing_value_without_default_drops_the_event() {
        let mut t = Table::new(TableSpec {
            kind: TableKind::Table,
            columns: vec![
                col("port", ParamType::Port, Aggregation::None, Aggregation::None),
                col("n", ParamType::Uint64, Aggregation::Sum, Aggregation::None),
            ],
            groupby: false,
            use_defaults: true,
        });
        t.add_event(&mut |_| None);
        t.add_event(&mut |j| if j == 0 { Some(Val::Uint(80)) } else { None });
        let rows = t.sample();
        assert_eq!(rows, vec![Row { key: Val::Uint(80), values: vec![Slot { val: Val::Uint(0), cnt: 0 }] }]);
    }

    #[test]
    fn lists_count_every_event_that_passed_the_filter() {
        let mut t = Table::new(TableSpec {
            kind: TableKind::List,
            columns: vec![
                col("", ParamType::Uint64, Aggregation::None, Aggregation::None),
                col("name", ParamType::Charbuf, Aggregation::None, Aggregation::None),
            ],
            groupby: false,
            use_defaults: false,
        });
        t.add_event(&mut |_| Some(Val::Bytes(b"x".to_vec())));
        t.add_event(&mut |_| None);
        t.add_event(&mut |_| Some(Val::Bytes(b"y".to_vec())));
        let keys: Vec<Val> = t.sample().into_iter().map(|r| r.key).collect();
        assert_eq!(keys, vec![Val::Uint(1), Val::Uint(3)]);
        assert_eq!(t.sample().len(), 2, "a list keeps its rows");
    }

    #[test]
    fn sorting_numbers_and_text() {
        let mut t = procs_like();
        for (pid, n) in [(1, 3u64), (2, 9), (3, 1)] {
            t.add_event(&mut |j| match j {
                0 | 1 => Some(Val::Int(pid)),
                2 => Some(Val::Uint(n)),
                3 => Some(Val::Double(0.0)),
                _ => Some(Val::Bytes(format!("p{}", 4 - pid).into_bytes())),
            });
        }
        let spec = t.spec().clone();
        let mut rows = t.sample();
        sort_rows(&mut rows, &spec, 0, false);
        assert_eq!(rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>(), vec![Val::Int(2), Val::Int(1), Val::Int(3)]);
        sort_rows(&mut rows, &spec, 2, true);
        assert_eq!(rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>(), vec![Val::Int(3), Val::Int(2), Val::Int(1)]);
    }
}
