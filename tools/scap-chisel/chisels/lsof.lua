-- lsof: the open file descriptors of every process, at the first event the filter lets through.
description = "Lists the open file descriptors of every process, like lsof, as they are at the first event of the capture (or the first event the capture filter selects). The optional argument is a filter on the descriptors themselves, such as 'proc.name=nginx and fd.type=ipv4'."
short_description = "Open file descriptors, optionally filtered."
category = "System State"
args = {
	{ name = "filter", description = "a filter selecting which descriptors to list, e.g. 'fd.name contains /etc'", argtype = "filter", optional = true },
}

require "common"
local fd_filter
local started, matched = false, false

function on_set_arg(name, val)
	if name == "filter" then fd_filter = val return true end
	return false
end

function on_capture_start() started = true return true end

function on_event()
	matched = true
	sysdig.end_capture()
	return false
end

function on_capture_end()
	if not started then return end
	if not matched then
		print("empty capture or no event matching the filter")
		return
	end
	local threads = sysdig.get_thread_table(fd_filter)
	print(extend_string("COMMAND", 20) .. extend_string("PID", 8) .. extend_string("TID", 8) ..
		extend_string("USER", 8) .. extend_string("FD", 8) .. extend_string("TYPE", 12) .. "NAME")
	for tid, th in pairs_top_by_val(threads, 0, function(t, a, b) return a < b end) do
		for fd, info in pairs(th.fdtable) do
			print(extend_string(th.comm, 20) .. extend_string(tostring(th.pid), 8) ..
				extend_string(tostring(tid), 8) .. extend_string(th.username, 8) ..
				extend_string(tostring(fd), 8) .. extend_string(tostring(info.type), 12) ..
				tostring(info.name))
		end
	end
end
