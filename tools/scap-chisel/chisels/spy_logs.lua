-- spy_logs: lines written to log files, one per line of text.
description = "Prints every line processes write to log files (names containing .log, _log or /var/log, compressed files left out), prefixed with the process and file. On a terminal lines are green, yellow when they mention a warning, red for errors. Combine it with filters such as proc.name=foo or 'evt.buffer contains foo'. dump_file_name and dump_range_ms export the events around each line to a file. The print-container option adds the container name (blue for containers)."
short_description = "Lines written to log files; optionally export the events around each one."
category = "Logs"

require "common"
local logs = require "scap_logs"
local term = require "ansiterminal"
term.enable_color(true)
args = logs.args
local dump = logs.new(term)
local LOG_FILES = "(fd.name contains .log or fd.name contains _log or fd.name contains /var/log) and not (fd.name contains .gz or fd.name contains .tgz)"
local fbuf, ftid, fpname, fname, fcname
local with_container, on_tty = false, false

function on_set_arg(name, val) return dump.set_arg(name, val) end

function on_init()
	fbuf = chisel.request_field("evt.buffer")
	ftid = chisel.request_field("thread.tid")
	fpname = chisel.request_field("proc.name")
	fname = chisel.request_field("fd.name")
	fcname = chisel.request_field("container.name")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	sysdig.set_output_format("ascii")
	chisel.set_filter("(" .. LOG_FILES .. ") and evt.is_io_write=true and evt.dir=< and evt.failed=false")
	on_tty = sysdig.is_tty()
	return true
end

function on_capture_start() return dump.start() end

function on_event()
	local cname = evt.field(fcname)
	local prefix = evt.field(fpname) .. " " .. evt.field(fname) .. " "
	for _, msg in ipairs(split(evt.field(fbuf), "\n")) do
		if #msg ~= 0 then
			local line
			if on_tty then
				local color = term.green
				local lower = string.lower(msg)
				if lower:find("warn") ~= nil then
					color = term.yellow
				elseif msg:find("err") then
					color = term.red
				end
				if with_container then
					local ccolor = color
					if cname ~= "host" then ccolor = term.blue end
					line = string.format("%s %s %s %s%s", color, string.format("%s %s", ccolor, cname), color, prefix, msg)
				else
					line = string.format("%s %s%s", color, prefix, msg)
				end
			elseif with_container then
				line = string.format("%s %s%s", cname, prefix, msg)
			else
				line = prefix .. msg
			end
			print(line)
		end
	end
	dump.note(evt.field(ftid))
	return true
end

function on_capture_end()
	if on_tty then
		print(term.reset)
	end
	dump.finish()
end
