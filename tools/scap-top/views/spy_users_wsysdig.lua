-- Spy Users as a table, for front ends other than the terminal one.

view_info = {
  id = "spy_users_wsysdig",
  name = "Spy Users",
  description = "Commands run and directories changed by users, one row per thread.",
  tags = {"Default", "wsysdig", "nocsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false",
  drilldown_target = "threads",
  use_defaults = true,
  propagate_filter = false,
  columns = {
    { name = "NA", field = "thread.nametid", is_key = true },
    { name = "TIME", field = "evt.time", colsize = 12, is_sorting = true, description = "When it ran." },
    { name = "USER", field = "user.name", colsize = 12, description = "Who ran it." },
    { name = "SHELL", field = "proc.ppid", colsize = 8, description = "Process id of the parent shell." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container it ran in." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
