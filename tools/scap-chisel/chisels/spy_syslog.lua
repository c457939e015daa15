-- spy_syslog: messages written to syslog (/dev/log), decoded.
description = "Prints every message processes send to syslog through /dev/log: facility.severity, process[tid] and the text. On a terminal warnings are yellow, errors red, container messages blue. Combine it with filters such as proc.name=foo or 'syslog.message contains foo'. dump_file_name and dump_range_ms export the events around each message to a file."
short_description = "Messages sent to syslog; optionally export the events around each one."
category = "Logs"

require "common"
local logs = require "scap_logs"
local term = require "ansiterminal"
term.enable_color(true)
args = logs.args
local dump = logs.new(term)
local ffac, fsev, fsevcode, fmsg, ftid, fpname, fcname, fcid
local with_container, on_tty = false, false

function on_set_arg(name, val) return dump.set_arg(name, val) end

function on_init()
	ffac = chisel.request_field("syslog.facility.str")
	fsev = chisel.request_field("syslog.severity.str")
	fsevcode = chisel.request_field("syslog.severity")
	fmsg = chisel.request_field("syslog.message")
	ftid = chisel.request_field("thread.tid")
	fpname = chisel.request_field("proc.name")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(1000)
	chisel.set_filter("fd.name contains /dev/log and evt.is_io_write=true and evt.dir=< and evt.failed=false")
	on_tty = sysdig.is_tty()
	return true
end

function on_capture_start() return dump.start() end

function on_event()
	local fac, sev, msg = evt.field(ffac), evt.field(fsev), evt.field(fmsg)
	local code, tid, pname = evt.field(fsevcode), evt.field(ftid), evt.field(fpname)
	local cname, cid = evt.field(fcname), evt.field(fcid)
	local line
	if on_tty then
		local color = term.green
		if code == 4 then
			color = term.yellow
		elseif code < 4 then
			color = term.red
		elseif cname ~= "host" then
			color = term.blue
		end
		if with_container then
			line = string.format("%s%-20s %-20s %s.%s %s[%u] %s", color, cid, cname, fac, sev, pname, tid, msg)
		else
			line = string.format("%s%s.%s %s[%u] %s", color, fac, sev, pname, tid, msg)
		end
	elseif with_container then
		-- sysdig's own column order here: facility, container id and name, then severity.
		line = string.format("%-20s %-20s %s.%s %s[%u] %s", fac, cid, cname, sev, pname, tid, msg)
	else
		line = string.format("%s.%s %s[%u] %s", fac, sev, pname, tid, msg)
	end
	print(line)
	dump.note(tid)
	return true
end

function on_capture_end()
	if on_tty then
		print(term.reset)
	end
	dump.finish()
end
