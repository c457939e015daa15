-- topfiles_errors: files ranked by failed calls on them.
description = "Ranks files by how many system calls on them failed. With the print-container option it adds the container name."
short_description = "Files ranked by failed calls"
category = "Errors"
args = {}
require("scap_top").define {
	keys = "fd.name", descs = "Filename",
	ckeys = "fd.name,container.name", cdescs = "Filename,container.name",
	value = "evt.count", valuedesc = "#Errors",
	filter = "fd.type=file and evt.failed=true", top = 100, units = "none",
}
