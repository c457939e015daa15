//! Issue 7: scap-chisel's command line: the catalogue listing, chisel descriptions, lookup order,
//! and one-line errors that name the chisel, the Lua line and the cause.

use scap_tests::*;

fn trace() -> String {
    corpus_dir().join("traces/falco__cat_write.scap").display().to_string()
}

#[test]
fn listing_has_sysdigs_layout_and_every_category() {
    let out = sh("scap-chisel -cl");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for cat in ["CPU Usage", "Errors", "I/O", "Net", "Performance", "System State"] {
        let title = format!("Category: {cat}");
        assert!(text.contains(&format!("\n{title}\n{}\n", "-".repeat(title.len()))), "no {title} in\n{text}");
    }
    assert!(text.contains("\ntopprocs_cpu    Processes ranked by CPU usage\n"), "{text}");
    assert!(text.contains("\ntopcontainers_cpu\n                "), "{text}");
    assert!(text.ends_with("\nUse the -i flag to get detailed information about a specific chisel\n"));
    assert!(text.lines().all(|l| l.len() <= 79), "a line is longer than 79 columns");
    assert!(!text.contains("table_generator"), "hidden chisels are listed");
}

#[test]
fn info_describes_a_chisel_and_its_arguments() {
    let out = sh("scap-chisel -i lsof");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("\nCategory: System State\n----------------------\nlsof            "), "{text}");
    assert!(text.contains("Args:\n[filter] filter - "), "{text}");
    let out = sh("scap-chisel -i nosuchchisel");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "scap-chisel: chisel nosuchchisel not found - use -cl to list them\n"
    );
}

#[test]
fn lua_errors_name_the_chisel_line_and_cause() {
    let dir = std::env::temp_dir().join(format!("scap-chisel-cli-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("chisels")).expect("temp dir");
    std::fs::write(
        dir.join("chisels/broken.lua"),
        "description = 'd'; short_description = 's'; category = 'Test'; args = {}\n\
         function on_event()\n  local t = nil\n  return t.x\nend\n",
    )
    .expect("write chisel");
    std::fs::write(
        dir.join("chisels/badfield.lua"),
        "description = 'd'; short_description = 's'; category = 'Test'; args = {}\n\
         function on_init()\n  chisel.request_field('no.such')\n  return true\nend\n",
    )
    .expect("write chisel");
    std::fs::write(dir.join("chisels/syntax.lua"), "args = {\n").expect("write chisel");
    let run = |name: &str| sh(&format!("cd '{}' && scap-chisel {name} -r '{}'", dir.display(), trace()));

    let out = run("broken");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("scap-chisel: chisel broken: on_event: "), "{err}");
    assert!(err.contains("broken.lua:4: attempt to index local 't' (a nil value)"), "{err}");

    let out = run("badfield");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("chisel badfield: on_init: ") && err.contains("badfield.lua:3: "), "{err}");
    assert!(err.contains("nonexistent field no.such"), "{err}");

    let out = run("syntax");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.starts_with("scap-chisel: chisel syntax: failed to load: ") && err.contains("syntax.lua:"), "{err}");

    // ./chisels comes before the built-ins.
    std::fs::write(
        dir.join("chisels/topscalls.lua"),
        "args = {}\nfunction on_capture_end() print('local topscalls') end\n",
    )
    .expect("write chisel");
    let out = run("topscalls");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "local topscalls\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn arguments_are_checked_like_sysdig() {
    let out = sh(&format!("scap-chisel fdbytes_by -r '{}'", trace()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "scap-chisel: chisel fdbytes_by: missing arguments\n");
    let out = sh(&format!("scap-chisel table_generator 'a b' -r '{}'", trace()));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong number of parameters, 7 required, 2 given"));
}
