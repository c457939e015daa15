-- stderr: what processes write to fd 2, with container columns on request.
description = "Prints the data processes read and write on their standard error (fd 2). Add a filter to follow one process or pid. With the print-container option each line starts with the container id and name, blue for containers and green for the host."
short_description = "Data processes exchange on stderr"
category = "I/O"
args = {
	{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
}

local term = require "ansiterminal"
term.enable_color(true)
local fbuf, fcname, fcid
local with_container = false

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
		return true
	end
	return false
end

function on_init()
	fbuf = chisel.request_field("evt.rawarg.data")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	chisel.set_filter("fd.num=2 and evt.is_io=true")
	return true
end

function on_event()
	local data = evt.field(fbuf)
	if data == nil then
		return true
	end
	if not with_container then
		print(data)
		return true
	end
	local cname = evt.field(fcname)
	local color = term.green
	if cname ~= "host" then
		color = term.blue
	end
	print(color .. string.format("%-20.20s %-20.20s %s", evt.field(fcid), cname, data))
	return true
end
