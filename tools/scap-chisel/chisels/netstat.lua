-- netstat: the machine's IPv4 and IPv6 sockets, at the first event the filter lets through.
description = "Lists the machine's network connections and listening sockets, like netstat, as they are at the first event of the capture (or the first event the capture filter selects). The optional argument further filters the sockets, e.g. 'proc.name=nginx and fd.port=80'."
short_description = "Network connections, optionally filtered."
category = "System State"
args = {
	{ name = "filter", description = "a filter on the sockets, e.g. 'proc.name=foo and fd.port=80'", argtype = "filter", optional = true },
}

require "common"
local sock_filter = "(fd.type=ipv4 or fd.type=ipv6)"
local started, matched = false, false

function on_set_arg(name, val)
	if name == "filter" then
		sock_filter = sock_filter .. " and (" .. val .. ")"
		return true
	end
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
	local threads = sysdig.get_thread_table(sock_filter)
	print(extend_string("Proto", 6) .. extend_string("Server Address", 25) ..
		extend_string("Client Address", 25) .. extend_string("State", 15) .. "TID/PID/Program Name")
	for tid, th in pairs(threads) do
		for _, s in pairs(th.fdtable) do
			local client, state = "0.0.0.0:*", "LISTEN"
			if s.cip ~= nil then
				client, state = s.cip .. ":" .. s.cport, "ESTABLISHED"
			end
			print(extend_string(s.l4proto, 6) .. extend_string(s.sip .. ":" .. s.sport, 25) ..
				extend_string(client, 25) .. extend_string(state, 15) ..
				tid .. "/" .. th.pid .. "/" .. th.comm)
		end
	end
end
