-- Threads: one row per thread.

view_info = {
  id = "threads",
  name = "Threads",
  description = "One row per thread with its CPU and I/O, for looking inside multi-threaded processes.",
  tips = {"Enter on a thread lists the files it used."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  filter = "evt.type!=switch",
  applies_to = {"", "proc.pid", "thread.nametid", "proc.name", "container.id", "fd.sport", "fd.sproto", "fd.name", "fd.containername", "fd.directory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  is_root = true,
  drilldown_target = "files",
  use_defaults = true,
  columns = {
    { name = "NA", field = "thread.tid", is_key = true },
    { name = "PID", field = "proc.pid", colsize = 8, description = "Id of the thread's process." },
    { name = "TID", field = "thread.tid", colsize = 8, description = "Thread id." },
    { name = "VPID", field = "proc.vpid", colsize = 8, tags = {"containers"}, description = "Process id inside its container." },
    { name = "VTID", field = "thread.vtid", colsize = 8, tags = {"containers"}, description = "Thread id inside its container." },
    { name = "CPU", field = "thread.cpu", colsize = 8, aggregation = "AVG", is_sorting = true, description = "CPU used by the thread, in percent." },
    { name = "FILE", field = "evt.buflen.file", colsize = 8, aggregation = "TIME_AVG", description = "File bytes per second." },
    { name = "NET", field = "evt.buflen.net", colsize = 8, aggregation = "TIME_AVG", description = "Network bytes per second." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container the thread runs in." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line of the thread's process." },
  },
}
