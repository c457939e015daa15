-- subsecoffset: a terminal heat map of when, within each second, system calls start.
description = "Draws, on an ANSI terminal, one row per refresh period (a second by default) showing how many system calls started at each offset within the period, so patterns shorter than a second show up. Black means none, green tens per second, yellow hundreds, red thousands. The argument sets the period in milliseconds (try 100)."
short_description = "Terminal heat map of when in each second calls start."
category = "CPU Usage"
args = {
	{ name = "refresh_time", description = "the period in milliseconds", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
local heat = require "scap_heatmap"
term.enable_color(true)
local period = 1000000000
local per_sec = 1000000000 / period
local counts = {}
local width = 0
local label_len = 0
local on_tty = false
local frawtime

function on_set_arg(name, val)
	if name == "refresh_time" then
		period = parse_numeric_input(val, name) * 1000000
		per_sec = 1000000000 / period
		return true
	end
	return false
end

function on_init()
	on_tty = heat.need_tty()
	if not on_tty then
		return false
	end
	width = sysdig.get_terminal_info().width
	label_len = string.len("|" .. (0.9 * period / 10000000) .. "ms")
	chisel.set_filter("evt.dir=>")
	frawtime = chisel.request_field("evt.rawtime")
	term.hidecursor()
	print("Tracing syscalls... red (hot) == high frequency <-> green == low frequency.\n")
	return true
end

function on_capture_start()
	chisel.set_interval_ns(period)
	return true
end

function on_event()
	local t = evt.field(frawtime)
	local x = math.floor((((t * 1000 / period) % 1000) / 1000) * width)
	counts[x] = (counts[x] or 0) + 1
	return true
end

function on_interval()
	-- sysdig's version sets the background twice for an empty cell; so do we.
	heat.row(term, counts, width, per_sec, function(t) t.setbgcol(0) t.setbgcol(0) end)
	local x = 0
	while x < width do
		local tenth = math.floor(x * 10 / width)
		if tenth ~= math.floor((x - 1) * 10 / width) and x <= width - label_len then
			local label = "|" .. (math.floor(10 * x / width) * period / 10000000) .. "ms"
			io.write(label)
			x = x + #label
		else
			io.write(" ")
			x = x + 1
		end
	end
	io.write("\n")
	counts = {}
	return true
end

function on_capture_end()
	if on_tty then
		print(term.reset)
		term.showcursor()
	end
	return true
end
