-- stdin: what processes read from (or write to) fd 0.
description = "Prints the data processes read and write on their standard input (fd 0). Add a filter to follow one process or pid."
short_description = "Data processes exchange on stdin"
category = "I/O"
args = {}
require("scap_io").fd_echo(0)
