//! The UI state and how actions change it. Pure: no terminal, no ratatui types, no I/O.
//!
//! `UiState::update` takes an `Action` (a key, a click, or an answer from the ingest thread) and
//! returns the `Effect`s the app must carry out: send a command to the ingest thread, run a
//! view action's shell command, or quit. Everything else is a change of state that the next
//! draw shows.

pub mod layout;
pub mod spy;
pub mod table;

use crate::catalogue::{Catalogue, ViewDef, ViewKind};
use crate::drill::{self, Level};
use crate::feed::{Command, SpyKind, Update, Work};
use crate::table::Val;

pub use spy::{FieldsScreen, SpyScreen};
pub use table::TableScreen;

/// Something the user did, or something the ingest thread sent.
#[derive(Clone, Debug)]
pub enum Action {
    /// Leave (q, F10, Ctrl+C).
    Quit,
    /// Selection up one row.
    Up,
    /// Selection down one row.
    Down,
    /// One screen up.
    PageUp,
    /// One screen down.
    PageDown,
    /// First row.
    Home,
    /// Last row.
    End,
    /// Enter: drill down, pick, confirm.
    Enter,
    /// Backspace: drill up.
    Back,
    /// Escape: close what is open.
    Escape,
    /// F2: the view picker.
    ViewPicker,
    /// F9 or `>`: the sort column picker.
    SortPicker,
    /// F1, `h` or `?`: help.
    Help,
    /// F7: the current view's legend.
    Legend,
    /// F8: the view's actions.
    Actions,
    /// `/`, Ctrl+F or F3: search.
    Search,
    /// F4 or `\`: filter.
    Filter,
    /// F5 or `e`: echo the selection's I/O.
    Echo,
    /// F6 or `d`: dig into the selection's events.
    Dig,
    /// F12: latency spectrogram of the selection.
    Spectro,
    /// `p`: pause.
    Pause,
    /// F3 while searching: next match.
    SearchNext,
    /// Shift+digit: sort by that column (1-based).
    SortColumn(usize),
    /// A character typed into a prompt, or an action hotkey.
    Char(char),
    /// Backspace in a prompt.
    Erase,
    /// Ctrl+U in a prompt: clear it.
    ClearLine,
    /// F2 in the filter prompt: text filter or sysdig filter.
    ToggleFilterMode,
    /// A mouse click.
    Click {
        /// Screen column.
        x: u16,
        /// Screen row.
        y: u16,
        /// A double click (drills down).
        double: bool,
    },
    /// Mouse wheel, in rows (negative is up).
    Wheel(i64),
    /// The terminal changed size.
    Resize(u16, u16),
    /// An answer from the ingest thread.
    Update(Update),
}

/// What the app must do after an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send a command to the ingest thread.
    Send(Command),
    /// Run a shell command with the terminal restored; `wait` for a key after it ends.
    Run {
        /// The command line.
        command: String,
        /// Wait for a key before coming back.
        wait: bool,
    },
    /// Leave.
    Quit,
}

impl PartialEq for Command {
    fn eq(&self, other: &Command) -> bool {
        let (Command::Start { generation: a, .. }, Command::Start { generation: b, .. }) = (self, other);
        a == b
    }
}

/// What is on screen.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // one value, owned by the UI state: size does not matter
pub enum Screen {
    /// A view.
    Table(TableScreen),
    /// Echo or dig of a selection.
    Spy(SpyScreen),
    /// All fields of one event (Enter in dig).
    Fields(FieldsScreen),
}

/// A panel over the screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// Nothing.
    None,
    /// Help, scrolled by this many lines.
    Help(usize),
    /// The view picker, with this view selected.
    Views(usize),
    /// The sort column picker, with this value column selected.
    Sort(usize),
    /// The view's legend.
    Legend(usize),
    /// The actions menu, with this action selected.
    Actions(usize),
    /// Asking before running this action.
    Confirm(usize),
}

/// What a prompt edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Search rows or lines.
    Search,
    /// Filter rows (text) or events (a sysdig filter).
    Filter,
}

/// The bottom-line prompt.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    /// Search or filter.
    pub kind: PromptKind,
    /// For filters: a sysdig filter rather than text.
    pub sysdig: bool,
    /// The text typed.
    pub text: String,
    /// The last search found nothing.
    pub nomatch: bool,
}

