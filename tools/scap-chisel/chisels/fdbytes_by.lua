-- fdbytes_by: I/O bytes summed by any field.
description = "Sums the bytes of successful reads and writes by the value of the field you give, and prints the 30 biggest. For example fd.name, proc.name or fd.sport."
short_description = "I/O bytes summed by any field"
category = "I/O"
args = { { name = "key", description = "the field to group by", argtype = "string" } }
local key = ""
function on_set_arg(name, val)
	if name == "key" then key = val return true end
	return false
end
function on_init()
	chisel.exec("table_generator", key, key, "evt.rawarg.res", "Bytes",
		"evt.is_io=true and evt.failed=false", "30", "bytes")
	return true
end
