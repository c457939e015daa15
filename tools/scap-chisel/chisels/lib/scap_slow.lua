-- scap_slow: the body of fileslower and netlower: I/O calls slower than a threshold.
local M = {}

-- filter: which I/O calls; skip_dev: leave out files under /dev.
function M.define(filter, skip_dev)
	args = {
		{ name = "min_ms", description = "the threshold in milliseconds", argtype = "int", optional = false },
		{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
	}
	require "common"
	local term = require "ansiterminal"
	term.enable_color(true)
	local min_ms = 0
	local ftype, fdir, fdatetime, fname, fpname, flat, fcname, fcid
	local with_container = false

	function on_set_arg(name, val)
		if name == "disable_color" and val == "disable_color" then
			term.enable_color(false)
		elseif name == "min_ms" then
			min_ms = parse_numeric_input(val, name)
		end
		return true
	end

	local function row(cols, latency_fmt)
		if with_container then
			return string.format("%-23.23s %-20.20s %-20.20s %-12.12s %-8s " .. latency_fmt .. " %s",
				cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7])
		end
		return string.format("%-23.23s %-12.12s %-8s " .. latency_fmt .. " %s", cols[1], cols[4], cols[5], cols[6], cols[7])
	end

	function on_init()
		ftype = chisel.request_field("evt.type")
		fdir = chisel.request_field("evt.dir")
		fdatetime = chisel.request_field("evt.datetime")
		fname = chisel.request_field("fd.name")
		fpname = chisel.request_field("proc.name")
		flat = chisel.request_field("evt.latency")
		fcname = chisel.request_field("container.name")
		fcid = chisel.request_field("container.id")
		with_container = sysdig.is_print_container_data()
		chisel.set_filter(filter)
		print(row({ "evt.datetime", "container.id", "container.name", "proc.name", "evt.type", "LATENCY(ms)", "fd.name" }, "%-12s"))
		print(row({ string.rep("-", 23), string.rep("-", 30), string.rep("-", 30), string.rep("-", 12), string.rep("-", 8),
			string.rep("-", 12), string.rep("-", 41) }, "%-12s"))
		return true
	end

	function on_event()
		local ms = evt.field(flat) / 1000000
		local name = evt.field(fname)
		if evt.field(fdir) ~= "<" or ms <= min_ms or (skip_dev and string.sub(name, 1, 5) == "/dev/") then
			return true
		end
		local color = term.green
		if evt.field(fcname) ~= "host" then
			color = term.blue
		end
		print(color .. row({ evt.field(fdatetime), evt.field(fcid), evt.field(fcname), evt.field(fpname), evt.field(ftype), ms, name }, "%12d"))
		return true
	end
end

return M
