-- around: lists the events the capture filter matches and exports what happened around them.
description = "Prints the time, process and thread of every event the capture filter matches, then asks for the events around each of them (dump_range_ms before and after, same thread) to be written to dump_file_name. It needs a filter and a trace file."
short_description = "Export the events around each match of the filter to a file."
category = "Misc"
args = {
	{ name = "dump_file_name", description = "the file to write the events to", argtype = "string", optional = false },
	{ name = "dump_range_ms", description = "how long before and after each match to export, in milliseconds (default 1000)", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local file
local range_ms = "1000"
local matches = {}
local capturing, on_tty = false, false
local fpname, ftid, ftime

function on_set_arg(name, val)
	if name == "dump_file_name" then
		file = val
	elseif name == "dump_range_ms" then
		range_ms = val
	else
		return false
	end
	return true
end

function on_init()
	fpname = chisel.request_field("proc.name")
	ftid = chisel.request_field("thread.tid")
	ftime = chisel.request_field("evt.time")
	on_tty = sysdig.is_tty()
	if sysdig.get_filter() == "" then
		print("no filter specified")
		return false
	end
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	capturing = true
	return true
end

function on_event()
	local tid = evt.field(ftid)
	print(evt.field(ftime) .. " " .. (evt.field(fpname) or "<NA>") .. "(" .. tid .. ")")
	local s, ns = evt.get_ts()
	table.insert(matches, { s, ns, tid })
	return true
end

function on_capture_end()
	if on_tty then
		print(term.reset)
	end
	if not capturing then
		return
	end
	local parts = {}
	for i, m in ipairs(matches) do
		parts[i] = "(evt.around[" .. ts_to_str(m[1], m[2]) .. "]=" .. range_ms .. " and thread.tid=" .. m[3] .. ")"
	end
	print("\nSaving events around " .. #matches .. " syslog entries to " .. file)
	sysdig.run_app("-F -r" .. sysdig.get_evtsource_name() .. " -w" .. file .. " " .. table.concat(parts, " or "))
end