/// How to get back to the previous screen with Backspace.
#[derive(Clone, Debug)]
pub struct StackEntry {
    /// The selection's contribution to the filter.
    pub level: Level,
    /// The view to go back to.
    pub view: usize,
    /// Its depth.
    pub depth: u32,
    /// Its sorting.
    pub sort: (usize, Option<bool>),
    /// The row that was selected.
    pub selected_key: Option<Val>,
    /// Its filters.
    pub text_filter: String,
    /// Its sysdig filter.
    pub sysdig_filter: String,
    /// The step was a drill-down (rather than a view switch).
    pub drilled: bool,
}

/// Everything the UI knows.
#[derive(Clone, Debug)]
pub struct UiState {
    /// The views.
    pub catalogue: Catalogue,
    /// Where events come from, for the header.
    pub source_name: String,
    /// Live input (a pipe) rather than a file.
    pub live: bool,
    /// The filter given on the command line.
    pub cmdline_filter: String,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The screen.
    pub screen: Screen,
    /// The drill-down stack.
    pub stack: Vec<StackEntry>,
    /// The current work's generation; older answers are ignored.
    pub generation: u64,
    /// Paused: new data waits.
    pub paused: bool,
    /// A panel over the screen.
    pub overlay: Overlay,
    /// The bottom-line prompt.
    pub prompt: Option<Prompt>,
    /// A message shown in the footer until the next key.
    pub message: Option<String>,
    /// Updates that arrived while paused.
    pub held: Vec<Update>,
    /// The dig screen the "all fields" screen came from.
    pub fields_return: Option<SpyScreen>,
    /// What was typed in the view picker.
    pub picker_prefix: String,
}

impl UiState {
    /// The state at start: view `view` of the catalogue.
    pub fn new(catalogue: Catalogue, view: usize, source_name: String, live: bool, cmdline_filter: String) -> UiState {
        let sorting = catalogue.views().get(view).map_or(1, |v| v.sorting_col);
        UiState {
            catalogue,
            source_name,
            live,
            cmdline_filter,
            size: (80, 24),
            screen: Screen::Table(TableScreen::new(view, 0, sorting)),
            stack: Vec::new(),
            generation: 0,
            paused: false,
            overlay: Overlay::None,
            prompt: None,
            message: None,
            held: Vec::new(),
            fields_return: None,
            picker_prefix: String::new(),
        }
    }

    /// The view on screen, or the one echo/dig was started from.
    pub fn view(&self) -> Option<&ViewDef> {
        match &self.screen {
            Screen::Table(t) => self.catalogue.views().get(t.view),
            _ => self.stack.last().and_then(|e| self.catalogue.views().get(e.view)),
        }
    }

    /// The filter the drill-down stack adds up to, with the command line's.
    pub fn stack_filter(&self) -> String {
        let levels: Vec<Level> = self.stack.iter().map(|e| e.level.clone()).collect();
        drill::combine(&self.cmdline_filter, &drill::stack_filter(&levels, false))
    }

    /// The complete filter of the current screen.
    pub fn complete_filter(&self) -> String {
        match &self.screen {
            Screen::Table(t) => {
                if !t.sysdig_filter.is_empty() {
                    return t.sysdig_filter.clone();
                }
                let view_filter = self.catalogue.views().get(t.view).map(|v| v.filter_at(t.depth)).unwrap_or_default();
                drill::combine(&self.stack_filter(), &view_filter)
            }
            _ => self.stack_filter(),
        }
    }

    /// The work the current screen needs, as a command with a new generation.
    pub fn start(&mut self) -> Effect {
        self.generation += 1;
        self.held.clear();
        let filter = self.complete_filter();
        let work = match &self.screen {
            Screen::Table(t) => match self.catalogue.views().get(t.view) {
                Some(v) => Work::Table {
                    view: Box::new(v.clone()),
                    depth: t.depth,
                    filter,
                    spectro_width: u32::from(self.size.0),
                },
                None => Work::Table {
                    view: Box::new(self.catalogue.views()[0].clone()),
                    depth: 0,
                    filter,
                    spectro_width: u32::from(self.size.0),
                },
            },
            Screen::Spy(s) => Work::Spy { kind: s.kind, filter },
            Screen::Fields(_) => Work::Spy { kind: SpyKind::Dig, filter },
        };
        Effect::Send(Command::Start { generation: self.generation, work })
    }

    fn rows_per_page(&self) -> usize {
        layout::visible_rows(self.size.1).max(1)
    }

