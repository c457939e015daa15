-- topcontainers_cpu: containers ranked by the CPU time the capture's procinfo events report.
description = "Ranks containers by CPU usage over the capture, from the per-process CPU counters the driver reports in procinfo events."
short_description = "Containers ranked by CPU usage"
category = "CPU Usage"
require("scap_cpu").define({ "container.name" }, { "container.name" })
