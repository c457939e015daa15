-- fileslower: file reads and writes slower than a threshold.
description = "Prints the file reads and writes (devices under /dev left out) that took longer than the threshold you give, in milliseconds; 0 prints them all. Lines are green for the host and blue for containers; the print-container option adds the container id and name."
short_description = "File I/O slower than a threshold"
category = "Performance"
require("scap_slow").define("evt.is_io=true and fd.type=file", true)