    /// Applies an action, then keeps the selection on screen.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let out = self.apply(action);
        self.scroll_into_view();
        out
    }

    /// Moves the first row shown so that the selection is visible.
    fn scroll_into_view(&mut self) {
        let rows = self.rows_per_page();
        let fit = |top: &mut usize, selected: usize| {
            if selected < *top {
                *top = selected;
            } else if selected >= *top + rows {
                *top = selected + 1 - rows;
            }
        };
        match &mut self.screen {
            Screen::Table(t) => fit(&mut t.top, t.selected),
            Screen::Spy(s) => fit(&mut s.top, s.selected),
            Screen::Fields(f) => fit(&mut f.top, f.selected),
        }
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        if let Action::Update(u) = action {
            return self.on_update(u);
        }
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            return Vec::new();
        }
        self.message = None;
        if self.prompt.is_some() {
            return self.on_prompt(action);
        }
        if self.overlay != Overlay::None {
            return self.on_overlay(action);
        }
        match action {
            Action::Quit => vec![Effect::Quit],
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.rows_per_page() as i64)),
            Action::PageDown => self.move_by(self.rows_per_page() as i64),
            Action::Home => self.move_by(i64::MIN / 2),
            Action::End => self.move_by(i64::MAX / 2),
            Action::Wheel(n) => self.move_by(n),
            Action::Enter => self.enter(),
            Action::Back => self.back(),
            Action::Escape => Vec::new(),
            Action::ViewPicker => {
                let cur = self.view().and_then(|v| self.catalogue.position(&v.id)).unwrap_or(0);
                self.overlay = Overlay::Views(cur);
                self.picker_prefix.clear();
                Vec::new()
            }
            Action::SortPicker => {
                if let Screen::Table(t) = &self.screen {
                    self.overlay = Overlay::Sort(t.sort_col);
                }
                Vec::new()
            }
            Action::Help => {
                self.overlay = Overlay::Help(0);
                Vec::new()
            }
            Action::Legend => {
                self.overlay = Overlay::Legend(0);
                Vec::new()
            }
            Action::Actions => {
                if matches!(self.screen, Screen::Table(_)) {
                    self.overlay = Overlay::Actions(0);
                }
                Vec::new()
            }
            Action::Search => {
                self.prompt =
                    Some(Prompt { kind: PromptKind::Search, sysdig: false, text: String::new(), nomatch: false });
                Vec::new()
            }
            Action::Filter => {
                if let Screen::Table(t) = &self.screen {
                    let sysdig = !t.sysdig_filter.is_empty();
                    let text = if sysdig { t.sysdig_filter.clone() } else { t.text_filter.clone() };
                    self.prompt = Some(Prompt { kind: PromptKind::Filter, sysdig, text, nomatch: false });
                }
                Vec::new()
            }
            Action::Echo => self.spy(SpyKind::Echo),
            Action::Dig => self.spy(SpyKind::Dig),
            Action::Spectro => self.spectro(),
            Action::Pause => {
                self.paused = !self.paused;
                if self.paused {
                    return Vec::new();
                }
                let held = std::mem::take(&mut self.held);
                let mut out = Vec::new();
                for u in held {
                    out.extend(self.on_update(u));
                }
                out
            }
            Action::SortColumn(n) => {
                if let Screen::Table(t) = &mut self.screen {
                    t.sort_by(n.saturating_sub(1));
                }
                Vec::new()
            }
            Action::Click { x, y, double } => self.click(x, y, double),
            Action::SearchNext | Action::Char(_) | Action::Erase | Action::ClearLine | Action::ToggleFilterMode => {
                Vec::new()
            }
            Action::Resize(..) | Action::Update(_) => Vec::new(),
        }
    }

    fn move_by(&mut self, delta: i64) -> Vec<Effect> {
        match &mut self.screen {
            Screen::Table(t) => t.move_by(delta),
            Screen::Spy(s) => s.move_by(delta),
            Screen::Fields(f) => {
                let n = f.fields.len() as i64;
                if n > 0 {
                    f.selected = (f.selected as i64 + delta).clamp(0, n - 1) as usize;
                }
            }
        }
        Vec::new()
    }

    fn on_update(&mut self, u: Update) -> Vec<Effect> {
        let generation = match &u {
            Update::Sample(s) => s.generation,
            Update::Lines { generation, .. }
            | Update::Progress { generation, .. }
            | Update::Slice { generation, .. }
            | Update::End { generation }
            | Update::Error { generation, .. } => *generation,
        };
        if generation != self.generation && generation != 0 {
            return Vec::new();
        }
        if self.paused && matches!(u, Update::Sample(_) | Update::Lines { .. }) {
            if matches!(u, Update::Sample(_)) {
                self.held.retain(|h| !matches!(h, Update::Sample(_)));
            }
            self.held.push(u);
            return Vec::new();
        }
        let spectro = self.view().is_some_and(|v| v.kind == ViewKind::Spectro);
        match (&mut self.screen, u) {
            (Screen::Table(t), Update::Sample(s)) => t.set_sample(s, spectro),
            (Screen::Table(t), Update::Progress { n_events, .. }) if t.sample.is_none() => {
                t.loading = Some(n_events);
            }
            (Screen::Table(t), Update::Error { message, .. }) => {
                t.loading = None;
                t.error = Some(message);
            }
            (Screen::Spy(s), Update::Lines { lines, .. }) => s.push(lines),
            (Screen::Spy(s), Update::End { .. }) => s.ended = true,
            (Screen::Spy(s), Update::Error { message, .. }) => s.error = Some(message),
            (_, Update::Error { message, .. }) => self.message = Some(message),
            _ => {}
        }
        Vec::new()
    }

    /// Enter on a table row: open the drill-down target of the view for the selected key.
    fn enter(&mut self) -> Vec<Effect> {
        match &self.screen {
            Screen::Table(_) => self.drill_down(None),
            Screen::Spy(s) if s.kind == SpyKind::Dig => {
                let Some(line) = s.lines.get(s.selected) else { return Vec::new() };
                let fields =
                    FieldsScreen { title: line.text.clone(), fields: line.fields.clone(), selected: 0, top: 0 };
                if let Screen::Spy(spy) = std::mem::replace(&mut self.screen, Screen::Fields(fields)) {
                    self.fields_return = Some(spy);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The entry that brings back the current table screen.
    fn back_entry(&self, level: Level, drilled: bool) -> StackEntry {
        match &self.screen {
            Screen::Table(t) => StackEntry {
                level,
                view: t.view,
                depth: t.depth,
                sort: (t.sort_col, t.ascending),
                selected_key: t.selected_key.clone(),
                text_filter: t.text_filter.clone(),
                sysdig_filter: t.sysdig_filter.clone(),
                drilled,
            },
            _ => {
                let prev = self.stack.last();
                StackEntry {
                    level,
                    view: prev.map_or(0, |p| p.view),
                    depth: prev.map_or(0, |p| p.depth),
                    sort: prev.map_or((0, None), |p| p.sort),
                    selected_key: None,
                    text_filter: String::new(),
                    sysdig_filter: String::new(),
                    drilled,
                }
            }
        }
    }

    /// Drills from the selected row into `target` (or the view's own drill-down target).
    fn drill_down(&mut self, target: Option<usize>) -> Vec<Effect> {
        let Screen::Table(t) = &self.screen else { return Vec::new() };
        let Some(view) = self.catalogue.views().get(t.view).cloned() else { return Vec::new() };
        if view.kind == ViewKind::List {
            return Vec::new();
        }
        let Some(key) = view.key() else { return Vec::new() };
        let Some((value, ptype)) = t.selected_key_text() else { return Vec::new() };
        let field = key.filter_field_at(t.depth);
        let target = match target {
            Some(i) => i,
            None => match self.catalogue.drilldown_target(&view, &field).and_then(|v| self.catalogue.position(&v.id)) {
                Some(i) => i,
                None => {
                    self.message = Some(format!("no view to drill down into from {}", view.name));
                    return Vec::new();
                }
            },
        };
        let mut depth = t.depth;
        if view.drilldown_increase_depth && self.catalogue.views()[target].id != "spectro_tracers" {
            depth += 1;
        }
        let view_filter = if view.propagate_filter { view.filter_at(depth) } else { String::new() };
        let level = Level {
            field,
            value: drill::filter_value(ptype, &value),
            child_only: key.filter_in_child_only,
            view_filter,
        };
        let entry = self.back_entry(level, true);
        self.stack.push(entry);
        let sorting = self.catalogue.views()[target].sorting_col;
        self.screen = Screen::Table(TableScreen::new(target, depth, sorting));
        self.overlay = Overlay::None;
        vec![self.start()]
    }

    /// Backspace: back to the screen before the last drill-down or view switch.
    fn back(&mut self) -> Vec<Effect> {
        if matches!(self.screen, Screen::Fields(_)) {
            if let Some(spy) = self.fields_return.take() {
                self.screen = Screen::Spy(spy);
                return Vec::new();
            }
        }
        let Some(entry) = self.stack.pop() else { return Vec::new() };
        let mut t = TableScreen::new(entry.view, entry.depth, 1);
        t.sort_col = entry.sort.0;
        t.ascending = entry.sort.1;
        t.selected_key = entry.selected_key;
        t.text_filter = entry.text_filter;
        t.sysdig_filter = entry.sysdig_filter;
        self.screen = Screen::Table(t);
        vec![self.start()]
    }

    /// F2 picks a view: the current one goes on the stack, with the same selection filter.
    fn switch_view(&mut self, target: usize) -> Vec<Effect> {
        let level = self.stack.last().map(|e| Level { child_only: false, ..e.level.clone() }).unwrap_or_default();
        let same = matches!(&self.screen, Screen::Table(t) if t.view == target);
        self.overlay = Overlay::None;
        if same {
            return Vec::new();
        }
        let depth = match &self.screen {
            Screen::Table(t) => t.depth,
            _ => 0,
        };
        let entry = self.back_entry(level, false);
        self.stack.push(entry);
        let sorting = self.catalogue.views()[target].sorting_col;
        self.screen = Screen::Table(TableScreen::new(target, depth, sorting));
        vec![self.start()]
    }

    /// F5/F6: the events of the selected row as text.
    fn spy(&mut self, kind: SpyKind) -> Vec<Effect> {
        let Screen::Table(t) = &self.screen else { return Vec::new() };
        let Some(view) = self.catalogue.views().get(t.view).cloned() else { return Vec::new() };
        if view.kind == ViewKind::List {
            return Vec::new();
        }
        let Some(key) = view.key() else { return Vec::new() };
        let Some((value, ptype)) = t.selected_key_text() else { return Vec::new() };
        let view_filter = if view.propagate_filter { view.filter_at(t.depth) } else { String::new() };
        let level = Level {
            field: key.filter_field_at(t.depth),
            value: drill::filter_value(ptype, &value),
            child_only: key.filter_in_child_only,
            view_filter,
        };
        let entry = self.back_entry(level, true);
        self.stack.push(entry);
        self.screen = Screen::Spy(SpyScreen::new(kind, self.live));
        vec![self.start()]
    }

    /// F12: the latency spectrogram of the selection.
    fn spectro(&mut self) -> Vec<Effect> {
        let Some(i) = self.catalogue.position("spectro_all") else { return Vec::new() };
        if !matches!(self.screen, Screen::Table(_)) {
            return Vec::new();
        }
        self.drill_down(Some(i))
    }

    fn on_overlay(&mut self, action: Action) -> Vec<Effect> {
        let n_views = self.catalogue.views().len();
        let n_sort = match &self.screen {
            Screen::Table(t) => t.sample.as_ref().map_or(0, |s| s.spec.output_columns().len().saturating_sub(1)),
            _ => 0,
        };
        let n_actions = self.view().map_or(0, |v| v.actions.len());
        match (&mut self.overlay, action) {
            (_, Action::Quit) => vec![Effect::Quit],
            (_, Action::Escape) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Help(n), Action::Down) => {
                *n += 1;
                Vec::new()
            }
            (Overlay::Help(n), Action::Up) => {
                *n = n.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Help(_) | Overlay::Legend(_), _) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Views(i), Action::Up) => {
                *i = i.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Views(i), Action::Down) => {
                *i = (*i + 1).min(n_views.saturating_sub(1));
                Vec::new()
            }
            (Overlay::Views(i), Action::Enter) => {
                let target = *i;
                self.switch_view(target)
            }
            (Overlay::Views(i), Action::Char(c)) => {
                // Type-ahead: jump to the first view whose name starts with what was typed.
                let names: Vec<String> = self.catalogue.views().iter().map(|v| v.name.to_lowercase()).collect();
                self.picker_prefix.push(c.to_ascii_lowercase());
                let mut found = names.iter().position(|n| n.starts_with(&self.picker_prefix));
                if found.is_none() {
                    self.picker_prefix = c.to_ascii_lowercase().to_string();
                    found = names.iter().position(|n| n.starts_with(&self.picker_prefix));
                }
                if let Some(j) = found {
                    *i = j;
                }
                Vec::new()
            }
            (Overlay::Views(_), Action::ViewPicker | Action::Back) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Views(i), Action::Click { y, x, .. }) => {
                if x < layout::SIDEBAR_WIDTH && y >= layout::FIRST_ROW {
                    let row = usize::from(y - layout::FIRST_ROW);
                    if row < n_views {
                        *i = row;
                        return self.switch_view(row);
                    }
                }
                Vec::new()
            }
            (Overlay::Sort(i), Action::Up) => {
                *i = i.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Sort(i), Action::Down) => {
                *i = (*i + 1).min(n_sort.saturating_sub(1));
                Vec::new()
            }
            (Overlay::Sort(i), Action::Enter) => {
                let col = *i;
                self.overlay = Overlay::None;
                if let Screen::Table(t) = &mut self.screen {
                    t.sort_by(col);
                }
                Vec::new()
            }
            (Overlay::Sort(_), Action::SortPicker | Action::Back) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Actions(i), Action::Up) => {
                *i = i.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Actions(i), Action::Down) => {
                *i = (*i + 1).min(n_actions.saturating_sub(1));
                Vec::new()
            }
            (Overlay::Actions(i), Action::Enter) => {
                let i = *i;
                self.run_action(i)
            }
            (Overlay::Actions(_), Action::Char(c)) => {
                let found = self.view().and_then(|v| v.actions.iter().position(|a| a.hotkey == c));
                match found {
                    Some(i) => self.run_action(i),
                    None => Vec::new(),
                }
            }
            (Overlay::Actions(_), Action::Actions | Action::Back) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Confirm(i), Action::Char('y' | 'Y')) => {
                let i = *i;
                self.overlay = Overlay::None;
                self.action_effect(i)
            }
            (Overlay::Confirm(_), _) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn run_action(&mut self, i: usize) -> Vec<Effect> {
        let confirm = self.view().and_then(|v| v.actions.get(i)).is_some_and(|a| a.ask_confirmation);
        if confirm {
            self.overlay = Overlay::Confirm(i);
            return Vec::new();
        }
        self.overlay = Overlay::None;
        self.action_effect(i)
    }

    /// The command of action `i` with `%field` replaced by the selected row's values.
    pub fn action_command(&self, i: usize) -> Option<(String, bool)> {
        let Screen::Table(t) = &self.screen else { return None };
        let a = self.view()?.actions.get(i)?;
        let mut out = String::new();
        let mut rest = a.command.as_str();
        while let Some(p) = rest.find('%') {
            out.push_str(&rest[..p]);
            let after = &rest[p + 1..];
            let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(after.len());
            let field = &after[..len];
            let value = t.selected_value(field)?;
            out.push_str(&shell_quote(&value));
            rest = &after[len..];
        }
        out.push_str(rest);
        Some((out, a.wait_finish))
    }

    fn action_effect(&mut self, i: usize) -> Vec<Effect> {
        match self.action_command(i) {
            Some((command, wait)) => vec![Effect::Run { command, wait }],
            None => {
                self.message = Some("the action needs a value the selected row does not have".into());
                Vec::new()
            }
        }
    }

    fn on_prompt(&mut self, action: Action) -> Vec<Effect> {
        let complete = self.complete_filter();
        let Some(prompt) = self.prompt.as_mut() else { return Vec::new() };
        match action {
            Action::Char(c) => prompt.text.push(c),
            Action::Erase => {
                prompt.text.pop();
            }
            Action::ClearLine => prompt.text.clear(),
            Action::ToggleFilterMode if prompt.kind == PromptKind::Filter => {
                prompt.sysdig = !prompt.sysdig;
                prompt.text = if prompt.sysdig { complete } else { String::new() };
            }
            Action::Escape => {
                let p = self.prompt.take();
                if let (Some(p), Screen::Table(t)) = (p, &mut self.screen) {
                    if p.kind == PromptKind::Filter && !p.sysdig {
                        t.text_filter.clear();
                        t.refresh_rows();
                    }
                }
                return Vec::new();
            }
            Action::Enter | Action::Filter | Action::Search => return self.close_prompt(),
            Action::SearchNext => {
                let text = prompt.text.clone();
                self.search(&text, true);
                return Vec::new();
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                let p = self.prompt.take();
                let out = self.update(action);
                self.prompt = p;
                return out;
            }
            Action::Quit => return vec![Effect::Quit],
            _ => return Vec::new(),
        }
        // Text filters and searches act as the user types.
        let Some(prompt) = self.prompt.clone() else { return Vec::new() };
        match prompt.kind {
            PromptKind::Filter if !prompt.sysdig => {
                if let Screen::Table(t) = &mut self.screen {
                    t.text_filter = prompt.text.clone();
                    t.refresh_rows();
                }
            }
            PromptKind::Search => self.search(&prompt.text, false),
            _ => {}
        }
        Vec::new()
    }

    fn search(&mut self, text: &str, next: bool) {
        if text.is_empty() {
            return;
        }
        let found = match &mut self.screen {
            Screen::Table(t) => {
                let from = if next { t.selected + 1 } else { 0 };
                let i = t.find(text, from);
                if let Some(i) = i {
                    t.select(i);
                }
                i.is_some()
            }
            Screen::Spy(s) => {
                let from = if next { s.selected + 1 } else { s.selected };
                let i = s.find(text, from);
                if let Some(i) = i {
                    s.selected = i;
                    s.follow = false;
                }
                i.is_some()
            }
            Screen::Fields(f) => {
                let i = f.fields.iter().position(|(k, v)| k.contains(text) || v.contains(text));
                if let Some(i) = i {
                    f.selected = i;
                }
                i.is_some()
            }
        };
        if let Some(p) = self.prompt.as_mut() {
            p.nomatch = !found;
        }
    }

    fn close_prompt(&mut self) -> Vec<Effect> {
        let Some(p) = self.prompt.take() else { return Vec::new() };
        if p.kind != PromptKind::Filter || !p.sysdig {
            return Vec::new();
        }
        if let Err(e) = crate::ingest::check_filter(&p.text) {
            self.message = Some(format!("invalid sysdig filter: {e}"));
            self.prompt = Some(p);
            return Vec::new();
        }
        if let Screen::Table(t) = &mut self.screen {
            t.sysdig_filter = p.text;
            t.sample = None;
            t.rows.clear();
            t.loading = Some(0);
        }
        vec![self.start()]
    }

    fn click(&mut self, x: u16, y: u16, double: bool) -> Vec<Effect> {
        let (w, h) = self.size;
        if y + 1 == h {
            let item = layout::footer_slots(w).into_iter().find(|(a, b, _)| x >= *a && x < *b).map(|(_, _, i)| i);
            return match item.and_then(|i| layout::FOOTER.get(i)).map(|(k, _)| *k) {
                Some("F1") => self.update(Action::Help),
                Some("F3") => self.update(Action::Search),
                Some("F2") => self.update(Action::ViewPicker),
                Some("F4") => self.update(Action::Filter),
                Some("F5") => self.update(Action::Echo),
                Some("F6") => self.update(Action::Dig),
                Some("F7") => self.update(Action::Legend),
                Some("F8") => self.update(Action::Actions),
                Some("F9") => self.update(Action::SortPicker),
                Some("F12") => self.update(Action::Spectro),
                Some("p") => self.update(Action::Pause),
                Some("F10") => vec![Effect::Quit],
                _ => Vec::new(),
            };
        }
        if y == layout::TITLES_ROW {
            if let Screen::Table(t) = &mut self.screen {
                let (Some(sample), Some(view)) = (&t.sample, self.catalogue.views().get(t.view)) else {
                    return Vec::new();
                };
                let cols = layout::columns(view, &sample.spec, w);
                if let Some(col) = cols.iter().position(|c| x >= c.x && x < c.x + c.width) {
                    t.sort_by(col);
                }
            }
            return Vec::new();
        }
        if y >= layout::FIRST_ROW {
            let row = usize::from(y - layout::FIRST_ROW);
            match &mut self.screen {
                Screen::Table(t) => {
                    let i = t.top + row;
                    if i < t.rows.len() {
                        t.select(i);
                        if double {
                            return self.enter();
                        }
                    }
                }
                Screen::Spy(s) => {
                    let i = s.top + row;
                    if i < s.lines.len() {
                        s.selected = i;
                        s.follow = false;
                    }
                }
                Screen::Fields(f) => {
                    let i = f.top + row;
                    if i < f.fields.len() {
                        f.selected = i;
                    }
                }
            }
        }
        Vec::new()
    }
}

/// Quotes a value for `sh -c` when it holds anything but safe characters.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-:/@%+=,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
