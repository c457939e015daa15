-- topfiles_bytes: files ranked by bytes read and written.
description = "Ranks files by the bytes read from and written to them. With the print-container option the container name comes first."
short_description = "Files ranked by bytes read and written"
category = "I/O"
args = {}
require("scap_top").define {
	keys = "fd.name", descs = "Filename",
	ckeys = "container.name,fd.name", cdescs = "container.name,Filename",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "fd.type=file and evt.is_io=true", top = 10, units = "bytes",
}
