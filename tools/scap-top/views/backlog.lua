-- Socket Queues: how full the listen queues of server sockets are.

view_info = {
  id = "backlog",
  name = "Socket Queues",
  description = "The accept queue of each listening port as seen at accept time: its length, how full it is, and its limit.",
  tips = {"A queue close to BACKLOG_MAX means the server accepts connections too slowly."},
  tags = {"Default"},
  view_type = "table",
  applies_to = {"", "proc.pid", "proc.name", "fd.sport", "fd.sproto"},
  filter = "evt.type=accept",
  is_root = false,
  use_defaults = true,
  drilldown_target = "connections",
  columns = {
    { name = "NA", field = "fd.sport", is_key = true },
    { name = "PID", field = "proc.pid", colsize = 15, description = "The server's process id." },
    { name = "PORT", field = "fd.sport", colsize = 15, description = "The listening port." },
    { name = "BACKLOG", field = "evt.arg[3]", colsize = 15, is_sorting = true, aggregation = "AVG", description = "Connections waiting in the queue." },
    { name = "BACKLOG_PCT", field = "evt.arg[2]", colsize = 15, aggregation = "AVG", description = "How full the queue is, in percent." },
    { name = "BACKLOG_MAX", field = "evt.arg[4]", colsize = 15, description = "The queue's limit." },
    { name = "PROC", field = "proc.name", colsize = 50, description = "The server's name." },
  },
}
