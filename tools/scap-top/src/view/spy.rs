//! Echo and dig text, and the fields of one event.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{fill, put, theme};
use crate::feed::SpyKind;
use crate::state::{FieldsScreen, SpyScreen};

/// Draws the events of an echo or dig screen; the selected one is highlighted.
pub fn draw(buf: &mut Buffer, area: Rect, s: &SpyScreen) {
    let w = area.width;
    fill(buf, 0, area.y, w, theme::TITLES);
    let title = match s.kind {
        SpyKind::Echo => "Data read and written by the selection",
        SpyKind::Dig => "Events of the selection (Enter: all fields of an event)",
    };
    put(buf, 0, area.y, w, title, theme::TITLES);
    let body_y = area.y + 1;
    let body_h = area.height.saturating_sub(1);
    for y in body_y..body_y + body_h {
        fill(buf, 0, y, w, Style::new());
    }
    if let Some(e) = &s.error {
        put(buf, 1, body_y + 1, w.saturating_sub(2), &format!("Error: {e}"), theme::ERROR);
        return;
    }
    if s.lines.is_empty() {
        let msg = if s.ended { "No data for the selection" } else { "Waiting for data..." };
        put(buf, 1, body_y + 1, w.saturating_sub(2), msg, Style::new());
        return;
    }
    let mut y = body_y;
    for i in s.top..s.lines.len() {
        if y >= body_y + body_h {
            break;
        }
        let line = &s.lines[i];
        let base = if i == s.selected {
            theme::SELECTED
        } else if line.text.starts_with("------ Read") {
            theme::READ
        } else if line.text.starts_with("------ Write") {
            theme::WRITE
        } else {
            Style::new()
        };
        for text in line.text.split('\n') {
            if y >= body_y + body_h {
                break;
            }
            fill(buf, 0, y, w, base);
            put(buf, 0, y, w, text, base);
            y += 1;
        }
    }
}

/// Draws the fields of one event as `name  value` lines.
pub fn draw_fields(buf: &mut Buffer, area: Rect, f: &FieldsScreen) {
    let w = area.width;
    fill(buf, 0, area.y, w, theme::TITLES);
    put(buf, 0, area.y, w, &f.title, theme::TITLES);
    let body_y = area.y + 1;
    let body_h = area.height.saturating_sub(1);
    let name_w = f.fields.iter().map(|(n, _)| n.len()).max().unwrap_or(10).min(40) as u16 + 1;
    for (line, i) in (f.top..f.fields.len()).take(usize::from(body_h)).enumerate() {
        let y = body_y + line as u16;
        let style = if i == f.selected { theme::SELECTED } else { Style::new() };
        fill(buf, 0, y, w, style);
        let (name, value) = &f.fields[i];
        put(buf, 0, y, name_w, name, style.patch(theme::LABEL));
        put(buf, name_w, y, w.saturating_sub(name_w), value, style);
    }
}
