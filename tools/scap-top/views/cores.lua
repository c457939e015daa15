-- CPUs: activity per CPU core. csysdig 0.29.3 ships this view disabled; this one works.

view_info = {
  id = "cores",
  name = "CPUs",
  description = "One row per CPU core: the events that ran on it, the threads seen there and the time spent in system calls.",
  tips = {"Enter shows the processes that ran on the selected core."},
  tags = {"Default"},
  view_type = "table",
  applies_to = {"", "container.id"},
  filter = "evt.type!=switch",
  use_defaults = true,
  drilldown_target = "procs",
  columns = {
    { name = "NA", field = "evt.cpu", is_key = true },
    { name = "CORE", field = "evt.cpu", colsize = 8, description = "The CPU number." },
    { name = "EVENTS", field = "evt.count", colsize = 10, aggregation = "TIME_AVG", is_sorting = true, description = "Events per second on this core." },
    { name = "SYSCALLS", field = "evt.count.exit", colsize = 10, aggregation = "TIME_AVG", description = "System calls returning per second." },
    { name = "TIME", field = "evt.latency", colsize = 10, aggregation = "SUM", description = "Time spent in system calls." },
    { name = "ERRORS", field = "evt.count.error", colsize = 9, aggregation = "SUM", description = "Failed calls." },
  },
}
