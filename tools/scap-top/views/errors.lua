-- Errors: failed system calls grouped by error.

view_info = {
  id = "errors",
  name = "Errors",
  description = "System calls that failed, counted by error code.",
  tips = {"Enter on an error shows which processes got it."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "fd.directory", "fd.containerdirectory", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "evt.res != SUCCESS",
  use_defaults = true,
  drilldown_target = "procs_errors",
  columns = {
    { name = "NA", field = "evt.res", is_key = true },
    { name = "COUNT", field = "evt.count", colsize = 12, aggregation = "SUM", is_sorting = true, description = "How many calls failed with this error." },
    { name = "ERROR", field = "evt.res", colsize = 0, description = "The error." },
  },
}
