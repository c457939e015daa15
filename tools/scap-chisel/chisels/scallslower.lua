-- scallslower: system calls slower than a threshold.
description = "Prints the system calls that took longer than the threshold you give, in milliseconds, with the time, process, latency and call. Lines are green for the host and blue for containers; the print-container option adds the container id and name."
short_description = "System calls slower than a threshold"
category = "Performance"
args = {
	{ name = "min_ms", description = "the threshold in milliseconds", argtype = "int", optional = false },
	{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local min_ms = 0
local ftype, fdatetime, fpname, flat, fcname, fcid
local with_container = false

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	elseif name == "min_ms" then
		min_ms = parse_numeric_input(val, name)
	end
	return true
end

function on_init()
	ftype = chisel.request_field("evt.type")
	chisel.request_field("evt.dir")
	fdatetime = chisel.request_field("evt.datetime")
	fpname = chisel.request_field("proc.name")
	flat = chisel.request_field("evt.latency")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	local dashes = function(n) return string.rep("-", n) end
	if with_container then
		-- sysdig's header has two spaces before container.name.
		print(string.format("%-23.23s %-20.20s  %-20.20s %-23.23s %-20s %s", "evt.datetime", "container.id",
			"container.name", "proc.name", "LATENCY(ms)", "evt.type"))
		print(string.format("%-23.23s %-20.20s %-20.20s %-23.23s %-20s %s", dashes(23), dashes(20), dashes(20),
			dashes(23), dashes(20), dashes(20)))
	else
		print(string.format("%-23.23s %-23.23s %-20s %s", "evt.datetime", "proc.name", "LATENCY(ms)", "evt.type"))
		print(string.format("%-23.23s %-23.23s %-20s %s", dashes(23), dashes(23), dashes(20), dashes(20)))
	end
	return true
end

function on_event()
	local lat = evt.field(flat)
	if lat == nil then
		return
	end
	local ms = lat / 1000000
	if ms <= min_ms then
		return
	end
	local color = term.green
	if evt.field(fcname) ~= "host" then
		color = term.blue
	end
	if with_container then
		print(color .. string.format("%-23.23s %-20.20s %-20.20s %-23.23s %-20s %s", evt.field(fdatetime),
			evt.field(fcid), evt.field(fcname), evt.field(fpname), ms, evt.field(ftype)))
	else
		print(color .. string.format("%-23.23s %-23.23s %-20s %s", evt.field(fdatetime), evt.field(fpname), ms,
			evt.field(ftype)))
	end
end
