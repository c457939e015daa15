-- New Connections: every connection accepted, as a list.

view_info = {
  id = "incoming_connections",
  name = "New Connections",
  description = "Each connection accepted by a server, when it was accepted and by which command.",
  tags = {"Default"},
  view_type = "list",
  applies_to = {"", "container.id", "proc.pid", "thread.nametid", "thread.tid", "proc.name", "fd.name", "fd.containername", "fd.sport", "fd.sproto", "fd.dport", "fd.port", "fd.lport", "fd.rport", "k8s.pod.id", "k8s.rc.id", "k8s.rs.id", "k8s.svc.id", "k8s.ns.id", "marathon.app.id", "marathon.group.name", "mesos.task.id", "mesos.framework.name"},
  filter = "evt.type=accept and evt.dir=< and evt.failed=false",
  columns = {
    { name = "TIME", field = "evt.time", colsize = 19, description = "When it was accepted." },
    { name = "Connection", field = "fd.name", colsize = 40, description = "Client and server address." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container of the server." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The server's command line." },
  },
}
