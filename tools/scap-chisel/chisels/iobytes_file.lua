-- iobytes_file: bytes read and written on files, per second.
description = "Every second, prints the bytes read from and written to files during that second, in, out and total."
short_description = "File I/O bytes per second"
category = "I/O"
args = {}
require("scap_io").byte_counter("evt.is_io=true and fd.type=file")
