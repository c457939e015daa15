-- topconns: network connections ranked by bytes exchanged.
description = "Ranks network connections by the bytes read and written on them. With the print-container option the container name comes first."
short_description = "Network connections ranked by bytes"
category = "Net"
args = {}
require("scap_top").define {
	keys = "fd.l4proto,fd.name", descs = "Proto,Conn",
	ckeys = "container.name,fd.l4proto,fd.name", cdescs = "container.name,Proto,Conn",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", top = 30, units = "bytes",
}
