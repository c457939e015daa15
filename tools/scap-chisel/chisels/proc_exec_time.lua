-- proc_exec_time: how long each process that exited ran, coloured by duration.
description = "Prints, as each process exits, how long it ran, its name and its arguments: green under 3 s, yellow up to 10 s, red above, blue for short-lived processes in containers. With the print-container option it adds the container id and name."
short_description = "How long each exiting process ran"
category = "Performance"
args = {
	{ name = "disable_color", description = "'disable_colors' turns colours off", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local YELLOW_NS, RED_NS = 3000000000, 10000000000
local fexe, fargs, fduration, fcname, fcid
local with_container = false

function on_set_arg(name, val)
	if val == "disable_colors" then
		term.enable_color(false)
	end
	return true
end

local function row(cols)
	if with_container then
		return string.format("%-13.13s %-20.20s %-20.20s %-12.12s %s", cols[1], cols[2], cols[3], cols[4], cols[5])
	end
	return string.format("%-13.13s %-12.12s %s", cols[1], cols[4], cols[5])
end

function on_init()
	chisel.request_field("evt.type")
	fexe = chisel.request_field("proc.name")
	fargs = chisel.request_field("proc.args")
	chisel.request_field("evt.time.s")
	fduration = chisel.request_field("proc.duration")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("evt.type=procexit")
	print(row({ "proc.duration", "container.id", "container.name", "proc.name", "proc.args" }))
	print(row({ string.rep("-", 13), string.rep("-", 20), string.rep("-", 20), string.rep("-", 12), string.rep("-", 20) }))
	return true
end

function on_event()
	local d = evt.field(fduration)
	if d == nil then
		return true
	end
	local color = term.green
	if d > RED_NS then
		color = term.red
	elseif d > YELLOW_NS then
		color = term.yellow
	elseif evt.field(fcname) ~= "host" then
		color = term.blue
	end
	print(color .. row({ format_time_interval(d), evt.field(fcid), evt.field(fcname), evt.field(fexe), evt.field(fargs) }))
	return true
end

function on_capture_end()
	print(term.reset)
end
