//! Which container each thread runs in: detection from cgroups, and the record sysdig keeps for
//! a container it detected but knows nothing else about.

use super::{Cgroups, State, Thread};
use crate::cgroup;
use crate::wire::ContainerRecord;

/// The most sets of cgroups whose container is remembered; past it the memory starts afresh.
const MAX_CGROUP_ANSWERS: usize = 4096;

/// The cgroups text of the event that carried one last (clone and execve exits), and its parse:
/// the threads of a process carry the same text.
#[derive(Debug, Default)]
pub(super) struct CgroupsText {
    raw: Vec<u8>,
    parsed: Cgroups,
}

impl CgroupsText {
    /// Sets a thread's cgroups from libscap's text, as `Thread::set_cgroups` does.
    pub(super) fn apply(&mut self, t: &mut Thread, raw: &[u8]) {
        if self.raw == raw {
            t.cgroups.clone_from(&self.parsed);
            return;
        }
        t.set_cgroups(raw);
        self.raw.clear();
        self.raw.extend_from_slice(raw);
        self.parsed.clone_from(&t.cgroups);
    }
}

impl State {
    /// Sets a thread's container from its cgroups (empty for the host), as libsinsp does when a
    /// thread is read from a snapshot, cloned with cgroups, or executes a program.
    ///
    /// A container that only its cgroups tell of gets a record with its runtime and no metadata,
    /// for the layouts where libsinsp makes one without asking a runtime (so `container.type`
    /// says `docker` before, or without, any metadata). A record already present is kept.
    pub(crate) fn resolve_container(&mut self, tid: i64) {
        let Some(t) = self.threads.get_mut(&tid) else { return };
        // Threads of a process (and often the next process in a snapshot) share their cgroups,
        // and a trace repeats its process list in every section; reading the paths costs tens of
        // thousands of instructions, so the last answer and every answer are kept.
        let found = match &self.last_cgroups {
            Some((paths, found)) if *paths == t.cgroups => found.clone(),
            _ => {
                let found = match self.cgroup_answers.get(&t.cgroups) {
                    Some(found) => found.clone(),
                    None => {
                        let found = cgroup::detect(t.cgroups.iter().map(|(_, path)| path.as_slice()));
                        if self.cgroup_answers.len() >= MAX_CGROUP_ANSWERS {
                            self.cgroup_answers.clear();
                        }
                        self.cgroup_answers.insert(t.cgroups.clone(), found.clone());
                        found
                    }
                };
                match &mut self.last_cgroups {
                    // Refilled in place: no allocation when the new cgroups are shaped alike.
                    Some((paths, last)) => {
                        paths.clone_from(&t.cgroups);
                        last.clone_from(&found);
                    }
                    None => self.last_cgroups = Some((t.cgroups.clone(), found.clone())),
                }
                found
            }
        };
        let Some(found) = found else {
            t.container_id.clear();
            return;
        };
        t.container_id.clone_from(&found.id);
        if found.layout.makes_placeholder() && !self.containers.contains_key(&found.id) {
            let name = if found.layout.named_by_id() { found.id.clone() } else { String::new() };
            let rec = ContainerRecord {
                id: found.id.clone(),
                runtime: found.layout.runtime_name().to_string(),
                name,
                ..ContainerRecord::default()
            };
            self.containers.insert(found.id, rec);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::state::State;
    use crate::wire::{ContainerRecord, Frame, ThreadRecord};

    const ID: &str = "1b709bd0d100aa44b45b61a4860645c718e65fea67576d19839c072214aea819";

    fn thread(tid: i64, cgroup: &str) -> Frame {
        Frame::Thread(ThreadRecord {
            tid,
            pid: tid,
            cgroups: vec![("memory".into(), cgroup.as_bytes().to_vec().into())],
            ..ThreadRecord::default()
        })
    }

    #[test]
    fn snapshot_threads_get_their_container() {
        let mut s = State::new();
        s.apply(&thread(10, &format!("/docker/{ID}")));
        s.apply(&thread(11, "/user.slice"));
        assert_eq!(s.threads[&10].container_id, "1b709bd0d100");
        assert_eq!(s.threads[&11].container_id, "");
        let c = &s.containers["1b709bd0d100"];
        assert_eq!((c.runtime.as_str(), c.name.as_str(), c.complete), ("docker", "", false));
    }

    #[test]
    fn metadata_is_not_replaced_by_a_placeholder() {
        let mut s = State::new();
        let rec = ContainerRecord { id: "1b709bd0d100".into(), name: "db".into(), ..ContainerRecord::default() };
        s.apply(&Frame::Container(rec.clone()));
        s.apply(&thread(10, &format!("/docker/{ID}")));
        assert_eq!(s.containers["1b709bd0d100"], rec);
    }

    #[test]
    fn cri_containers_get_an_id_and_no_record() {
        let mut s = State::new();
        s.apply(&thread(10, &format!("/kubepods.slice/cri-containerd-{ID}.scope")));
        assert_eq!(s.threads[&10].container_id, "1b709bd0d100");
        assert!(s.containers.is_empty());
    }

    #[test]
    fn lxc_containers_are_named_by_id() {
        let mut s = State::new();
        s.apply(&thread(10, "/lxc/web01"));
        assert_eq!(s.containers["web01"].name, "web01");
        assert_eq!(s.containers["web01"].runtime, "lxc");
    }

    #[test]
    fn a_given_container_id_is_kept() {
        let mut s = State::new();
        s.apply(&Frame::Thread(ThreadRecord { tid: 5, pid: 5, container_id: "abc".into(), ..ThreadRecord::default() }));
        assert_eq!(s.threads[&5].container_id, "abc");
    }
}
