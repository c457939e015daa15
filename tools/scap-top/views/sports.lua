-- Server Ports: traffic per server port.

view_info = {
  id = "sports",
  name = "Server Ports",
  description = "Network traffic grouped by the server side port of each connection.",
  tags = {"wsysdig"},
  view_type = "table",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "evt.res", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "(fd.type=ipv4 or fd.type=ipv6) and fd.name!=''",
  use_defaults = true,
  drilldown_target = "connections",
  columns = {
    { name = "NA", field = "fd.sport", is_key = true },
    { name = "SPORT", field = "fd.sport", colsize = 8, description = "The server port." },
    { name = "BPS IN", field = "evt.buflen.net.in", is_sorting = true, colsize = 12, aggregation = "TIME_AVG", description = "Bytes received per second." },
    { name = "BPS OUT", field = "evt.buflen.net.out", colsize = 12, aggregation = "TIME_AVG", description = "Bytes sent per second." },
    { name = "IO CALLS", field = "evt.count", colsize = 12, aggregation = "SUM", description = "Calls on connections of this port." },
  },
  actions = {
    { hotkey = "t", command = "tcpdump -niany port %fd.sport", description = "tcpdump port", wait_finish = false },
  },
}
