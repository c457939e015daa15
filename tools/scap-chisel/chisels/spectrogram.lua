-- spectrogram: a terminal heat map of system call latencies over time.
description = "Draws, on an ANSI terminal, one row per refresh period (half a second by default) showing how many system calls returned with each latency, latencies growing left to right on a log scale from 1 ns to 100 s. Black means none, green tens per second, yellow hundreds, red thousands. Combine it with a filter to look at one process or one kind of I/O."
short_description = "Terminal heat map of system call latencies."
category = "CPU Usage"
args = {
	{ name = "refresh_time", description = "the refresh period in milliseconds", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
local heat = require "scap_heatmap"
term.enable_color(true)
local period = 500000000
local per_sec = 1000000000 / period
local counts = {}
local width = 0
local on_tty = false
local flat

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
	chisel.set_filter("evt.dir=<")
	flat = chisel.request_field("evt.latency")
	term.hidecursor()
	return true
end

function on_capture_start()
	chisel.set_interval_ns(period)
	return true
end

function on_event()
	local lat = evt.field(flat)
	if lat == 0 then
		return true
	end
	local x = math.floor(math.min(math.log10(lat), 11) * width / 11) + 1
	counts[x] = (counts[x] or 0) + 1
	return true
end

function on_interval()
	heat.row(term, counts, width, per_sec, function(t) t.setfgcol(0) t.setbgcol(0) end)
	-- The axis: a mark and a label at each power of ten.
	local x = 0
	while x < width do
		local decade = math.floor(x * 11 / width)
		if decade ~= math.floor((x - 1) * 11 / width) then
			local label = format_time_interval(math.pow(10, decade))
			io.write("|" .. label)
			x = x + #label + 1
		else
			io.write(" ")
			x = x + 1
		end
	end
	io.write("\n")
	counts = {}
	return true
end

function on_capture_end(ts_s, ts_ns)
	if on_tty then
		on_interval(ts_s, ts_ns, 0)
		print(term.reset)
		term.showcursor()
	end
	return true
end
