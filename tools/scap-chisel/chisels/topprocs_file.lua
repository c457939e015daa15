-- topprocs_file: processes ranked by bytes read and written on files.
description = "Ranks processes by the bytes they read from and wrote to files. With the print-container option it shows the container pid and name too."
short_description = "Processes ranked by file bytes read and written"
category = "I/O"
args = {}
require("scap_top").define {
	keys = "proc.name,proc.pid", descs = "Process,PID",
	ckeys = "proc.name,proc.pid,thread.vtid,container.name",
	cdescs = "Process,Host_pid,Container_pid,container.name",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "fd.type=file and evt.is_io=true", top = 10, units = "bytes",
}
