-- Syscall Callers: the processes making a system call.

view_info = {
  id = "syscall_procs",
  name = "Syscall Callers",
  description = "The processes making system calls, with their call rate and time; meant to be opened from System Calls.",
  tags = {"Default"},
  view_type = "table",
  applies_to = {"evt.type"},
  use_defaults = true,
  filter = "syscall.type exists",
  columns = {
    { name = "NA", field = "proc.pid", is_key = true },
    { name = "CALLS/S", field = "evt.count", colsize = 10, aggregation = "TIME_AVG", is_sorting = true, description = "Calls per second." },
    { name = "TIME", field = "evt.latency", colsize = 10, aggregation = "SUM", description = "Time spent in the calls." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the process." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
