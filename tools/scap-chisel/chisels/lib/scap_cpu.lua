-- scap_cpu: the body of topprocs_cpu and topcontainers_cpu: CPU time from procinfo events,
-- summed by key fields and shown as a share of the capture's length.
local M = {}

-- keys, descs: the key fields and their titles; ckeys, cdescs: the same with the
-- print-container option (nil: no container variant).
function M.define(keys, descs, ckeys, cdescs)
	args = {}
	require "common"
	local term = require "ansiterminal"

	local totals = {}
	local live = false
	local handles, fcpu

	local viz = {
		key_fld = keys,
		key_desc = descs,
		value_fld = "thread.exectime",
		value_desc = "CPU%",
		value_units = "timepct",
		top_number = 10,
		output_format = "normal",
	}

	function on_init()
		if sysdig.is_print_container_data() and ckeys ~= nil then
			viz.key_fld, viz.key_desc = ckeys, cdescs
		end
		handles = {}
		for i, name in ipairs(viz.key_fld) do
			handles[i] = chisel.request_field(name)
		end
		fcpu = chisel.request_field("thread.cpu")
		chisel.set_filter("evt.type=procinfo")
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
		local parts = {}
		for i, f in ipairs(handles) do
			local v = evt.field(f)
			if v == nil then
				return
			end
			parts[i] = tostring(v)
		end
		local key = table.concat(parts, KEY_SEP)
		-- thread.cpu is in seconds; the table works in units of 10 ms like the driver's ticks.
		totals[key] = (totals[key] or 0) + evt.field(fcpu) * 10000000
		return true
	end

	function on_interval(ts_s, ts_ns, delta)
		if viz.output_format ~= "json" then
			term.clearscreen()
			term.moveto(0, 0)
		end
		print_sorted_table(totals, ts_s, 0, delta, viz)
		totals = {}
		return true
	end

	function on_capture_end(ts_s, ts_ns, delta)
		if live and viz.output_format ~= "json" then
			term.clearscreen()
			term.moveto(0, 0)
			term.showcursor()
			return true
		end
		print_sorted_table(totals, ts_s, 0, delta, viz)
		return true
	end
end

return M
