//! A view's table (or spectrogram) on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use super::{fill, put, theme};
use crate::catalogue::ViewKind;
use crate::state::{layout, TableScreen, UiState};
use crate::table::format;

/// Draws the column titles and the rows of `t` in `area` (titles on its first row).
pub fn draw(buf: &mut Buffer, area: Rect, state: &UiState, t: &TableScreen) {
    let w = area.width;
    fill(buf, 0, area.y, w, theme::TITLES);
    let body_y = area.y + 1;
    let body_h = area.height.saturating_sub(1);
    for y in body_y..body_y + body_h {
        fill(buf, 0, y, w, Style::new());
    }
    let Some(view) = state.catalogue.views().get(t.view) else { return };
    if let Some(e) = &t.error {
        put(buf, 1, body_y + 1, w.saturating_sub(2), &format!("Error: {e}"), theme::ERROR);
        return;
    }
    let Some(sample) = &t.sample else {
        let msg = match t.loading {
            Some(n) if n > 0 => format!("Loading... {n} events read"),
            _ => "Waiting for data...".to_string(),
        };
        put(buf, 1, body_y + 1, w.saturating_sub(2), &msg, Style::new());
        return;
    };
    if view.kind == ViewKind::Spectro {
        spectrogram(buf, area, t);
        return;
    }
    let cols = layout::columns(view, &sample.spec, w);
    for (j, c) in cols.iter().enumerate() {
        let style = if Some(j) == t.sorting().map(|s| s.col) { theme::TITLE_SORTED } else { theme::TITLES };
        let cw = c.width.saturating_sub(1);
        let title = if c.right { format!("{:>width$}", c.title, width = usize::from(cw)) } else { c.title.clone() };
        fill(buf, c.x, area.y, c.width, style);
        put(buf, c.x, area.y, cw, &title, style);
    }
    if t.rows.is_empty() {
        let msg = match &sample.notice {
            Some(n) => n.as_str(),
            None if t.text_filter.is_empty() => "No data for the selected view",
            None => "No match",
        };
        put(buf, 1, body_y + 1, w.saturating_sub(2), msg, Style::new());
        return;
    }
    let values = &sample.spec.output_columns()[1..];
    for (line, i) in (t.top..t.rows.len()).take(usize::from(body_h)).enumerate() {
        let y = body_y + line as u16;
        let row = &t.rows[i];
        let style = if i == t.selected { theme::SELECTED } else { Style::new() };
        fill(buf, 0, y, w, style);
        for (c, (col, slot)) in cols.iter().zip(values.iter().zip(&row.values)) {
            let cw = c.width.saturating_sub(1);
            let text = format::nice(col, slot, usize::from(cw), sample.time_delta_ns);
            let text: String = text.chars().filter(|ch| !ch.is_control()).collect();
            put(buf, c.x, y, cw, &text, style);
        }
    }
}

/// csysdig's spectrogram: one line per sample (newest at the bottom), one column per latency
/// bucket (1 ns on the left to 100 s on the right, log scale), the color saying how many calls
/// fell in the bucket.
fn spectrogram(buf: &mut Buffer, area: Rect, t: &TableScreen) {
    let w = area.width;
    let scale = ["1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s", "100s"];
    for (i, label) in scale.iter().enumerate() {
        let x = (i as u32 * u32::from(w) / 11) as u16;
        put(buf, x.min(w.saturating_sub(label.len() as u16)), area.y, label.len() as u16, label, theme::TITLES);
    }
    let body_h = usize::from(area.height.saturating_sub(1));
    let start = t.spectro.len().saturating_sub(body_h);
    for (line, sample) in t.spectro.iter().skip(start).enumerate() {
        let y = area.y + 1 + line as u16;
        for (bucket, count) in sample {
            let x = bucket.saturating_sub(1).min(u64::from(w.saturating_sub(1))) as u16;
            let color = match count {
                0 => continue,
                1..=9 => Color::Blue,
                10..=99 => Color::Green,
                100..=999 => Color::Yellow,
                1000..=9999 => Color::Magenta,
                _ => Color::Red,
            };
            fill(buf, x, y, 1, Style::new().bg(color));
        }
    }
}
