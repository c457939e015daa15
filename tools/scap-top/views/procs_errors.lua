-- Processes Errors: failed system calls per process, by kind.

view_info = {
  id = "procs_errors",
  name = "Processes Errors",
  description = "Failed system calls of each process, counted by kind: file, network, memory and the rest.",
  tips = {"Enter lists the errors of the selected process."},
  tags = {"Default", "wsysdig"},
  filter = "evt.type!=switch",
  view_type = "table",
  applies_to = {"", "container.id", "fd.name", "fd.containername", "fd.sport", "fd.sproto", "evt.type", "fd.directory", "fd.containerdirectory", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  drilldown_target = "errors",
  use_defaults = true,
  columns = {
    { name = "NA", field = "proc.pid", is_key = true },
    { name = "FILE", field = "evt.count.error.file", colsize = 8, aggregation = "SUM", description = "Failed file calls." },
    { name = "NET", field = "evt.count.error.net", colsize = 8, aggregation = "SUM", description = "Failed network calls." },
    { name = "MEMORY", field = "evt.count.error.memory", colsize = 8, aggregation = "SUM", description = "Failed memory calls." },
    { name = "OTHER", field = "evt.count.error.other", colsize = 8, aggregation = "SUM", description = "Other failed calls." },
    { name = "PID", field = "proc.pid", colsize = 8, description = "Process id." },
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
