-- tracers_2_statsd: span durations sent to statsd as timers.
description = "Sends the duration of every tracer span that ends (sysdig tracers written to /dev/null) to a statsd server over UDP, as a timer named after the span's tags. Like sysdig's own version, it sends to 127.0.0.1:8125 whatever the arguments say."
short_description = "Send span durations to statsd."
category = "Tracers"
args = {
	{ name = "server_addr", description = "the statsd server's address", argtype = "string", optional = true },
	{ name = "server_port", description = "its UDP port", argtype = "string", optional = true },
}

local ftags, fdur

function on_set_arg(name, val)
	return name == "server_addr" or name == "server_port"
end

function on_init()
	sysdig.udp_setpeername("127.0.0.1", "8125")
	ftags = chisel.request_field("span.tags")
	fdur = chisel.request_field("span.duration")
	chisel.set_filter("evt.type=tracer and evt.dir=<")
	return true
end

function on_event()
	local dur = evt.field(fdur)
	if dur then
		local name = tostring(evt.field(ftags)):gsub("[:|@]", "_")
		sysdig.udp_send(name .. ":" .. tonumber(dur) / 1000000 .. "|ms")
	end
	return true
end
