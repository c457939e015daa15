-- Directories: file I/O per directory.

view_info = {
  id = "directories",
  name = "Directories",
  description = "File activity grouped by the directory of each file: bytes in and out, operations, opens and errors.",
  tips = {"Enter lists the files of the selected directory."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "(fd.type=file or fd.type=directory) and fd.name!=''",
  use_defaults = true,
  drilldown_target = "files",
  columns = {
    { name = "NA", field = "fd.directory", is_key = true, tags = {"default"} },
    { name = "NA", field = "fd.containerdirectory", is_key = true, tags = {"containers"} },
    { name = "BYTES IN", field = "evt.buflen.file.in", colsize = 12, aggregation = "SUM", description = "Bytes read from files in the directory." },
    { name = "BYTES OUT", field = "evt.buflen.file.out", colsize = 12, aggregation = "SUM", description = "Bytes written to files in the directory." },
    { name = "OPS", field = "evt.count.exit", colsize = 9, aggregation = "SUM", is_sorting = true, description = "Calls on files in the directory." },
    { name = "OPENS", field = "evt.type.is.3", colsize = 9, aggregation = "SUM", description = "Opens of files in the directory." },
    { name = "ERRORS", field = "evt.count.error", colsize = 9, aggregation = "SUM", description = "Failed calls." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process using it." },
    { name = "DIRNAME", field = "fd.directory", colsize = 0, description = "The directory." },
  },
  actions = {
    { hotkey = "l", command = "ls -al %fd.directory", description = "ls directory" },
  },
}
