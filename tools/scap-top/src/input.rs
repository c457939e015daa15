//! Keys and mouse events to actions. The meaning of a key depends only on whether a prompt or a
//! panel is open; everything else is decided in `state`.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

use crate::state::{Action, Overlay, UiState};

/// The sort shortcuts: shift+1..9 on a US keyboard.
const SHIFT_DIGITS: &[char] = &['!', '@', '#', '$', '%', '^', '&', '*', '('];

/// The action for a terminal event, if any. `double` tells a double click from a single one.
pub fn action_for(event: &Event, state: &UiState, double: bool) -> Option<Action> {
    match event {
        Event::Key(k) => key_action(k, state),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row, double }),
            MouseEventKind::ScrollUp => Some(Action::Wheel(-3)),
            MouseEventKind::ScrollDown => Some(Action::Wheel(3)),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        _ => None,
    }
}

fn key_action(k: &KeyEvent, state: &UiState) -> Option<Action> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    // Help and the legend close on any key.
    if matches!(state.overlay, Overlay::Help(_) | Overlay::Legend(_)) && !matches!(k.code, KeyCode::Up | KeyCode::Down)
    {
        return Some(Action::Escape);
    }
    // Escape followed quickly by a key arrives as Alt+key: treat it as Escape.
    if k.modifiers.contains(KeyModifiers::ALT) {
        return Some(Action::Escape);
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    // Keys every mode shares.
    let common = match k.code {
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Enter => Some(Action::Enter),
        KeyCode::Esc => Some(Action::Escape),
        _ => None,
    };
    if state.prompt.is_some() {
        return match k.code {
            KeyCode::Char('f') if ctrl => Some(Action::Search),
            KeyCode::Char('u') if ctrl => Some(Action::ClearLine),
            KeyCode::Char(c) if !ctrl => Some(Action::Char(c)),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::F(2) => Some(Action::ToggleFilterMode),
            KeyCode::F(3) => Some(Action::SearchNext),
            KeyCode::F(4) => Some(Action::Filter),
            _ => common,
        };
    }
    if matches!(state.overlay, Overlay::Actions(_) | Overlay::Confirm(_) | Overlay::Views(_)) {
        if let KeyCode::Char(c) = k.code {
            if !ctrl {
                return Some(Action::Char(c));
            }
        }
    }
    if let Some(a) = common {
        return Some(a);
    }
    Some(match k.code {
        KeyCode::Char('q') | KeyCode::F(10) => Action::Quit,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        KeyCode::Backspace => Action::Back,
        KeyCode::Char('h' | '?') | KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::ViewPicker,
        KeyCode::Char('f') if ctrl => Action::Search,
        KeyCode::Char('/') | KeyCode::F(3) => Action::Search,
        KeyCode::Char('\\') | KeyCode::F(4) => Action::Filter,
        KeyCode::Char('e') | KeyCode::F(5) => Action::Echo,
        KeyCode::Char('d') | KeyCode::F(6) => Action::Dig,
        KeyCode::F(7) => Action::Legend,
        KeyCode::F(8) => Action::Actions,
        KeyCode::Char('>') | KeyCode::F(9) => Action::SortPicker,
        KeyCode::F(12) => Action::Spectro,
        KeyCode::Char('p') => Action::Pause,
        KeyCode::Char(c) => match SHIFT_DIGITS.iter().position(|d| *d == c) {
            Some(i) => Action::SortColumn(i + 1),
            None => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn state() -> UiState {
        UiState::new(Catalogue::default(), 0, "t".into(), false, String::new())
    }

    #[test]
    fn function_keys_and_letters() {
        let s = state();
        assert!(matches!(action_for(&key(KeyCode::F(2)), &s, false), Some(Action::ViewPicker)));
        assert!(matches!(action_for(&key(KeyCode::Char('\\')), &s, false), Some(Action::Filter)));
        assert!(matches!(action_for(&key(KeyCode::Char('/')), &s, false), Some(Action::Search)));
        assert!(matches!(action_for(&key(KeyCode::Char('#')), &s, false), Some(Action::SortColumn(3))));
        assert!(matches!(action_for(&key(KeyCode::Backspace), &s, false), Some(Action::Back)));
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(matches!(action_for(&ctrl_c, &s, false), Some(Action::Quit)));
    }

    #[test]
    fn a_prompt_takes_the_letters() {
        let mut s = state();
        s.update(Action::Search);
        assert!(matches!(action_for(&key(KeyCode::Char('q')), &s, false), Some(Action::Char('q'))));
        assert!(matches!(action_for(&key(KeyCode::Backspace), &s, false), Some(Action::Erase)));
        assert!(matches!(action_for(&key(KeyCode::F(2)), &s, false), Some(Action::ToggleFilterMode)));
    }
}
