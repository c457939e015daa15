-- Files: file I/O per file.

view_info = {
  id = "files",
  name = "Files",
  description = "Files that were read, written, opened or otherwise touched, with bytes and operations per file. For a trace file the totals cover the whole file.",
  tips = {"Enter shows the processes using the selected file."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "fd.directory", "fd.containerdirectory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "(fd.type=file or fd.type=directory) and fd.name!=''",
  use_defaults = true,
  drilldown_target = "procs",
  columns = {
    { name = "NA", field = "fd.name", is_key = true, tags = {"default"} },
    { name = "NA", field = "fd.containername", is_key = true, tags = {"containers"} },
    { name = "BYTES IN", field = "evt.buflen.file.in", colsize = 12, aggregation = "SUM", description = "Bytes read." },
    { name = "BYTES OUT", field = "evt.buflen.file.out", colsize = 12, aggregation = "SUM", description = "Bytes written." },
    { name = "OPS", field = "evt.count.exit", colsize = 9, aggregation = "SUM", is_sorting = true, description = "Calls on the file of any kind (open, read, stat, close...)." },
    { name = "OPENS", field = "evt.type.is.3", colsize = 9, aggregation = "SUM", description = "Times the file was opened." },
    { name = "ERRORS", field = "evt.count.error", colsize = 9, aggregation = "SUM", description = "Calls on the file that failed." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process using it." },
    { name = "FILENAME", field = "fd.name", colsize = 0, description = "The file's full path." },
  },
  actions = {
    { hotkey = "l", command = "less %fd.name", description = "less file", wait_finish = false },
  },
}
