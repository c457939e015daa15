-- lscontainers: the containers the capture knows, at its first event.
description = "Lists the containers known at the first event of the capture, with their runtime, image, name and id. With the argument 'desc' it dumps the whole container table instead."
short_description = "The containers the capture knows"
category = "System State"
args = {
	{ name = "desc", description = "'desc' dumps the table as a data structure", argtype = "string", optional = true },
}

require "common"
local started, dump = false, false

function on_set_arg(name, val)
	if name == "desc" and val == "desc" then dump = true return true end
	return false
end

function on_capture_start() started = true return true end

function on_event()
	sysdig.end_capture()
	return true
end

function on_capture_end()
	if not started then return end
	local containers = sysdig.get_container_table()
	if dump then
		print(st(containers))
		return
	end
	print(extend_string("container.type", 15) .. extend_string("container.image", 16) ..
		extend_string("container.name", 20) .. extend_string("container.id", 13))
	print(extend_string(string.rep("-", 15), 15) .. extend_string(string.rep("-", 16), 16) ..
		extend_string(string.rep("-", 20), 20) .. extend_string(string.rep("-", 13), 13))
	for _, c in pairs_top_by_val(containers, 0, function(t, a, b) return a < b end) do
		print(extend_string(tostring(c.type), 15) .. extend_string(tostring(c.image), 16) ..
			extend_string(tostring(c.name), 20) .. extend_string(tostring(c.id), 13))
	end
end
