-- iobytes: bytes read and written on every kind of fd, per second.
description = "Every second, prints the bytes read and written on file descriptors of any kind (files, sockets, pipes, ...) during that second, in, out and total."
short_description = "I/O bytes per second on every kind of fd"
category = "I/O"
args = {}
require("scap_io").byte_counter("evt.is_io=true")
