//! scap-enrich's CRI client against a real containerd with its CRI plugin: a containerd of the
//! test's own (own socket, root and state under a temp dir), so the machine's runtimes are not
//! touched. No pod is started (runc
//! could not start a CRI sandbox in this machine's sandbox), so nothing is ever pulled.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scap_enrich::runtime::{cri, grpc, proto};

/// A containerd started for the test, stopped when dropped.
struct Containerd {
    child: Child,
    dir: PathBuf,
}

impl Containerd {
    /// Starts containerd with the CRI plugin; `None` (with a note) where containerd is missing,
    /// a failure under CI=true.
    fn start(tag: &str) -> Option<Containerd> {
        let found = Command::new("containerd").arg("--version").output().is_ok_and(|o| o.status.success());
        if !found {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but containerd is not installed");
            eprintln!("note: containerd is not installed; CRI tests are skipped");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("scap-cri-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        let config = format!(
            "version = 2\nroot = \"{d}/root\"\nstate = \"{d}/state\"\n[grpc]\n  address = \"{d}/containerd.sock\"\n\
             [ttrpc]\n  address = \"{d}/containerd.sock.ttrpc\"\n[debug]\n  address = \"{d}/debug.sock\"\n\
             [plugins.\"io.containerd.grpc.v1.cri\".containerd]\n  snapshotter = \"native\"\n"
        );
        std::fs::write(dir.join("config.toml"), config).unwrap();
        let log = std::fs::File::create(dir.join("log")).unwrap();
        let child = Command::new("containerd")
            .arg("--config")
            .arg(dir.join("config.toml"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let c = Containerd { child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !c.socket().exists() {
            assert!(Instant::now() < deadline, "containerd did not start: {}", c.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(c)
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("containerd.sock")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

impl Drop for Containerd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn version(socket: &Path, api: &str) -> Option<Vec<(u32, String)>> {
    let mut req = Vec::new();
    proto::put_str(&mut req, 1, "v1");
    let answer =
        grpc::call(socket, &format!("/{api}.RuntimeService/Version"), &req, Duration::from_secs(5)).unwrap()?;
    Some(proto::fields(&answer).into_iter().map(|(n, v)| (n, v.text())).collect())
}

#[test]
fn the_cri_of_a_real_containerd_answers() {
    let Some(ctd) = Containerd::start("version") else { return };
    // The CRI plugin may need a moment after the socket appears.
    let deadline = Instant::now() + Duration::from_secs(10);
    let answer = loop {
        if let Some(a) = version(&ctd.socket(), "runtime.v1alpha2") {
            break a;
        }
        assert!(Instant::now() < deadline, "no CRI Version answer: {}", ctd.log());
        std::thread::sleep(Duration::from_millis(100));
    };
    let get = |n: u32| answer.iter().find(|(f, _)| *f == n).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(get(2), "containerd", "{answer:?}");
    assert!(!get(3).is_empty(), "a runtime version: {answer:?}");

    // A container the runtime does not know: every CRI version answers with an error status.
    let id = "0123456789abcdef".repeat(4);
    let found = cri::lookup(&ctd.socket(), &id, &id[..12], "containerd", Duration::from_secs(5)).unwrap();
    assert!(found.is_none());
}
