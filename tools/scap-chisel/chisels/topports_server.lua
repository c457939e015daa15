-- topports_server: server ports ranked by bytes exchanged.
description = "Ranks the server-side ports of TCP and UDP connections by the bytes read and written through them. With the print-container option it adds the container name."
short_description = "Server ports ranked by bytes read and written"
category = "Net"
args = {}
require("scap_top").define {
	keys = "fd.sport", descs = "Srv Port",
	ckeys = "fd.sport,container.name", cdescs = "Srv Port,container.name",
	value = "evt.rawarg.res", valuedesc = "Bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", top = 100, units = "bytes",
}
