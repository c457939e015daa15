-- Slow File I/O: file calls that took longer than a millisecond.

view_info = {
  id = "slow_io",
  name = "Slow File I/O",
  description = "Reads and writes on files (outside /dev) that took more than 1 ms, slowest first.",
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "evt.is_io=true and fd.type=file and (not fd.name contains '/dev/') and evt.latency>1000000",
  use_defaults = true,
  columns = {
    { name = "NA", field = "evt.rawtime", is_key = true },
    { name = "TIME", field = "evt.time", colsize = 12, description = "When the call returned." },
    { name = "LATENCY", field = "evt.latency", is_sorting = true, colsize = 8, description = "How long the call took." },
    { name = "FILENAME", field = "fd.name", colsize = 32, description = "The file." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process." },
    { name = "PID", field = "proc.pid", colsize = 12, description = "Process id." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
