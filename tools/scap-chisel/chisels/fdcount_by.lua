-- fdcount_by: distinct file descriptors used, counted by any field.
description = "Counts, for each value of the field you give, the distinct file descriptors (number and name) that events with that value used, and prints them all, most first. For example proc.name or container.name."
short_description = "Distinct fds used, counted by any field"
category = "I/O"
args = { { name = "key", description = "the field to group by", argtype = "string" } }

require "common"
local key_field = ""
local fkey, fnum, fname
local seen = {}

function on_set_arg(name, val)
	if name == "key" then key_field = val return true end
	return false
end

function on_init()
	fkey = chisel.request_field(key_field)
	fnum = chisel.request_field("fd.num")
	fname = chisel.request_field("fd.name")
	return true
end

function on_event()
	local key, num, name = evt.field(fkey), evt.field(fnum), evt.field(fname)
	if key == nil or num == nil or num <= 0 or name == nil or name == "" then
		return true
	end
	local entry = seen[key]
	if entry == nil then
		entry = { c = 0 }
		seen[key] = entry
	end
	local fd = tostring(num) .. name
	if entry[fd] == nil then
		entry[fd] = 1
		entry.c = entry.c + 1
	end
	return true
end

function on_capture_end()
	for k, v in pairs_top_by_val(seen, 0, function(t, a, b) return t[b].c < t[a].c end) do
		print(k, v.c)
	end
	return true
end
