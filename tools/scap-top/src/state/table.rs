//! The table screen: the latest sample of a view, as the user filters, sorts and scrolls it.

use std::collections::VecDeque;

use scap_common::schema::ParamType;

use crate::feed::Sample;
use crate::output::{self, Sorting};
use crate::table::{self, format, Row, Val};

/// How many samples of a spectrogram are kept.
pub const SPECTRO_HISTORY: usize = 512;

/// A view on screen.
#[derive(Clone, Debug)]
pub struct TableScreen {
    /// The view's index in the catalogue.
    pub view: usize,
    /// The drill-down depth.
    pub depth: u32,
    /// The latest sample.
    pub sample: Option<Sample>,
    /// The rows shown: the sample's rows matching the text filter, sorted.
    pub rows: Vec<Row>,
    /// The sorting column (a value column index).
    pub sort_col: usize,
    /// The direction; `None` until the first sample tells the column's type.
    pub ascending: Option<bool>,
    /// The selected row.
    pub selected: usize,
    /// The first row on screen.
    pub top: usize,
    /// The key of the selected row, to keep the selection across refreshes.
    pub selected_key: Option<Val>,
    /// F4 text filter: rows whose text columns contain it.
    pub text_filter: String,
    /// F4 filter in sysdig mode: replaces the whole filter of the view.
    pub sysdig_filter: String,
    /// Events read so far while a file loads (`None` once loaded).
    pub loading: Option<u64>,
    /// Why the view could not run.
    pub error: Option<String>,
    /// For spectrograms: per sample, (latency bucket, count), newest last.
    pub spectro: VecDeque<Vec<(u64, u64)>>,
}

impl TableScreen {
    /// A view about to start, sorted by its sorting column (1 is the first value column).
    pub fn new(view: usize, depth: u32, sorting_col: usize) -> TableScreen {
        TableScreen {
            view,
            depth,
            sample: None,
            rows: Vec::new(),
            sort_col: sorting_col.saturating_sub(1),
            ascending: None,
            selected: 0,
            top: 0,
            selected_key: None,
            text_filter: String::new(),
            sysdig_filter: String::new(),
            loading: Some(0),
            error: None,
            spectro: VecDeque::new(),
        }
    }

    /// The sorting in effect, once known.
    pub fn sorting(&self) -> Option<Sorting> {
        self.ascending.map(|ascending| Sorting { col: self.sort_col, ascending })
    }

    /// Takes a new sample. `spectrogram` keeps its buckets in the history.
    pub fn set_sample(&mut self, sample: Sample, spectrogram: bool) {
        if self.ascending.is_none() {
            let values = &sample.spec.output_columns()[1..];
            let descending = values.get(self.sort_col).is_some_and(|c| table::sorts_descending_first(c.ptype));
            self.ascending = Some(!descending);
        }
        if spectrogram {
            let buckets = sample
                .rows
                .iter()
                .filter_map(|r| match (&r.key, r.values.last().map(|s| &s.val)) {
                    (Val::Uint(k), Some(Val::Uint(n))) => Some((*k, *n)),
                    _ => None,
                })
                .collect();
            self.spectro.push_back(buckets);
            while self.spectro.len() > SPECTRO_HISTORY {
                self.spectro.pop_front();
            }
        }
        self.loading = None;
        self.error = None;
        self.sample = Some(sample);
        self.refresh_rows();
    }

    /// Recomputes the visible rows (after a new sample, sort or filter change) and keeps the
    /// selection on the same key when it is still there.
    pub fn refresh_rows(&mut self) {
        let Some(sample) = &self.sample else {
            self.rows.clear();
            return;
        };
        let mut rows: Vec<Row> = if self.text_filter.is_empty() {
            sample.rows.clone()
        } else {
            sample.rows.iter().filter(|r| row_contains(sample, r, &self.text_filter)).cloned().collect()
        };
        if let Some(s) = self.sorting() {
            table::sort_rows(&mut rows, &sample.spec, s.col, s.ascending);
        }
        self.rows = rows;
        if let Some(k) = &self.selected_key {
            if let Some(i) = self.rows.iter().position(|r| &r.key == k) {
                self.selected = i;
            }
        }
        self.clamp();
    }

    /// Keeps the selection inside the rows.
    pub fn clamp(&mut self) {
        if self.rows.is_empty() {
            self.selected = 0;
        } else if self.selected >= self.rows.len() {
            self.selected = self.rows.len() - 1;
        }
        self.selected_key = self.rows.get(self.selected).map(|r| r.key.clone());
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: i64) {
        let n = self.rows.len() as i64;
        if n == 0 {
            return;
        }
        self.select((self.selected as i64 + delta).clamp(0, n - 1) as usize);
    }

    /// Selects row `i` if it exists.
    pub fn select(&mut self, i: usize) {
        if i < self.rows.len() {
            self.selected = i;
            self.selected_key = self.rows.get(i).map(|r| r.key.clone());
        }
    }

    /// Sorts by value column `col`: the same column flips the direction, another one starts
    /// descending for numbers and ascending for text.
    pub fn sort_by(&mut self, col: usize) {
        let Some(sample) = &self.sample else {
            self.sort_col = col;
            self.ascending = None;
            return;
        };
        let values = &sample.spec.output_columns()[1..];
        let Some(c) = values.get(col) else { return };
        if col == self.sort_col {
            self.ascending = Some(!self.ascending.unwrap_or(true));
        } else {
            self.sort_col = col;
            self.ascending = Some(!table::sorts_descending_first(c.ptype));
        }
        self.refresh_rows();
    }

    /// The first row at or after `from` (wrapping) whose text columns contain `text`.
    pub fn find(&self, text: &str, from: usize) -> Option<usize> {
        let sample = self.sample.as_ref()?;
        let n = self.rows.len();
        (0..n).map(|i| (from + i) % n).find(|&i| row_contains(sample, &self.rows[i], text))
    }

    /// The selected row's key as text, and its type.
    pub fn selected_key_text(&self) -> Option<(String, ParamType)> {
        let sample = self.sample.as_ref()?;
        let row = self.rows.get(self.selected)?;
        let key = &sample.spec.output_columns()[0];
        Some((output::key_text(&sample.spec, row), key.ptype))
    }

    /// The text of the selected row's value for `field`, as actions substitute it.
    pub fn selected_value(&self, field: &str) -> Option<String> {
        let sample = self.sample.as_ref()?;
        let row = self.rows.get(self.selected)?;
        let cols = sample.spec.output_columns();
        if cols[0].field == field {
            return Some(format::key_text(cols[0].ptype, &row.key));
        }
        cols.iter()
            .skip(1)
            .zip(&row.values)
            .find(|(c, _)| c.field == field)
            .map(|(c, s)| format::key_text(c.ptype, &s.val))
    }
}

/// Whether a column of this type is searched by the text filter and search (csysdig searches
/// the text-like columns only).
fn is_text_like(t: ParamType) -> bool {
    use ParamType as P;
    matches!(
        t,
        P::Charbuf
            | P::Bytebuf
            | P::SyscallId
            | P::Port
            | P::L4Proto
            | P::SockFamily
            | P::Ipv4Addr
            | P::Ipv6Addr
            | P::IpAddr
            | P::Uid
            | P::Gid
    )
}

fn row_contains(sample: &Sample, row: &Row, text: &str) -> bool {
    let values = &sample.spec.output_columns()[1..];
    values
        .iter()
        .zip(&row.values)
        .any(|(c, s)| is_text_like(c.ptype) && format::key_text(c.ptype, &s.val).contains(text))
}
