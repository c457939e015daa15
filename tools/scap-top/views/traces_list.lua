-- Traces List: one row per top level span.

view_info = {
  id = "traces_list",
  name = "Traces List",
  description = "Each span that applications emitted as sysdig tracers, with its duration, tag and arguments.",
  tags = {"Default"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.directory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  use_defaults = false,
  filter = "span.ntags>=%depth+1",
  drilldown_target = "spans_list",
  drilldown_increase_depth = true,
  columns = {
    { name = "NA", field = "span.rawtime", filterfield = "span.rawparenttime", is_key = true, filter_in_child_only = true },
    { name = "ID", field = "span.id", colsize = 10, description = "The span id." },
    { name = "TIME", field = "span.time", colsize = 19, description = "When it started." },
    { name = "DURATION", field = "span.duration.fortag[%depth]", colsize = 10, aggregation = "AVG", is_sorting = true, description = "How long it lasted." },
    { name = "TAG", field = "span.tag[%depth]", colsize = 32, aggregation = "SUM", description = "Its tag." },
    { name = "ARGS", field = "span.enterargs", colsize = 256, aggregation = "SUM", description = "Its arguments." },
  },
}
