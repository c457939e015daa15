//! Docker for tests: the engine check, the test image built from Debian's busybox-static (no
//! image can be pulled here), and containers that remove themselves.

use std::path::Path;
use std::process::Command;

/// The image every container test runs: busybox with a user `bbuser` (4242) and group
/// `bbgroup` (4343) that exist only inside it.
pub const IMAGE: &str = "scap-enrich-test:busybox";

/// Whether the Docker engine answers. Under `CI=true` an unreachable engine fails the test
/// loudly; elsewhere the caller skips, saying why.
pub fn available() -> bool {
    let ok = Command::new("docker").args(["version", "--format", "{{.Server.Version}}"]).output();
    let ok = ok.is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but the Docker daemon is not reachable");
        eprintln!("note: the Docker daemon is not reachable; container tests are skipped");
    }
    ok
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Builds `IMAGE` with `docker import` from a root filesystem holding `/bin/busybox`, unless it
/// exists. Test threads build it one at a time; other test processes may race, which only
/// imports the same image twice.
pub fn ensure_image() {
    static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let exists = Command::new("docker").args(["image", "inspect", IMAGE]).output().is_ok_and(|o| o.status.success());
    if exists {
        return;
    }
    let busybox = Path::new("/bin/busybox");
    assert!(busybox.exists(), "/bin/busybox is missing: install Debian's busybox-static (setup.sh does)");
    let dir = std::env::temp_dir().join(format!("scap-enrich-rootfs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["bin", "etc", "tmp", "home/bb"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::copy(busybox, dir.join("bin/busybox")).unwrap_or_else(|e| panic!("copying busybox: {e}"));
    for applet in ["sh", "cat", "ls", "sleep", "id", "echo", "true", "touch", "rm", "head"] {
        std::os::unix::fs::symlink("busybox", dir.join("bin").join(applet)).unwrap_or_else(|e| panic!("symlink: {e}"));
    }
    std::fs::write(dir.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nbbuser:x:4242:4343:bb:/home/bb:/bin/sh\n")
        .unwrap_or_else(|e| panic!("passwd: {e}"));
    std::fs::write(dir.join("etc/group"), "root:x:0:\nbbgroup:x:4343:bbuser\n")
        .unwrap_or_else(|e| panic!("group: {e}"));
    let script = format!("tar -C '{}' -c . | docker import - {IMAGE}", dir.display());
    run(Command::new("bash").args(["-o", "pipefail", "-c", &script]));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A running container, removed when dropped.
pub struct Container {
    /// Its full id.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl Container {
    /// Starts `IMAGE` detached with extra `docker run` arguments and a command.
    pub fn start(name: &str, run_args: &[&str], cmd: &[&str]) -> Container {
        ensure_image();
        let _ = Command::new("docker").args(["rm", "-f", name]).output();
        let mut c = Command::new("docker");
        c.args(["run", "-d", "--name", name]).args(run_args).arg(IMAGE).args(cmd);
        let id = run(&mut c);
        Container { id, name: name.to_string() }
    }

    /// The first 12 digits of the id, as sysdig shows it.
    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }

    /// The host pid of the container's first process.
    pub fn pid(&self) -> i64 {
        let pid = run(Command::new("docker").args(["inspect", "-f", "{{.State.Pid}}", &self.id]));
        pid.parse().unwrap_or_else(|e| panic!("pid {pid:?}: {e}"))
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.id]).output();
    }
}
