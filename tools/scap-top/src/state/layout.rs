//! Screen geometry shared by drawing and mouse handling, in plain numbers.
//!
//! Rows 0 and 1 are the header, row 2 the column titles, the table rows follow, and the last row
//! is the footer of keys (or a prompt).

use crate::catalogue::ViewDef;
use crate::table::{ColumnSpec, TableSpec};

/// Rows above the column titles.
pub const HEADER_ROWS: u16 = 2;
/// The row of column titles.
pub const TITLES_ROW: u16 = HEADER_ROWS;
/// The first table row.
pub const FIRST_ROW: u16 = HEADER_ROWS + 1;
/// The width of the view and sort pickers.
pub const SIDEBAR_WIDTH: u16 = 24;

/// How many table rows fit on a screen `height` rows high.
pub fn visible_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(FIRST_ROW + 1))
}

/// A column on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSlot {
    /// Its title.
    pub title: String,
    /// First screen column.
    pub x: u16,
    /// Width, separating space included.
    pub width: u16,
    /// Values are right-aligned (numbers).
    pub right: bool,
}

/// csysdig's default widths for columns a view gives no size.
fn default_size(c: &ColumnSpec) -> i32 {
    use scap_common::schema::ParamType as P;
    match c.ptype {
        P::Charbuf | P::Bytebuf | P::Fd | P::Fspath | P::Fsrelpath | P::Flags8 | P::Flags16 | P::Flags32 => 32,
        P::Mode | P::Sigset => 32,
        P::Pid | P::Reltime | P::Abstime | P::Ipv6Addr | P::Sockaddr | P::Socktuple | P::Fdlist => 16,
        P::Uid | P::Gid => 12,
        _ => 8,
    }
}

/// Whether values of a column are right-aligned.
pub fn right_aligned(c: &ColumnSpec) -> bool {
    use scap_common::schema::ParamType as P;
    matches!(
        c.ptype,
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
    )
}

/// Where the value columns of a view go on a screen `width` wide. A size of 0 takes what is
/// left of the line; a column is never narrower than its title plus one.
pub fn columns(view: &ViewDef, spec: &TableSpec, width: u16) -> Vec<ColumnSlot> {
    let titles = view.titles_and_sizes();
    let mut x: u16 = 0;
    let mut out = Vec::new();
    for (j, c) in spec.output_columns().iter().enumerate().skip(1) {
        if x >= width {
            break;
        }
        let (title, size) = titles.get(j).cloned().unwrap_or_else(|| (c.name.clone(), c.size));
        let mut size = if size < 0 { default_size(c) } else { size };
        if size == 0 {
            size = i32::from(width - x);
        }
        let size = size.max(title.chars().count() as i32 + 1).min(i32::from(width - x));
        let w = size as u16;
        out.push(ColumnSlot { title, x, width: w, right: right_aligned(c) });
        x = x.saturating_add(w);
    }
    out
}

/// The keys listed in the footer: (key label, what it does).
pub const FOOTER: &[(&str, &str)] = &[
    ("F1", "Help"),
    ("F2", "Views"),
    ("F3", "Search"),
    ("F4", "Filter"),
    ("F5", "Echo"),
    ("F6", "Dig"),
    ("F7", "Legend"),
    ("F8", "Actions"),
    ("F9", "Sort"),
    ("F10", "Quit"),
    ("F12", "Spectro"),
    ("p", "Pause"),
];

/// The x range of each footer item on a screen `width` wide (items that do not fit are left
/// out).
pub fn footer_slots(width: u16) -> Vec<(u16, u16, usize)> {
    let mut x = 0u16;
    let mut out = Vec::new();
    for (i, (k, label)) in FOOTER.iter().enumerate() {
        let w = (k.len() + label.len() + 1) as u16;
        if x + w > width {
            break;
        }
        out.push((x, x + w, i));
        x += w;
    }
    out
}
