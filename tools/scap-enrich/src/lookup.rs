//! Lookup workers: container metadata and container users are fetched on threads of their own,
//! so a slow or hung runtime never holds up the events.
//!
//! The stage sends a `Job` when it first sees a container and carries on; answers come back on a
//! channel and the stage emits them as records when they arrive.

use std::path::PathBuf;
use std::thread;

use crossbeam_channel::{unbounded, Receiver, Sender};
use scap_common::cgroup::Detected;
use scap_common::wire::{GroupRecord, UserRecord};

use crate::procfs::Procfs;
use crate::runtime::{Answer, Runtimes};
use crate::users;

/// A container to describe.
#[derive(Debug)]
pub struct Job {
    /// What its cgroups said.
    pub found: Detected,
    /// A process inside it, whose root holds the container's `/etc/passwd`.
    pub pid: Option<i64>,
}

/// What came back for a job.
#[derive(Debug)]
pub struct Done {
    /// The runtime's answer.
    pub answer: Answer,
    /// The container's own users, tagged with its id.
    pub users: Vec<UserRecord>,
    /// The container's own groups.
    pub groups: Vec<GroupRecord>,
}

/// A pool of lookup threads.
pub struct Workers {
    jobs: Sender<Job>,
    done: Receiver<Done>,
}

impl Workers {
    /// Starts `n` threads that answer jobs with `runtimes`, reading container files under `proc`.
    pub fn start(n: usize, runtimes: Runtimes, proc: Procfs) -> Workers {
        let (jobs, job_rx) = unbounded::<Job>();
        let (done_tx, done) = unbounded::<Done>();
        for _ in 0..n.max(1) {
            let job_rx = job_rx.clone();
            let done_tx = done_tx.clone();
            let runtimes = runtimes.clone();
            let proc = proc.clone();
            thread::spawn(move || {
                for job in job_rx.iter() {
                    let answer = runtimes.describe(&job.found);
                    let (users, groups) = match job.pid {
                        Some(pid) => {
                            let root: PathBuf = proc.path(pid).join("root");
                            users::read(&root, &job.found.id)
                        }
                        None => (Vec::new(), Vec::new()),
                    };
                    if done_tx.send(Done { answer, users, groups }).is_err() {
                        return;
                    }
                }
            });
        }
        Workers { jobs, done }
    }

    /// Queues a job; never blocks.
    pub fn submit(&self, job: Job) {
        // The workers live as long as `self`, so the channel is open.
        let _ = self.jobs.send(job);
    }

    /// Where answers arrive.
    pub fn done(&self) -> &Receiver<Done> {
        &self.done
    }
}
