//! The interactive loop: owns the terminal, the ingest thread and the UI state.
//!
//! Four sources feed one loop: terminal events (read on their own thread), owned updates from
//! the ingest thread, signals, and a tick. Each becomes an `Action` for `UiState::update`; the
//! effects that come back are carried out here, and the screen is redrawn from `&UiState`.
//!
//! The terminal is restored by a guard's `Drop`, by a panic hook, and before a signal ends the
//! program.

use std::io::{self, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossbeam_channel::{bounded, select, unbounded, Receiver, Sender};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;

use crate::feed::{Command, Update};
use crate::ingest::{self, Settings};
use crate::state::{Action, Effect, UiState};

/// Whether the terminal is in our mode (raw, alternate screen, mouse).
static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was, once: leaving the alternate screen twice would move the
/// cursor back over what was printed in between (a panic message).
fn restore_terminal() {
    if !TERMINAL_TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, ratatui::crossterm::cursor::Show);
}

/// Puts the terminal in our mode.
fn take_terminal() -> Result<()> {
    enable_raw_mode().context("cannot put the terminal in raw mode")?;
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture).context("cannot set up the terminal")?;
    Ok(())
}

/// Restores the terminal when dropped, however the loop ends.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<TerminalGuard> {
        let guard = TerminalGuard;
        take_terminal()?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restores the terminal before a panic message is printed.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Messages to the terminal reader thread.
enum ReaderControl {
    /// Stop reading (a command needs the terminal) until `Resume`.
    Suspend,
    /// Read again.
    Resume,
}

/// Reads terminal events on a thread. Between reads it checks for `Suspend`, so that once a
/// suspend is handed over (the channel is a rendezvous) it reads nothing until resumed.
fn spawn_reader(events: Sender<Event>, control: Receiver<ReaderControl>) {
    thread::spawn(move || loop {
        match control.try_recv() {
            Ok(ReaderControl::Suspend) => loop {
                match control.recv() {
                    Ok(ReaderControl::Resume) => break,
                    Ok(ReaderControl::Suspend) => {}
                    Err(_) => return,
                }
            },
            Ok(ReaderControl::Resume) => {}
            Err(crossbeam_channel::TryRecvError::Disconnected) => return,
            Err(crossbeam_channel::TryRecvError::Empty) => {}
        }
        match event::poll(Duration::from_millis(50)) {
            Ok(true) => match event::read() {
                Ok(e) => {
                    if events.send(e).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            },
            Ok(false) => {}
            Err(_) => return,
        }
    });
}

/// Signals that end the program, as events.
fn spawn_signals() -> Result<Receiver<i32>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (tx, rx) = bounded(4);
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).context("cannot handle signals")?;
    thread::spawn(move || {
        for s in signals.forever() {
            if tx.send(s).is_err() {
                return;
            }
        }
    });
    Ok(rx)
}

/// Ends the program as the signal would have, after the terminal is restored.
pub fn die_by_signal(sig: i32) -> ! {
    restore_terminal();
    let _ = signal_hook::low_level::emulate_default_handler(sig);
    std::process::exit(128 + sig)
}

/// Runs the TUI until the user quits. Returns the exit code.
pub fn run(settings: Settings, mut state: UiState) -> Result<i32> {
    if !io::stdout().is_terminal() {
        anyhow::bail!("stdout is not a terminal: use -j or --raw for text output");
    }
    let signals = spawn_signals()?;
    install_panic_hook();
    let guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout())).context("cannot draw on the terminal")?;
    let size = terminal.size().context("cannot read the terminal size")?;
    state.size = (size.width, size.height);

    let (cmd_tx, cmd_rx) = unbounded::<Command>();
    let (upd_tx, upd_rx) = unbounded::<Update>();
    let ingest = thread::spawn(move || ingest::run(settings, cmd_rx, upd_tx));
    let (ev_tx, ev_rx) = unbounded::<Event>();
    let (ctl_tx, ctl_rx) = bounded::<ReaderControl>(0);
    spawn_reader(ev_tx, ctl_rx);

    let mut effects = vec![state.start()];
    let mut last_click: Option<(u16, u16, Instant)> = None;
    let mut updates = upd_rx;
    'main: loop {
        for e in effects.drain(..) {
            match e {
                Effect::Send(c) => {
                    if cmd_tx.send(c).is_err() {
                        break 'main;
                    }
                }
                Effect::Quit => break 'main,
                Effect::Run { command, wait } => {
                    run_command(&mut terminal, &ctl_tx, &command, wait)?;
                }
            }
        }
        terminal.draw(|f| crate::view::draw(f, &state)).context("cannot draw on the terminal")?;
        if std::env::var_os("SCAP_TOP_TEST_PANIC").is_some() {
            // A testing aid: the terminal must come back even when the UI panics.
            panic!("SCAP_TOP_TEST_PANIC is set: panicking on purpose");
        }
        select! {
            recv(ev_rx) -> ev => {
                let Ok(ev) = ev else { break };
                let mut double = false;
                if let Event::Mouse(m) = &ev {
                    if let event::MouseEventKind::Down(_) = m.kind {
                        let now = Instant::now();
                        double = last_click.is_some_and(|(x, y, t)| x == m.column && y == m.row && now - t < Duration::from_millis(400));
                        last_click = Some((m.column, m.row, now));
                    }
                }
                if let Some(a) = crate::input::action_for(&ev, &state, double) {
                    effects = state.update(a);
                }
            }
            recv(updates) -> u => {
                match u {
                    Ok(u) => {
                        effects = state.update(Action::Update(u));
                        // Take whatever else is waiting, so a slow draw never falls behind.
                        while let Ok(more) = updates.try_recv() {
                            effects.extend(state.update(Action::Update(more)));
                        }
                    }
                    // The ingest thread ended (its input could not be opened): keep showing
                    // what we have.
                    Err(_) => updates = crossbeam_channel::never(),
                }
            }
            recv(signals) -> s => {
                if let Ok(s) = s {
                    drop(guard);
                    die_by_signal(s);
                }
            }
            default(Duration::from_millis(250)) => {}
        }
    }
    drop(cmd_tx);
    drop(terminal);
    drop(guard);
    // The ingest thread may be blocked reading a quiet pipe; it ends with the process.
    drop(ingest);
    Ok(0)
}

/// Runs a view action's command with the terminal given back to it.
fn run_command(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    reader: &Sender<ReaderControl>,
    command: &str,
    wait: bool,
) -> Result<()> {
    let _ = reader.send(ReaderControl::Suspend);
    restore_terminal();
    println!("{command}");
    let status = std::process::Command::new("sh").arg("-c").arg(command).status();
    if let Err(e) = &status {
        println!("cannot run sh: {e}");
    }
    if wait {
        print!("\nPress Enter to go back to scap-top");
        let _ = io::stdout().flush();
        // stdin may be the event stream: read the answer from the terminal.
        if let Ok(tty) = std::fs::File::open("/dev/tty") {
            let mut line = String::new();
            let _ = io::BufRead::read_line(&mut io::BufReader::new(tty), &mut line);
        }
    }
    take_terminal()?;
    terminal.clear().context("cannot draw on the terminal")?;
    let _ = reader.send(ReaderControl::Resume);
    Ok(())
}
