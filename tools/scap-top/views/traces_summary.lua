-- Traces Summary: spans written by instrumented applications, grouped by tag.

view_info = {
  id = "traces_summary",
  name = "Traces Summary",
  description = "Spans that applications emitted as sysdig tracers, grouped by tag, with hit counts and durations.",
  tips = {"Enter goes one tag level deeper."},
  tags = {"Default"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "proc.name", "thread.tid", "fd.directory", "fd.containerdirectory", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  use_defaults = true,
  filter = "span.ntags>=%depth+1",
  drilldown_target = "spans_summary",
  spectro_type = "tracers",
  drilldown_increase_depth = true,
  columns = {
    { name = "NA", field = "span.tag[%depth]", is_key = true },
    { name = "HITS", field = "span.count.fortag[%depth]", colsize = 10, aggregation = "SUM", is_sorting = true, description = "Spans with this tag." },
    { name = "AVG TIME", field = "span.duration.fortag[%depth]", colsize = 10, aggregation = "AVG", description = "Average duration." },
    { name = "MIN TIME", field = "span.duration.fortag[%depth]", colsize = 10, aggregation = "MIN", description = "Shortest duration." },
    { name = "MAX TIME", field = "span.duration.fortag[%depth]", colsize = 10, aggregation = "MAX", description = "Longest duration." },
    { name = "CHD HITS", field = "span.childcount.fortag[%depth]", colsize = 10, aggregation = "SUM", description = "Child spans." },
    { name = "TAG", field = "span.tag[%depth]", colsize = 256, aggregation = "SUM", description = "The tag." },
  },
}
