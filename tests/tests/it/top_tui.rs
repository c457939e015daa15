//! Issue 8: the real scap-top TUI, driven in tmux (send-keys, capture-pane).
//!
//! Each test starts its own tmux server (a private socket) running scap-top on a corpus trace,
//! types keys or mouse clicks (SGR mouse sequences, as a terminal sends them), and asserts what
//! the screen shows. After scap-top ends, the pane's shell prints `EXIT=<code>` and whether the
//! terminal is back in canonical mode, so the tests also see that the terminal was restored.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use scap_tests::*;

/// A scap-top running in its own tmux server.
pub struct Tui {
    socket: String,
}

fn trace(name: &str) -> PathBuf {
    traces().into_iter().find(|t| stem(t) == name).unwrap_or_else(|| panic!("{name} in corpus"))
}

pub fn tmux_ok() -> bool {
    let ok = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but tmux is not installed");
        eprintln!("note: tmux is not installed; the TUI tests are skipped");
    }
    ok
}

impl Tui {
    /// Starts `scap-top ARGS` in a `w` x `h` terminal.
    fn start(name: &str, args: &str, w: u16, h: u16) -> Tui {
        Tui::start_with(name, &format!("{} {args}", bin("scap-top").display()), w, h)
    }

    /// Starts a shell command line in a `w` x `h` terminal.
    pub fn start_with(name: &str, command: &str, w: u16, h: u16) -> Tui {
        let socket = format!("scap-top-test-{}-{name}", std::process::id());
        let bindir = bin("scap-top").parent().map(|p| p.display().to_string()).unwrap_or_default();
        let script = format!(
            "export TZ=UTC PATH={bindir}:$PATH; {command}; echo EXIT=$?; stty -a | grep -o -- '-\\?icanon'; sleep 600"
        );
        let out = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
            ])
            .arg(script)
            .output()
            .expect("runs tmux");
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        Tui { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket]).args(args).output().expect("runs tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys by tmux names (`F2`, `Enter`, `BSpace`, `Down`, `C-c`...), one at a time (an
    /// Escape followed at once by a key would read as Alt+key).
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", "--", text]);
    }

    /// A left click at 0-based screen cell (x, y), as an SGR mouse report.
    fn click(&self, x: u16, y: u16) {
        self.type_text(&format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", x + 1, y + 1, x + 1, y + 1));
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    /// The screen with colors, as escape sequences.
    fn screen_colors(&self) -> String {
        self.tmux(&["capture-pane", "-e", "-p", "-t", "t"])
    }

    /// Waits until the screen satisfies `ok`; panics with the screen after 15 s.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "waiting for {what}; the screen is:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait(&format!("{text:?}"), |s| s.contains(text))
    }

    /// The text of the highlighted (selected) table row.
    fn selected_row(&self) -> Option<String> {
        let colors = self.screen_colors();
        let plain = self.screen();
        let lines: Vec<&str> = colors.lines().collect();
        // Rows start on line 3; the selection is drawn black on cyan.
        let i = lines
            .iter()
            .enumerate()
            .skip(3)
            .find(|(_, l)| l.chars().take(40).collect::<String>().contains("48;5;6m"))?
            .0;
        plain.lines().nth(i).map(|l| l.trim().to_string())
    }

    /// The table rows on screen (between the titles and the footer), trimmed.
    fn rows(&self) -> Vec<String> {
        let s = self.screen();
        let lines: Vec<&str> = s.lines().collect();
        lines
            .iter()
            .skip(3)
            .take(lines.len().saturating_sub(4))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Waits for the program to end and returns its exit code and whether the terminal was left
    /// in canonical (cooked) mode.
    pub fn exit_status(&self) -> (i32, bool) {
        let s = self.wait("the program to end", |s| s.contains("EXIT=") && s.contains("icanon"));
        let code = s
            .split("EXIT=")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|c| c.parse().ok())
            .unwrap_or(-1);
        let cooked = s.lines().any(|l| l.trim() == "icanon");
        (code, cooked)
    }

    /// The pid of scap-top (the shell's child).
    fn pid(&self) -> Option<u32> {
        let shell: u32 = self.tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"]).trim().parse().ok()?;
        let out = Command::new("pgrep").arg("-P").arg(shell.to_string()).arg("-x").arg("scap-top").output().ok()?;
        String::from_utf8_lossy(&out.stdout).split_whitespace().next()?.parse().ok()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

fn nginx_args() -> String {
    format!("-r '{}'", trace("bencer-examples__example0_nginx").display())
}

fn cat_write_args(rest: &str) -> String {
    format!("-r '{}' {rest}", trace("falco__cat_write").display())
}

#[test]
fn opens_a_trace_and_quits_restoring_the_terminal() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("open", &nginx_args(), 120, 30);
    let s = t.wait_text("nginx: worker process");
    assert!(s.starts_with("Viewing: Processes For: whole machine"), "{s}");
    assert!(s.contains("Filter: evt.type!=switch"), "{s}");
    let titles = s.lines().nth(2).unwrap_or_default();
    for col in ["PID", "PPID", "CPU", "USER", "TH", "VIRT", "RES", "FILE", "NET", "Command"] {
        assert!(titles.contains(col), "column {col} in {titles:?}");
    }
    assert!(s.lines().last().is_some_and(|l| l.contains("F1Help") && l.contains("F10Quit")), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), (0, true));
    assert!(!t.screen().contains("Viewing:"), "the alternate screen is gone");
}

