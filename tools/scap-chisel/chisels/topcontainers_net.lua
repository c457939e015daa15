-- topcontainers_net: containers ranked by network bytes.
description = "Ranks containers (the host left out) by the bytes their processes read from and wrote to network sockets."
short_description = "Containers ranked by network bytes"
category = "Net"
args = {}
require("scap_top").define {
	keys = "container.name", descs = "container.name",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true and container.name!=host", top = 100, units = "bytes",
}
