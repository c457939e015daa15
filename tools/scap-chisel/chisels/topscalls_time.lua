-- topscalls_time: system calls ranked by the time spent in them.
description = "Ranks system calls by the total time spent in them. With the print-container option it adds the container name."
short_description = "System calls ranked by time spent in them"
category = "Performance"
args = {}
require("scap_top").define {
	keys = "evt.type", descs = "Syscall",
	ckeys = "evt.type,container.name", cdescs = "Syscall,container.name",
	value = "evt.latency", valuedesc = "Time",
	filter = "", top = 30, units = "time",
}
