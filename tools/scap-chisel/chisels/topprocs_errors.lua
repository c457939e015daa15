-- topprocs_errors: processes ranked by failed system calls.
description = "Ranks processes by how many of their system calls failed. With the print-container option it shows the container pid and name too."
short_description = "Processes ranked by failed calls"
category = "Errors"
args = {}
require("scap_top").define {
	keys = "proc.name,proc.pid", descs = "Process,PID",
	ckeys = "proc.name,proc.pid,thread.vtid,container.name",
	cdescs = "Process,Host_pid,Container_pid,container.name",
	value = "evt.count", valuedesc = "#Errors",
	filter = "evt.failed=true", top = 100, units = "none",
}
