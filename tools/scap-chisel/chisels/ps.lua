-- ps: the threads of the machine, at the first event the filter lets through.
description = "Lists the machine's threads, like ps, as they are at the first event of the capture (or the first event the capture filter selects). The optional argument is a filter on their descriptors: 'fd.name contains /etc' lists the processes with something under /etc open."
short_description = "Processes of the machine, optionally filtered."
category = "System State"
args = {
	{ name = "filter", description = "a filter on the processes' descriptors, e.g. 'fd.name contains /etc'", argtype = "filter", optional = true },
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
	print(extend_string("TID", 8) .. extend_string("PID", 8) .. extend_string("USER", 12) ..
		extend_string("VIRT", 11) .. extend_string("RES", 11) .. extend_string("FDLIMIT", 10) ..
		extend_string("CMD", 20))
	for tid, th in pairs_top_by_val(threads, 0, function(t, a, b) return a < b end) do
		print(extend_string(tostring(tid), 8) .. extend_string(tostring(th.pid), 8) ..
			extend_string(th.username, 12) .. extend_string(format_bytes(th.vmsize_kb * 1024), 11) ..
			extend_string(format_bytes(th.vmrss_kb * 1024), 11) .. extend_string(tostring(th.fdlimit), 10) ..
			th.comm)
	end
end
