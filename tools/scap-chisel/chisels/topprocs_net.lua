-- topprocs_net: processes ranked by bytes read and written on network sockets.
description = "Ranks processes by the bytes they read from and wrote to IPv4 and IPv6 sockets. With the print-container option it shows the container pid and name too."
short_description = "Processes ranked by network bytes"
category = "Net"
args = {}
require("scap_top").define {
	keys = "proc.name,proc.pid", descs = "Process,PID",
	ckeys = "proc.name,proc.pid,thread.vtid,container.name",
	cdescs = "Process,Host_pid,Container_pid,container.name",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", top = 100, units = "bytes",
}
