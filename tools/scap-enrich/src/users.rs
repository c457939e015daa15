//! Users and groups from `/etc/passwd` and `/etc/group`, the host's or a container's own.

use std::path::Path;

use scap_common::wire::{GroupRecord, UserRecord};

/// The users listed in a passwd file's text, tagged with `container_id` (empty for the host).
pub fn parse_passwd(text: &str, container_id: &str) -> Vec<UserRecord> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(UserRecord {
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                name: f[0].to_string(),
                home: f[5].to_string(),
                shell: f[6].to_string(),
                container_id: container_id.to_string(),
            })
        })
        .collect()
}

/// The groups listed in a group file's text.
pub fn parse_group(text: &str, container_id: &str) -> Vec<GroupRecord> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 3 {
                return None;
            }
            Some(GroupRecord {
                gid: f[2].parse().ok()?,
                name: f[0].to_string(),
                container_id: container_id.to_string(),
            })
        })
        .collect()
}

/// Users and groups of the system whose root is `root` (`/` for the host, `/proc/PID/root` for
/// a container). Missing or unreadable files give empty lists: an image need not have them.
pub fn read(root: &Path, container_id: &str) -> (Vec<UserRecord>, Vec<GroupRecord>) {
    let read =
        |p: &str| std::fs::read(root.join(p)).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    (parse_passwd(&read("etc/passwd"), container_id), parse_group(&read("etc/group"), container_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_and_group_lines() {
        let users = parse_passwd(
            "root:x:0:0:root:/root:/bin/bash\n# comment\nbad line\nbb:x:4242:4343:B:/home/bb:/bin/sh\n",
            "c1",
        );
        assert_eq!(users.len(), 2);
        assert_eq!((users[1].uid, users[1].gid, users[1].name.as_str()), (4242, 4343, "bb"));
        assert_eq!(
            (users[1].home.as_str(), users[1].shell.as_str(), users[1].container_id.as_str()),
            ("/home/bb", "/bin/sh", "c1")
        );
        let groups = parse_group("root:x:0:\nbbgroup:x:4343:bb\n", "");
        assert_eq!(groups[1], GroupRecord { gid: 4343, name: "bbgroup".into(), container_id: String::new() });
    }
}
