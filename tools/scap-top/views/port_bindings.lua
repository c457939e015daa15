-- Port bindings: servers binding ports and closing them.

view_info = {
  id = "port_bindings",
  name = "Port bindings",
  description = "Each bind of an IP socket to a port, and each close of an IPv4 server socket.",
  tags = {"default", "wsysdig", "nocsysdig"},
  view_type = "list",
  applies_to = {""},
  filter = "(evt.type=bind and evt.dir=< and (fd.type=ipv4 or fd.type=ipv6)) or (evt.type=close and evt.dir=> and fd.typechar=2 and fd.type=ipv4)",
  use_defaults = true,
  columns = {
    { name = "TIME", field = "evt.time", colsize = 12, description = "When it happened." },
    { name = "OPERATION", field = "evt.type", colsize = 24, description = "bind or close." },
    { name = "PORT", field = "fd.sport", colsize = 24, description = "The port." },
    { name = "Command", field = "proc.exeline", aggregation = "MAX", colsize = 0, description = "The command line." },
  },
}
