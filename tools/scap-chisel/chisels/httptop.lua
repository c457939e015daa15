-- httptop: HTTP requests ranked by count, bytes or average time.
description = "Ranks HTTP requests (method and URL) by how many were answered, by the bytes of their responses, or by their average latency. With the print-container option the container comes first."
short_description = "HTTP requests ranked by calls, bytes or time"
category = "Application"
args = {
	{ name = "by", description = "ncalls (the default), bytes or time", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
local http = require "scap_http"

local viz = {
	key_fld = { "method", "url" }, key_desc = { "method", "url" },
	value_fld = "ncalls", value_desc = "ncalls", value_units = "none",
	top_number = 30, output_format = "normal",
}
local by = "ncalls"
local UNITS = { ncalls = "none", bytes = "bytes", time = "time" }
local with_container, live = false, false
local groups = {}

function on_set_arg(name, val)
	if name ~= "by" then
		return false
	end
	if UNITS[val] == nil then
		print("Invalid argument! Valid options: ncalls, bytes, time")
		return false
	end
	by = val
	viz.value_fld, viz.value_desc, viz.value_units = val, val, UNITS[val]
	return true
end

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	if with_container then
		table.insert(viz.key_fld, 1, "container")
		table.insert(viz.key_desc, 1, "container")
	end
	return true
end

local function add(t)
	local key = string.format("%s\001\001%s", t.request.method, t.request.url)
	if with_container then
		key = t.container .. "\001\001" .. key
	end
	groups[key] = groups[key] or {}
	table.insert(groups[key], t)
end

function on_event()
	http.feed(add)
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

-- Turns each group of transactions into its value.
local function values()
	local out = {}
	for key, list in pairs(groups) do
		if by == "ncalls" then
			out[key] = #list
		elseif by == "bytes" then
			local sum = 0
			for _, t in ipairs(list) do sum = sum + t.response.length end
			out[key] = sum
		else
			local sum = 0
			for _, t in ipairs(list) do sum = sum + t.response.ts - t.request.ts end
			out[key] = sum / #list
		end
	end
	return out
end

function on_interval(ts_s, ts_ns, delta)
	if viz.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
	end
	print_sorted_table(values(), ts_s, 0, delta, viz)
	groups = {}
	return true
end

function on_capture_end(ts_s, ts_ns, delta)
	if live and viz.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
		term.showcursor()
		return true
	end
	print_sorted_table(values(), ts_s, 0, delta, viz)
	return true
end
