-- I/O by Type: I/O grouped by the kind of file descriptor.

view_info = {
  id = "io_by_type",
  name = "I/O by Type",
  description = "I/O grouped by the kind of file descriptor it went through: files, sockets, pipes, events...",
  tips = {"Enter shows the processes doing I/O of the selected kind."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  use_defaults = true,
  drilldown_target = "procs",
  columns = {
    { name = "NA", field = "fd.type", is_key = true },
    { name = "BPS IN", field = "evt.buflen.in", colsize = 12, aggregation = "TIME_AVG", description = "Bytes read per second." },
    { name = "BPS OUT", field = "evt.buflen.out", colsize = 12, aggregation = "TIME_AVG", description = "Bytes written per second." },
    { name = "IOPS", field = "evt.count", colsize = 9, aggregation = "TIME_AVG", is_sorting = true, description = "Calls per second." },
    { name = "TIME", field = "evt.latency", colsize = 9, aggregation = "SUM", description = "Time spent in the calls." },
    { name = "I/O Type", field = "fd.type", aggregation = "SUM", colsize = 0, description = "The kind of file descriptor." },
  },
}
