-- iobytes_net: bytes read and written on network sockets, per second.
description = "Every second, prints the bytes read from and written to IPv4 and IPv6 sockets during that second, in, out and total."
short_description = "Network I/O bytes per second"
category = "Net"
args = {}
require("scap_io").byte_counter("evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)")
