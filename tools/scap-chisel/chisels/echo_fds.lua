-- echo_fds: the data every read and write carried, with a header line per call.
description = "Prints the data of every successful read and write on any file descriptor, each under a header line giving the direction, size, fd name and process (red for reads, blue for writes). Add a filter to narrow it down. With the print-container option the header also names the container."
short_description = "Show the data processes read and write."
category = "I/O"
args = {
	{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local fisread, fres, fname, fpname, fcname, fcid
local with_container = false

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	end
	return true
end

function on_init()
	chisel.request_field("evt.rawarg.data")
	fisread = chisel.request_field("evt.is_io_read")
	fres = chisel.request_field("evt.rawarg.res")
	fname = chisel.request_field("fd.name")
	fpname = chisel.request_field("proc.name")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	chisel.set_filter("evt.is_io=true and evt.dir=< and evt.rawres>0")
	-- The data itself is printed by the formatter after on_event's header.
	chisel.set_event_formatter("%evt.arg.data")
	return true
end

function on_event()
	local res = evt.field(fres)
	local name = evt.field(fname) or "<NA>"
	if res <= 0 then
		return true
	end
	local container = ""
	if with_container then
		local cname = evt.field(fcname)
		local color = term.cyan
		if cname == "host" then
			color = term.green
		end
		container = string.format("%s [%s] [%s]", color, cname, evt.field(fcid))
	end
	local color, verb, prep = term.blue, "Write", "to"
	if evt.field(fisread) then
		color, verb, prep = term.red, "Read", "from"
	end
	local who = string.format("%s %s (%s)", color, name, evt.field(fpname))
	print(string.format("%s------ %s %s %s %s %s", color, verb, format_bytes(res), prep, container, who))
	return true
end

function on_capture_end()
	print(term.reset)
end
