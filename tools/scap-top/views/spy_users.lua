-- Spy Users: what interactive users run.

view_info = {
  id = "spy_users",
  name = "Spy Users",
  description = "Commands that were executed, and directory changes made by shells, with the user and the shell they came from.",
  tags = {"Default"},
  view_type = "list",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false",
  use_defaults = true,
  columns = {
    { name = "TIME", field = "evt.time", colsize = 12, description = "When it ran." },
    { name = "USER", field = "user.name", colsize = 12, description = "Who ran it." },
    { name = "SHELL", field = "proc.ppid", colsize = 8, description = "Process id of the parent, usually the shell." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container it ran in." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
