-- topscalls: system calls ranked by how often they were called.
description = "Ranks system calls by how many times they were called, context switches left out. With the print-container option it adds the container name."
short_description = "System calls ranked by number of calls"
category = "Performance"
args = {}
require("scap_top").define {
	keys = "evt.type", descs = "Syscall",
	ckeys = "evt.type,container.name", cdescs = "Syscall,container.name",
	value = "evt.count", valuedesc = "# Calls",
	filter = "evt.type!=switch", top = 30, units = "none",
}
