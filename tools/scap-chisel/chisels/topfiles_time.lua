-- topfiles_time: files ranked by time spent in I/O calls on them.
description = "Ranks files by the time processes spent in read and write calls on them. With the print-container option it adds the container name."
short_description = "Files ranked by time spent in I/O"
category = "I/O"
args = {}
require("scap_top").define {
	keys = "fd.name", descs = "Filename",
	ckeys = "fd.name,container.name", cdescs = "Filename,container.name",
	value = "evt.latency", valuedesc = "Time",
	filter = "fd.type=file and evt.is_io=true", top = 10, units = "time",
}
