-- File Opens List: every file open, as a list.

view_info = {
  id = "file_opens",
  name = "File Opens List",
  description = "Each open of a file: when, whether it worked, the file and the command.",
  tags = {"Default"},
  view_type = "list",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "fd.name", "fd.containername", "fd.directory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "evt.type=open and evt.dir=<",
  columns = {
    { name = "TIME", field = "evt.time", colsize = 19, description = "When the file was opened." },
    { name = "RES", field = "evt.res", colsize = 8, description = "SUCCESS or the error." },
    { name = "FILE", field = "fd.name", colsize = 40, description = "The file." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
  actions = {
    { hotkey = "l", command = "less %fd.name", description = "less file", wait_finish = false },
  },
}
