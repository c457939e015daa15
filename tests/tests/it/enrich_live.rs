//! Issue 6 end to end: a live capture of a named, labelled container on this machine's Docker
//! engine, through scap-enrich and scap-print, names the container, its image and labels, and
//! the user its processes run as, which exists only inside the container; a host process is on
//! `host`.
//!
//! The capture is scoped in the kernel to the container (`scap-record --container ID`: its busy
//! loop and every command the loop starts), and to the command the test runs on the host
//! (`scap-record -- CMD`).

use scap_tests::docker::{self, Container, IMAGE};
use scap_tests::sh;

use crate::live_capture::live_ready;

/// Runs a pipeline and returns its output lines, split on `|`.
fn lines(script: &str) -> Vec<Vec<String>> {
    let out = sh(script);
    assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('|').map(str::to_string).collect()).collect()
}

#[test]
fn a_live_container_is_named_with_its_labels_and_users() {
    if !live_ready() || !docker::available() {
        return;
    }
    let c = Container::start(
        "scap-enrich-it-live",
        &["--label", "scap.test=live", "--label", "tier=back", "--user", "4242:4343"],
        &["sh", "-c", "while true; do cat /etc/hostname >/dev/null; sleep 0.1; done"],
    );
    let format = "*%container.id|%container.name|%container.image|%container.type|%container.label.scap.test|%container.label[tier]|%user.name|%group.name|%proc.name";
    let rows =
        lines(&format!("scap-record --container {} -M 2 | scap-enrich | scap-print -p '{format}'", c.short_id()));
    let (mut n_named, mut n_bbuser, mut n_unknown) = (0, 0, 0);
    for row in &rows {
        let [id, name, image, kind, test_label, tier, user, group, proc_name] = &row[..] else {
            panic!("bad line {row:?}");
        };
        // Threads are described by the snapshot, their clone, or a /proc lookup; only one that
        // started while the snapshot was taken and was gone before scap-enrich could look
        // stays unknown.
        if proc_name == "<NA>" {
            n_unknown += 1;
            continue;
        }
        assert_eq!(id, c.short_id(), "{row:?}");
        // Events before the engine answered have no name yet; once it has, they all do.
        if name != "<NA>" {
            n_named += 1;
            assert_eq!((name.as_str(), image.as_str(), kind.as_str()), (c.name.as_str(), IMAGE, "docker"), "{row:?}");
            assert_eq!((test_label.as_str(), tier.as_str()), ("live", "back"), "{row:?}");
        }
        if user == "bbuser" {
            assert_eq!(group, "bbgroup", "{row:?}");
            n_bbuser += 1;
        }
    }
    let n = rows.len();
    eprintln!(
        "container {}: {n} events, {n_named} named, {n_bbuser} as bbuser, {n_unknown} of unknown threads",
        c.short_id()
    );
    assert!(n > 50, "{n} container events captured");
    assert!(n_named * 2 > n, "{n_named} of {n} events name the container");
    assert!(n_bbuser * 2 > n, "{n_bbuser} of {n} events are bbuser's");
    // scap-record lists the container's processes before the probe is attached, and a process
    // started in between (a `sleep` of the loop) is in neither the snapshot nor, by the time
    // its first event reaches scap-enrich, in /proc.
    assert!(n_unknown * 20 <= n, "{n_unknown} events of threads nobody described");

    // A host process, captured alone, is on the host.
    let rows = lines(
        "scap-record -- cat /etc/hostname | scap-enrich | scap-print -p '*%proc.name|%container.id|%container.name'",
    );
    let cat: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "cat").collect();
    assert!(cat.len() > 5, "{} events of the host's cat", cat.len());
    for row in cat {
        assert_eq!((row[1].as_str(), row[2].as_str()), ("host", "host"), "{row:?}");
    }
}
