-- Processes FD Usage: open file descriptors against each process's limit.

view_info = {
  id = "procs_fd_usage",
  name = "Processes FD Usage",
  description = "Open file descriptors of each process, its limit, and how close it is to the limit.",
  tips = {"A process near 100% in PCT is about to fail opening files or sockets."},
  tags = {"Default"},
  view_type = "table",
  filter = "evt.type!=switch",
  applies_to = {"", "container.id", "fd.name", "fd.containername", "fd.sport", "fd.sproto", "evt.type", "fd.directory", "fd.containerdirectory", "fd.type", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  is_root = true,
  drilldown_target = "io_by_type",
  use_defaults = true,
  columns = {
    { name = "NA", field = "proc.pid", is_key = true },
    { name = "PID", field = "proc.pid", colsize = 8, description = "Process id." },
    { name = "VPID", field = "proc.vpid", colsize = 8, tags = {"containers"}, description = "Process id inside its container." },
    { name = "OPEN", field = "proc.fdopencount", aggregation = "MAX", colsize = 8, is_sorting = true, description = "Open file descriptors." },
    { name = "MAX", field = "proc.fdlimit", aggregation = "MAX", colsize = 8, description = "The most file descriptors the process may open." },
    { name = "PCT", field = "proc.fdusage", aggregation = "MAX", colsize = 8, description = "OPEN as a percentage of MAX." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container the process runs in." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
  actions = {
    { hotkey = "9", command = "kill -9 %proc.pid", description = "kill -9", ask_confirmation = true, wait_finish = false },
    { hotkey = "c", command = "gcore %proc.pid", description = "generate core" },
    { hotkey = "g", command = "gdb -p %proc.pid", description = "gdb attach", wait_finish = false },
    { hotkey = "k", command = "kill %proc.pid", description = "kill", ask_confirmation = true, wait_finish = false },
    { hotkey = "l", command = "ltrace -p %proc.pid", description = "ltrace" },
    { hotkey = "s", command = "gdb -p %proc.pid --batch --quiet -ex \"thread apply all bt full\" -ex \"quit\"", description = "print stack" },
  },
}
