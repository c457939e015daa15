-- System Calls: call rate and time per system call.

view_info = {
  id = "syscalls",
  name = "System Calls",
  description = "Each system call with how often it was made and how long it took, in total and on average.",
  tips = {"Enter on a call shows which processes make it.", "A high AVG TIME points at calls that block."},
  tags = {"Default", "wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.sport", "fd.sproto", "fd.name", "fd.containername", "fd.directory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  use_defaults = true,
  filter = "syscall.type exists",
  drilldown_target = "syscall_procs",
  columns = {
    { name = "NA", field = "evt.type", is_key = true },
    { name = "CALLS/S", field = "evt.count", colsize = 10, aggregation = "TIME_AVG", is_sorting = true, description = "Calls per second." },
    { name = "TOT TIME", field = "evt.latency", colsize = 10, aggregation = "SUM", description = "Time spent in the call." },
    { name = "AVG TIME", field = "evt.latency", colsize = 10, aggregation = "AVG", description = "Time per call." },
    { name = "SYSCALL", field = "evt.type", colsize = 32, aggregation = "SUM", description = "The system call." },
  },
}
