-- Traces Spectrogram: span durations over time.

view_info = {
  id = "spectro_traces",
  name = "Traces Spectrogram",
  description = "How long spans take, as a spectrogram over time.",
  view_type = "spectrogram",
  applies_to = {"", "span.tag", "span.id", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name", "fd.name", "fd.containername", "fd.directory", "fd.containerdirectory", "fd.containerdirectory"},
  filter = "span.ntags=%depth+1",
  use_defaults = false,
  drilldown_target = "spans_list",
  propagate_filter = false,
  columns = {
    { name = "NA", field = "span.duration.quantized", is_key = true },
    { name = "LATENCY", field = "span.duration.quantized", description = "The duration range." },
    { name = "COUNT", field = "evt.count", aggregation = "SUM", description = "Spans in the range." },
  },
}
