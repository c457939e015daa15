-- topprocs_cpu: processes ranked by the CPU time the capture's procinfo events report.
description = "Ranks processes by CPU usage over the capture, from the per-process CPU counters the driver reports in procinfo events. With the print-container option it adds the container pid and name."
short_description = "Processes ranked by CPU usage"
category = "CPU Usage"
require("scap_cpu").define({ "proc.name", "proc.pid" }, { "Process", "PID" },
	{ "proc.name", "proc.pid", "proc.vpid", "container.name" }, { "Process", "Host_pid", "Container_pid", "container.name" })
