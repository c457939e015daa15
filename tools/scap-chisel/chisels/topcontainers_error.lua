-- topcontainers_error: containers ranked by failed system calls.
description = "Ranks containers (the host left out) by how many system calls failed in them."
short_description = "Containers ranked by failed calls"
category = "Errors"
args = {}
require("scap_top").define {
	keys = "container.name", descs = "container.name",
	value = "evt.count", valuedesc = "#Errors",
	filter = "evt.failed=true and container.name!=host", top = 100, units = "none",
}
