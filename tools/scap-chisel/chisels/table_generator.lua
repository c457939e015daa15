-- table_generator: sums a value per key and prints the biggest, the engine behind the top
-- chisels (they chisel.exec it with their keys, value and filter). Hidden from -cl.
description = "Sums the value field per distinct combination of the key fields among the events the filter selects, and prints the keys with the biggest sums."
short_description = "Sum a value field by key fields"
category = "Filter"
hidden = true

args = {
	{ name = "keys", description = "comma-separated key fields", argtype = "string" },
	{ name = "keydescs", description = "comma-separated column titles for the keys", argtype = "string" },
	{ name = "value", description = "the field to sum", argtype = "string" },
	{ name = "valuedesc", description = "column title for the value", argtype = "string" },
	{ name = "filter", description = "which events count", argtype = "string" },
	{ name = "top_number", description = "how many rows to print, 0 for all", argtype = "string" },
	{ name = "value_units", description = "bytes, time, timepct or none", argtype = "string" },
}

require "common"
local term = require "ansiterminal"

local viz = {
	key_fld = {}, key_desc = {}, value_fld = "", value_desc = "", value_units = "none",
	top_number = 0, output_format = "normal",
}
local filter = ""
local live = false
local key_handles = {}
local value_handle
local sums = {}

function on_set_arg(name, val)
	if name == "keys" then viz.key_fld = split(val, ",")
	elseif name == "keydescs" then viz.key_desc = split(val, ",")
	elseif name == "value" then viz.value_fld = val
	elseif name == "valuedesc" then viz.value_desc = val
	elseif name == "filter" then filter = val
	elseif name == "top_number" then viz.top_number = tonumber(val)
	elseif name == "value_units" then viz.value_units = val
	else return false end
	return true
end

function on_init()
	if #viz.key_fld ~= #viz.key_desc then
		print("error: number of entries in keys different from number entries in keydescs")
		return false
	end
	for i, f in ipairs(viz.key_fld) do
		key_handles[i] = chisel.request_field(f)
	end
	value_handle = chisel.request_field(viz.value_fld)
	if filter ~= "" then
		chisel.set_filter(filter)
	end
	return true
end

function on_capture_start()
	live = sysdig.is_live()
	viz.output_format = sysdig.get_output_format()
	if live then
		chisel.set_interval_s(1)
		if viz.output_format ~= "json" then
			term.clearscreen()
			term.hidecursor()
		end
	end
	return true
end

function on_event()
	local key
	for _, h in ipairs(key_handles) do
		local v = evt.field(h)
		if v == nil then
			return
		end
		if key == nil then key = v else key = key .. KEY_SEP .. v end
	end
	local v = evt.field(value_handle)
	if v ~= nil and v > 0 then
		sums[key] = (sums[key] or 0) + v
	end
	return true
end

function on_interval(ts_s, ts_ns, delta)
	if viz.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
	end
	print_sorted_table(sums, ts_s, 0, delta, viz)
	sums = {}
	return true
end

function on_capture_end(ts_s, ts_ns, delta)
	if live and viz.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
		term.showcursor()
		return true
	end
	print_sorted_table(sums, ts_s, 0, delta, viz)
	return true
end
