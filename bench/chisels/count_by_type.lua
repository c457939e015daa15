-- count_by_type: a benchmark chisel that runs Lua on every event: it counts events by type and
-- thread with fields every stage knows, and prints the twenty biggest counts at the end.
description = "benchmark: events by type and thread"
short_description = "benchmark: events by type and thread"
category = "Benchmark"
args = {}
local ftype, ftid
local counts = {}
function on_init()
	ftype = chisel.request_field("evt.type")
	ftid = chisel.request_field("thread.tid")
	return true
end
function on_event()
	local key = evt.field(ftype) .. " " .. evt.field(ftid)
	counts[key] = (counts[key] or 0) + 1
	return true
end
function on_capture_end()
	local keys = {}
	for k in pairs(counts) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b) if counts[a] ~= counts[b] then return counts[a] > counts[b] end return a < b end)
	for i = 1, math.min(20, #keys) do print(keys[i], counts[keys[i]]) end
end
