-- bottlenecks: the ten slowest system calls of the capture, each with its enter line.
local KEEP = 10
description = "Lists the " .. KEEP .. " system calls that took longest to return during the capture, each as its enter line and its exit line with the time it took."
short_description = "The slowest system calls of the capture"
category = "Performance"
args = {}

local fnum, ftype, fargs, flat, fpname, ftid
-- Kept sorted, slowest first: { latency, enter line, exit line }.
local slowest = {}
-- The last enter line of each thread.
local enter_line = {}

function on_init()
	fnum = chisel.request_field("evt.num")
	chisel.request_field("evt.time")
	ftype = chisel.request_field("evt.type")
	fargs = chisel.request_field("evt.args")
	flat = chisel.request_field("evt.latency")
	fpname = chisel.request_field("proc.name")
	ftid = chisel.request_field("thread.tid")
	return true
end

function on_event()
	local etype = evt.field(ftype)
	if etype == "switch" then
		return true
	end
	local latency = evt.field(flat)
	local tid = evt.field(ftid)
	if latency == 0 then
		enter_line[tid] = string.format("%d) 0.%.9d %s (%d) > %s %s", evt.field(fnum), 0,
			evt.field(fpname) or "", tid, etype, evt.field(fargs))
		return true
	end
	if latency == nil then
		return true
	end
	for i = 1, KEEP do
		if slowest[i] == nil or latency > slowest[i][1] then
			local line = string.format("%d) %d.%.9d %s (%d) < %s %s", evt.field(fnum),
				latency / 1000000000, latency % 1000000000, evt.field(fpname) or "", tid, etype,
				evt.field(fargs))
			table.insert(slowest, i, { latency, enter_line[tid], line })
			break
		end
	end
	if #slowest > KEEP then
		table.remove(slowest)
	end
	return true
end

function on_capture_end()
	for _, s in ipairs(slowest) do
		print(s[2])
		print(s[3])
	end
	return true
end
