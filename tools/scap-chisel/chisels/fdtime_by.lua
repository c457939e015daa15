-- fdtime_by: time in I/O calls summed by any field.
description = "Sums the time spent in read and write calls by the value of the field you give, and prints the 10 biggest."
short_description = "I/O time summed by any field"
category = "I/O"
args = { { name = "key", description = "the field to group by", argtype = "string" } }
local key = ""
function on_set_arg(name, val)
	if name == "key" then key = val return true end
	return false
end
function on_init()
	chisel.exec("table_generator", key, key, "evt.latency", "Time", "evt.is_io=true", "10", "time")
	return true
end
