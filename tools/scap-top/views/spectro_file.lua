-- Spectrogram-File: latency distribution of file system calls.

view_info = {
  id = "spectro_file",
  name = "Spectrogram-File",
  description = "How long calls on files take, as a spectrogram over time.",
  view_type = "spectrogram",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name", "fd.name", "fd.containername", "fd.directory", "fd.containerdirectory", "fd.containerdirectory"},
  filter = "evt.dir=< and fd.type=file",
  use_defaults = false,
  columns = {
    { name = "NA", field = "evt.latency.quantized", is_key = true },
    { name = "LATENCY", field = "evt.latency.quantized", description = "The latency range." },
    { name = "COUNT", field = "evt.count", aggregation = "SUM", colsize = 8, description = "Calls in the range." },
  },
}