#[test]
fn switches_views_drills_down_and_comes_back() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("views", &cat_write_args(""), 120, 40);
    t.wait_text("cat /dev/null");
    t.keys(&["F2"]);
    let s = t.wait_text("Select View");
    assert!(s.contains("System Calls") && s.contains("Connections"), "{s}");
    t.type_text("syst");
    t.wait("the picker on System Calls", |s| s.contains("System Calls (syscalls)"));
    t.keys(&["Enter"]);
    let s = t.wait("System Calls with rows", |s| s.contains("Viewing: System Calls") && s.contains("mmap"));
    assert!(s.contains("CALLS/S"), "{s}");
    // Drill down on "open" (found with search), then back.
    t.keys(&["/"]);
    t.type_text("open");
    t.wait("open selected", |_| t.selected_row().is_some_and(|r| r.ends_with(" open")));
    // Enter ends the search, Enter again drills down.
    t.keys(&["Enter", "Enter"]);
    let s = t.wait_text("Viewing: Syscall Callers");
    assert!(s.contains("For: evt.type=\"open\""), "{s}");
    assert!(t.wait_text("cat /dev/null").contains("cat /dev/null"));
    t.keys(&["BSpace"]);
    t.wait_text("Viewing: System Calls");
    // Backspace again undoes the F2 switch: back to Processes.
    t.keys(&["BSpace"]);
    t.wait_text("Viewing: Processes For: whole machine");
    t.keys(&["F10"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn sorts_by_any_column_both_ways() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("sort", &cat_write_args("-v syscalls"), 100, 30);
    t.wait_text("sysdigevent");
    assert!(t.rows()[0].ends_with("sysdigevent"), "sorted by CALLS/S, most first: {:?}", t.rows());
    // Shift+4 sorts by the fourth column (SYSCALL): text starts ascending.
    t.type_text("$");
    t.wait("sorted by name", |_| t.rows().first().is_some_and(|r| r.ends_with("<unknown>")));
    t.type_text("$");
    t.wait("reverse order", |_| t.rows().first().is_some_and(|r| r.ends_with("sysdigevent")));
    let names: Vec<String> = t.rows().iter().filter_map(|r| r.split_whitespace().last().map(String::from)).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(names, sorted);
    // F9 picks the column from a list, starting on the current one (SYSCALL).
    t.keys(&["F9"]);
    t.wait_text("Sort by");
    t.keys(&["Up", "Up", "Enter"]);
    t.wait("sorted by TOT TIME", |_| t.rows().first().is_some_and(|r| r.contains("21us") && r.ends_with("open")));
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn filters_rows_by_text_and_events_by_sysdig_filter() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("filter", &cat_write_args("-v syscalls"), 140, 30);
    t.wait_text("sysdigevent");
    t.keys(&["\\"]);
    t.type_text("map");
    t.wait("only the map calls", |_| {
        let r = t.rows();
        r.len() == 2 && r.iter().all(|l| l.ends_with("mmap") || l.ends_with("munmap"))
    });
    t.keys(&["Escape"]);
    t.wait("all rows back", |_| t.rows().len() > 10);
    // F2 in the filter prompt: a sysdig filter on the events, replacing the view's.
    t.keys(&["F4", "F2", "C-u"]);
    t.type_text("evt.type in (open, close)");
    t.keys(&["Enter"]);
    let s = t.wait("the filtered view", |s| s.contains("Filter: evt.type in (open, close)"));
    t.wait("two rows", |_| t.rows().len() == 2);
    assert!(t.rows().iter().any(|r| r.ends_with(" open")) && t.rows().iter().any(|r| r.ends_with(" close")), "{s}");
    // A bad filter is refused and says why.
    t.keys(&["F4", "C-u"]);
    t.type_text("evt.typ=open");
    t.keys(&["Enter"]);
    t.wait_text("invalid sysdig filter");
    t.keys(&["Escape", "q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn searches_scroll_to_the_match() {
    if !tmux_ok() {
        return;
    }
    // The k8s trace has hundreds of threads: most are below the screen.
    let t = Tui::start("search", &format!("-r '{}' -v threads", trace("bencer-k8s__capture").display()), 100, 24);
    t.wait("loaded", |s| s.contains("TID"));
    t.wait("rows", |_| t.rows().len() > 5);
    assert!(!t.screen().contains("-N KUBE-SERVICES"), "the iptables threads are off screen at first");
    t.keys(&["C-f"]);
    t.type_text("-N KUBE-SERVICES");
    t.wait("a match selected", |_| t.selected_row().is_some_and(|r| r.contains("iptables -w -N KUBE-SERVICES")));
    let first = t.selected_row();
    t.keys(&["F3"]);
    t.wait("the next match", |_| {
        t.selected_row() != first && t.selected_row().is_some_and(|r| r.contains("-N KUBE-SERVICES"))
    });
    t.keys(&["Enter", "q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn echo_dig_and_all_fields_of_an_event() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("dig", &nginx_args(), 120, 30);
    t.wait_text("nginx: worker process");
    t.keys(&["/"]);
    t.type_text("worker");
    t.keys(&["Enter", "F6"]);
    let s = t.wait_text("Viewing: Dig For: proc.pid=");
    assert!(s.contains("< accept fd=3(<4t>172.18.0.1:51910->172.18.0.2:80)"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_text("Viewing: Event fields");
    assert!(s.lines().nth(2).is_some_and(|l| l.contains("nginx (15747)")), "the event's line on top: {s}");
    assert!(s.lines().any(|l| l.starts_with("evt.num ")), "{s}");
    t.keys(&["/"]);
    t.type_text("proc.exeline");
    t.wait("proc.exeline selected", |_| t.selected_row().is_some_and(|r| r.contains("nginx: worker process")));
    t.keys(&["Enter"]);
    t.keys(&["BSpace"]);
    t.wait_text("Viewing: Dig");
    t.keys(&["BSpace"]);
    t.wait_text("Viewing: Processes");
    t.keys(&["F5"]);
    let s = t.wait_text("Viewing: Echo");
    assert!(s.contains("------ Read 78B from 172.18.0.1:51910->172.18.0.2:80 (nginx)"), "{s}");
    assert!(s.contains("GET / HTTP/1.1"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn help_legend_and_pause() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("help", &cat_write_args("-v syscalls"), 100, 30);
    t.wait_text("sysdigevent");
    t.keys(&["F1"]);
    let s = t.wait_text("Help");
    assert!(s.contains("drill down into the selected row") && s.contains("Backspace"), "{s}");
    t.keys(&["x"]);
    t.wait("help closed", |s| !s.contains("drill down into the selected row"));
    t.keys(&["F7"]);
    let s = t.wait_text("Legend (any key closes)");
    assert!(s.contains("CALLS/S: Calls per second. (evt.count)"), "{s}");
    t.keys(&["Escape", "p"]);
    t.wait_text("PAUSED");
    t.keys(&["p"]);
    t.wait("resumed", |s| !s.contains("PAUSED"));
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn the_mouse_selects_sorts_drills_and_presses_footer_keys() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("mouse", &cat_write_args("-v syscalls"), 100, 30);
    t.wait_text("sysdigevent");
    // Click the third row.
    t.click(5, 5);
    t.wait("third row selected", |_| t.selected_row() == t.rows().get(2).cloned());
    // Click the SYSCALL title: sorted by name.
    let titles = t.screen().lines().nth(2).unwrap_or_default().to_string();
    let x = titles.find("SYSCALL").unwrap_or(0) as u16;
    t.click(x + 1, 2);
    t.wait("sorted by name", |_| t.rows().first().is_some_and(|r| r.ends_with("<unknown>")));
    // A double click drills down.
    t.click(5, 4);
    t.click(5, 4);
    t.wait_text("Viewing: Syscall Callers");
    // F1 in the footer.
    t.click(2, 29);
    t.wait_text("drill down into the selected row");
    t.keys(&["Escape", "q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn resizing_down_to_80x24_keeps_the_screen_whole() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("resize", &nginx_args(), 160, 50);
    t.wait_text("nginx: worker process");
    t.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    // Redrawn for 80x24: the footer is on the last row again.
    let s = t.wait("an 80x24 screen", |s| {
        s.lines().count() <= 24
            && s.lines().all(|l| l.chars().count() <= 80)
            && s.lines().nth(23).is_some_and(|l| l.contains("F10Quit"))
    });
    assert!(s.starts_with("Viewing: Processes"), "{s}");
    assert!(s.lines().nth(2).is_some_and(|l| l.contains("PID") && l.contains("NET")), "{s}");
    let footer = s.lines().last().unwrap_or_default();
    assert!(footer.contains("F1Help") && footer.contains("F10Quit"), "the keys fit in 80 columns: {footer:?}");
    t.keys(&["F2"]);
    t.wait_text("Select View");
    t.tmux(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    t.wait("redrawn larger", |s| s.lines().count() >= 25);
    t.keys(&["Escape", "q"]);
    assert_eq!(t.exit_status(), (0, true));
}

#[test]
fn ctrl_c_sigint_and_panics_all_restore_the_terminal() {
    if !tmux_ok() {
        return;
    }
    let t = Tui::start("ctrlc", &cat_write_args(""), 100, 30);
    t.wait_text("cat /dev/null");
    t.keys(&["C-c"]);
    assert_eq!(t.exit_status(), (0, true));

    let t = Tui::start("sigint", &cat_write_args(""), 100, 30);
    t.wait_text("cat /dev/null");
    let pid = t.pid().expect("scap-top's pid");
    let _ = Command::new("kill").arg("-INT").arg(pid.to_string()).status();
    assert_eq!(t.exit_status(), (130, true));

    let bin = bin("scap-top");
    let t =
        Tui::start_with("panic", &format!("SCAP_TOP_TEST_PANIC=1 {} {}", bin.display(), cat_write_args("")), 100, 30);
    let (code, cooked) = t.exit_status();
    assert_eq!((code, cooked), (101, true), "{}", t.screen());
    assert!(t.screen().contains("panicking on purpose"), "the panic message is readable: {}", t.screen());
}

#[test]
fn a_piped_stream_is_shown_live() {
    if !tmux_ok() {
        return;
    }
    let cmd = format!("scap-record -r '{}' | scap-top -d 200", trace("bencer-examples__example0_nginx").display());
    let t = Tui::start_with("pipe", &cmd, 120, 30);
    let s = t.wait_text("nginx");
    assert!(s.contains("Source: Live (stdin)"), "{s}");
    t.keys(&["F2"]);
    t.type_text("syst");
    t.keys(&["Enter"]);
    t.wait_text("Viewing: System Calls");
    t.keys(&["q"]);
    assert!(t.exit_status().1, "the terminal is restored");
}
