//! Panels drawn over the body: help, the view and sort pickers, the legend, actions, and the
//! confirmation of an action.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{fill, put, theme};
use crate::state::{layout, Screen, UiState};

/// The help text.
pub const HELP: &[&str] = &[
    "scap-top: csysdig's views of a scap stream",
    "",
    "Views show what the system did, one row per process, file, connection... For a trace",
    "file the figures cover the whole file; for live input they are per refresh interval.",
    "",
    "Keys",
    "  Arrows, PgUp, PgDn, Home, End   move the selection (the mouse works too)",
    "  Enter                           drill down into the selected row",
    "  Backspace                       go back up",
    "  F1, h, ?                        this help",
    "  F2                              pick a view for the current selection",
    "  F3, /, Ctrl+F                   search the rows (F3 again: next match)",
    "  F4, \\                           filter the rows by text; F2 in the prompt switches",
    "                                  to a sysdig filter on the events",
    "  F5, e                           echo: the data the selection reads and writes",
    "  F6, d                           dig: the selection's events; Enter shows every",
    "                                  field of one event",
    "  F7                              the view's columns and what they mean",
    "  F8                              commands for the selected row (kill, lsof...)",
    "  F9, >                           pick the sort column; Shift+1..9 sorts by a column",
    "                                  (again: reverse); a click on a title too",
    "  F12                             latency spectrogram of the selection",
    "  p                               pause the display",
    "  q, F10, Ctrl+C                  quit",
    "",
    "Press any key to close.",
];

fn panel(buf: &mut Buffer, area: Rect, x: u16, width: u16, title: &str) {
    for y in area.y..area.bottom() {
        fill(buf, x, y, width, Style::new());
    }
    fill(buf, x, area.y, width, theme::PANEL);
    put(buf, x, area.y, width, title, theme::PANEL);
}

/// The help page over the whole body.
pub fn help(buf: &mut Buffer, area: Rect, scroll: usize) {
    panel(buf, area, 0, area.width, "Help");
    for (i, line) in HELP.iter().skip(scroll).take(usize::from(area.height.saturating_sub(1))).enumerate() {
        put(buf, 1, area.y + 1 + i as u16, area.width.saturating_sub(2), line, Style::new());
    }
}

/// The view picker: view names on the left, the selected view's description on the right.
pub fn views(buf: &mut Buffer, area: Rect, state: &UiState, sel: usize) {
    let sw = layout::SIDEBAR_WIDTH.min(area.width);
    panel(buf, area, 0, sw, "Select View");
    let views = state.catalogue.views();
    let rows = usize::from(area.height.saturating_sub(1));
    let top = sel.saturating_sub(rows.saturating_sub(1));
    for (line, (i, v)) in views.iter().enumerate().skip(top).take(rows).enumerate() {
        let style = if i == sel { theme::SELECTED } else { Style::new() };
        let y = area.y + 1 + line as u16;
        fill(buf, 0, y, sw, style);
        put(buf, 0, y, sw, &v.name, style);
    }
    let Some(v) = views.get(sel) else { return };
    let x = sw + 1;
    let width = area.width.saturating_sub(x);
    for y in area.y..area.bottom() {
        fill(buf, sw, y, area.width.saturating_sub(sw), Style::new());
    }
    put(buf, x, area.y, width, &format!("{} ({})", v.name, v.id), theme::LABEL);
    let tips = v.tips.iter().flat_map(|t| wrap(&format!("Tip: {t}"), usize::from(width)));
    for (i, line) in wrap(&v.description, usize::from(width)).into_iter().chain(tips).enumerate() {
        let y = area.y + 2 + i as u16;
        if y >= area.bottom() {
            break;
        }
        put(buf, x, y, width, &line, Style::new());
    }
}

/// The sort column picker.
pub fn sort(buf: &mut Buffer, area: Rect, state: &UiState, sel: usize) {
    let sw = layout::SIDEBAR_WIDTH.min(area.width);
    panel(buf, area, 0, sw, "Sort by");
    let Screen::Table(t) = &state.screen else { return };
    let (Some(sample), Some(view)) = (&t.sample, state.catalogue.views().get(t.view)) else { return };
    for (i, c) in layout::columns(view, &sample.spec, u16::MAX).iter().enumerate() {
        let y = area.y + 1 + i as u16;
        if y >= area.bottom() {
            break;
        }
        let style = if i == sel { theme::SELECTED } else { Style::new() };
        fill(buf, 0, y, sw, style);
        let mark = if i == t.sort_col {
            if t.ascending == Some(true) {
                " ^"
            } else {
                " v"
            }
        } else {
            ""
        };
        put(buf, 0, y, sw, &format!("{}{mark}", c.title), style);
    }
}

/// The legend of the current view: each column, its field and its meaning.
pub fn legend(buf: &mut Buffer, area: Rect, state: &UiState) {
    panel(buf, area, 0, area.width, "Legend (any key closes)");
    let Some(v) = state.view() else { return };
    let w = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![format!("{} ({})", v.name, v.id)];
    lines.extend(wrap(&v.description, w));
    lines.push(String::new());
    for c in v.columns.iter().filter(|c| !c.is_key && !c.is_groupby_key) {
        lines.push(format!("{}: {} ({})", c.name, c.description, c.field));
    }
    for (i, line) in lines.iter().take(usize::from(area.height.saturating_sub(1))).enumerate() {
        put(buf, 1, area.y + 1 + i as u16, area.width.saturating_sub(2), line, Style::new());
    }
}

/// The actions menu of the current view.
pub fn actions(buf: &mut Buffer, area: Rect, state: &UiState, sel: usize) {
    let sw = 32u16.min(area.width);
    panel(buf, area, 0, sw, "Actions");
    let Some(v) = state.view() else { return };
    if v.actions.is_empty() {
        put(buf, 0, area.y + 1, sw, "<no actions>", Style::new());
    }
    for (i, a) in v.actions.iter().enumerate() {
        let y = area.y + 1 + i as u16;
        if y >= area.bottom() {
            break;
        }
        let style = if i == sel { theme::SELECTED } else { Style::new() };
        fill(buf, 0, y, sw, style);
        put(buf, 0, y, sw, &format!("{}: {}", a.hotkey, a.description), style);
    }
}

/// Asks before running an action.
pub fn confirm(buf: &mut Buffer, area: Rect, state: &UiState, i: usize) {
    let Some((command, _)) = state.action_command(i) else { return };
    let text = format!(" Run '{command}'? (y/n) ");
    let w = (text.chars().count() as u16).min(area.width);
    let x = (area.width - w) / 2;
    let y = area.y + area.height / 2;
    fill(buf, x, y, w, theme::ERROR);
    put(buf, x, y, w, &text, theme::ERROR);
}

/// Splits text into lines of at most `width` characters at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}
