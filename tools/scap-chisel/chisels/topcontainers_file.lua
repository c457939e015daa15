-- topcontainers_file: containers ranked by bytes read and written on files.
description = "Ranks containers (the host left out) by the bytes their processes read from and wrote to files."
short_description = "Containers ranked by file bytes read and written"
category = "I/O"
args = {}
require("scap_top").define {
	keys = "container.name", descs = "container.name",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "fd.type=file and evt.is_io=true and container.name!=host", top = 10, units = "bytes",
}
