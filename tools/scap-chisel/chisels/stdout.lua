-- stdout: what processes write to (or read from) fd 1.
description = "Prints the data processes read and write on their standard output (fd 1). Add a filter to follow one process or pid."
short_description = "Data processes exchange on stdout"
category = "I/O"
args = {}
require("scap_io").fd_echo(1)
