-- spy_file: reads and writes on files, one line each with their data.
description = "Prints every successful read and write on files (terminals left out), one line each: time, process and pid, R or W, size, file name and the data. The arguments restrict it to reads or writes and to one file."
short_description = "Reads and writes on files, with their data; optionally only one file."
category = "I/O"
args = {
	{ name = "read_or_write", description = "'R' for reads only, 'W' for writes only, 'RW' (the default) for both", argtype = "string", optional = true },
	{ name = "spy_on_file_name", description = "the one file to watch", argtype = "string", optional = true },
}

require "common"
local only_file, direction
local fdata, fname, fisw, fpid, fpname, fres, fts

function on_set_arg(name, val)
	if name == "read_or_write" then direction = val return true end
	if name == "spy_on_file_name" then only_file = val return true end
	return false
end

function on_init()
	chisel.request_field("evt.buffer")
	fdata = chisel.request_field("evt.arg.data")
	fname = chisel.request_field("fd.name")
	fisw = chisel.request_field("evt.is_io_write")
	fpid = chisel.request_field("proc.pid")
	fpname = chisel.request_field("proc.name")
	fres = chisel.request_field("evt.rawarg.res")
	chisel.request_field("thread.tid")
	fts = chisel.request_field("evt.time")
	sysdig.set_snaplen(2000)
	sysdig.set_output_format("ascii")
	local parts = {}
	if only_file ~= nil and only_file ~= "" then
		parts[#parts + 1] = "(fd.name=" .. only_file .. ")"
	else
		parts[#parts + 1] = "(not fd.name contains /dev/pt and not fd.name contains /dev/tty)"
	end
	if direction == "R" or direction == "r" then
		parts[#parts + 1] = "evt.is_io_read=true"
	elseif direction == "W" or direction == "w" then
		parts[#parts + 1] = "evt.is_io_write=true"
	else
		parts[#parts + 1] = "evt.is_io=true"
	end
	parts[#parts + 1] = "fd.type=file and evt.dir=< and evt.failed=false"
	chisel.set_filter(table.concat(parts, " and "))
	return true
end

function on_event()
	local rw = "R"
	if evt.field(fisw) == true then
		rw = "W"
	end
	print(string.format("%s %s(%s) %s %s %s %s", evt.field(fts), evt.field(fpname), evt.field(fpid), rw,
		format_bytes(evt.field(fres)), evt.field(fname), evt.field(fdata)))
	return true
end
