-- Page Faults: major and minor page faults per process.

view_info = {
  id = "page_faults",
  name = "Page Faults",
  description = "Major and minor page faults of each process since it started.",
  tags = {"Default", "wsysdig"},
  view_type = "table",
  filter = "evt.type!=switch",
  applies_to = {"", "container.id", "fd.name", "fd.containername", "fd.sport", "fd.sproto", "evt.type", "fd.directory", "fd.containerdirectory", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  drilldown_target = "errors",
  use_defaults = true,
  columns = {
    { name = "NA", field = "proc.pid", is_key = true },
    { name = "MAJOR", field = "thread.pfmajor", colsize = 9, aggregation = "MAX", is_sorting = true, description = "Faults that needed disk I/O." },
    { name = "MINOR", field = "thread.pfminor", colsize = 9, aggregation = "MAX", description = "Faults served from memory." },
    { name = "PID", field = "proc.pid", colsize = 8, description = "Process id." },
    { name = "VPID", field = "proc.vpid", colsize = 8, tags = {"containers"}, description = "Process id inside its container." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
