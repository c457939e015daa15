//! Drawing: renders a `&UiState` into a ratatui frame and never changes it.
//!
//! Layout (see `state::layout`): two header rows, the column titles, the rows, and a footer of
//! keys at the bottom, which a prompt or a message replaces. Panels (help, pickers, legend,
//! actions) are drawn over the body.

mod panels;
mod spy;
mod table;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::Frame;

use crate::state::{layout, Overlay, PromptKind, Screen, UiState};

/// Colors, in csysdig's spirit.
pub(crate) mod theme {
    use super::*;
    /// Column titles.
    pub const TITLES: Style = Style::new().fg(Color::Black).bg(Color::Green);
    /// The sorted column's title.
    pub const TITLE_SORTED: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
    /// The selected row.
    pub const SELECTED: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
    /// Footer key names.
    pub const KEY: Style = Style::new().fg(Color::White).bg(Color::Black);
    /// Footer key labels.
    pub const KEY_LABEL: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
    /// Header labels.
    pub const LABEL: Style = Style::new().add_modifier(Modifier::BOLD);
    /// Errors and "not found".
    pub const ERROR: Style = Style::new().fg(Color::White).bg(Color::Red);
    /// Panel frames and titles.
    pub const PANEL: Style = Style::new().fg(Color::Black).bg(Color::Green);
    /// Reads in echo.
    pub const READ: Style = Style::new().fg(Color::Cyan);
    /// Writes in echo.
    pub const WRITE: Style = Style::new().fg(Color::Yellow);
}

/// Writes `text` at (x, y), cut to `width` columns.
pub(crate) fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) {
    let area = buf.area;
    if y >= area.bottom() || x >= area.right() || width == 0 {
        return;
    }
    let width = width.min(area.right() - x);
    buf.set_stringn(x, y, text, usize::from(width), style);
}

/// Fills a row segment with a style.
pub(crate) fn fill(buf: &mut Buffer, x: u16, y: u16, width: u16, style: Style) {
    let area = buf.area;
    if y >= area.bottom() {
        return;
    }
    for cx in x..x.saturating_add(width).min(area.right()) {
        if let Some(cell) = buf.cell_mut((cx, y)) {
            cell.set_symbol(" ");
            cell.set_style(style);
        }
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &UiState) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw_buffer(buf, area, state);
}

/// Draws into a buffer (the tests draw into a `TestBackend`'s).
pub fn draw_buffer(buf: &mut Buffer, area: Rect, state: &UiState) {
    if area.height < 4 || area.width < 20 {
        put(buf, 0, 0, area.width, "terminal too small", theme::ERROR);
        return;
    }
    header(buf, area, state);
    let body = Rect { x: 0, y: layout::TITLES_ROW, width: area.width, height: area.height - layout::TITLES_ROW - 1 };
    match &state.screen {
        Screen::Table(t) => table::draw(buf, body, state, t),
        Screen::Spy(s) => spy::draw(buf, body, s),
        Screen::Fields(f) => spy::draw_fields(buf, body, f),
    }
    match state.overlay {
        Overlay::None => {}
        Overlay::Help(scroll) => panels::help(buf, body, scroll),
        Overlay::Views(sel) => panels::views(buf, body, state, sel),
        Overlay::Sort(sel) => panels::sort(buf, body, state, sel),
        Overlay::Legend(_) => panels::legend(buf, body, state),
        Overlay::Actions(sel) => panels::actions(buf, body, state, sel),
        Overlay::Confirm(i) => panels::confirm(buf, body, state, i),
    }
    footer(buf, area, state);
}

fn header(buf: &mut Buffer, area: Rect, state: &UiState) {
    let w = area.width;
    fill(buf, 0, 0, w, Style::new());
    fill(buf, 0, 1, w, Style::new());
    let title = match &state.screen {
        Screen::Table(_) => state.view().map_or_else(String::new, |v| v.name.clone()),
        Screen::Spy(s) => match s.kind {
            crate::feed::SpyKind::Echo => "Echo".to_string(),
            crate::feed::SpyKind::Dig => "Dig".to_string(),
        },
        Screen::Fields(_) => "Event fields".to_string(),
    };
    let target = state
        .stack
        .iter()
        .rev()
        .map(|e| &e.level)
        .find(|l| !l.field.is_empty())
        .map_or_else(|| "whole machine".to_string(), |l| format!("{}={}", l.field, l.value));
    let mut x = 0;
    for (text, style) in [
        ("Viewing: ", theme::LABEL),
        (title.as_str(), Style::new()),
        (" For: ", theme::LABEL),
        (target.as_str(), Style::new()),
    ] {
        put(buf, x, 0, w.saturating_sub(x), text, style);
        x = x.saturating_add(text.chars().count() as u16);
    }
    let status = if state.paused {
        "PAUSED".to_string()
    } else {
        match &state.screen {
            Screen::Table(t) => match t.loading {
                Some(n) if !state.live => format!("Loading: {n} events"),
                _ => String::new(),
            },
            Screen::Spy(s) if s.ended => format!("{} events", s.lines.len()),
            _ => String::new(),
        }
    };
    if !status.is_empty() && (status.len() as u16) < w {
        put(buf, w - status.len() as u16, 0, status.len() as u16, &status, theme::ERROR);
    }
    let source =
        if state.live { format!("Live ({})", state.source_name) } else { format!("Trace File: {}", state.source_name) };
    let filter = state.complete_filter();
    let mut x = 0;
    for (text, style) in [
        ("Source: ", theme::LABEL),
        (source.as_str(), Style::new()),
        (" Filter: ", theme::LABEL),
        (filter.as_str(), Style::new()),
    ] {
        put(buf, x, 1, w.saturating_sub(x), text, style);
        x = x.saturating_add(text.chars().count() as u16);
    }
}

fn footer(buf: &mut Buffer, area: Rect, state: &UiState) {
    let y = area.height - 1;
    let w = area.width;
    fill(buf, 0, y, w, Style::new());
    if let Some(p) = &state.prompt {
        let label = match (p.kind, p.sysdig) {
            (PromptKind::Search, _) => "Search: ",
            (PromptKind::Filter, false) => "Filter: ",
            (PromptKind::Filter, true) => "Sysdig filter: ",
        };
        put(buf, 0, y, w, label, theme::KEY_LABEL);
        let x = label.len() as u16;
        let text = format!("{}_", p.text);
        put(buf, x, y, w.saturating_sub(x), &text, Style::new());
        let hint = if let Some(m) = &state.message {
            m.as_str()
        } else if p.nomatch {
            " NOT FOUND "
        } else if p.kind == PromptKind::Filter {
            " F2: text/sysdig filter  Ctrl+U: clear  Enter: apply  Esc: cancel "
        } else {
            " F3: next  Enter: done "
        };
        let hx = x + text.chars().count() as u16 + 1;
        if hx < w {
            let style = if p.nomatch || state.message.is_some() { theme::ERROR } else { theme::KEY };
            put(buf, hx, y, w - hx, hint, style);
        }
        return;
    }
    if let Some(m) = &state.message {
        put(buf, 0, y, w, m, theme::ERROR);
        return;
    }
    for (x0, _, i) in layout::footer_slots(w) {
        let (k, label) = layout::FOOTER[i];
        put(buf, x0, y, k.len() as u16, k, theme::KEY);
        put(buf, x0 + k.len() as u16, y, label.len() as u16 + 1, &format!("{label} "), theme::KEY_LABEL);
    }
}
