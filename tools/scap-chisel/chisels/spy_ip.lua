-- spy_ip: network payloads exchanged with one IP address.
description = "Prints the payloads of the reads and writes on sockets connected to the IP address you give, with a header line each time the direction changes."
short_description = "Data exchanged with one IP address"
category = "Net"
require("scap_spy").define(
	{ name = "host_ip", description = "the remote IP address", argtype = "ipv4" },
	function(ip) return "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.ip=" .. ip end,
	"Read")
