-- spy_port: network payloads exchanged through one port.
description = "Prints the payloads of the reads and writes on sockets using the port you give, at either end, with a header line each time the direction changes."
short_description = "Data exchanged through one port"
category = "Net"
require("scap_spy").define(
	{ name = "host_port", description = "the port number", argtype = "int" },
	function(port) return "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port=" .. port end,
	"Write")
