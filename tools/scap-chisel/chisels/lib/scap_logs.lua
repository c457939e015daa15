-- scap_logs: what spy_logs and spy_syslog share: their arguments, and remembering the events
-- they show so the events around them can be exported afterwards (sysdig.run_app).
local M = {}

M.args = {
	{ name = "dump_file_name", description = "the file to write the events around each message to", argtype = "string", optional = true },
	{ name = "dump_range_ms", description = "how long before and after each message to export, in milliseconds (default 1000)", argtype = "int", optional = true },
	{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
}

function M.new(term)
	local d = { on = false, file = nil, range_ms = "1000", entries = {}, capturing = false }

	function d.set_arg(name, val)
		if name == "dump_file_name" then
			d.on, d.file = true, val
		elseif name == "dump_range_ms" then
			d.range_ms = val
		elseif name == "disable_color" and val == "disable_color" then
			term.enable_color(false)
		else
			return false
		end
		return true
	end

	function d.start()
		if d.on and sysdig.is_live() then
			print("events export not supported on live captures")
			return false
		end
		d.capturing = true
		return true
	end

	-- Remembers the current event (its time and thread).
	function d.note(tid)
		if d.on then
			local s, ns = evt.get_ts()
			table.insert(d.entries, { s, ns, tid })
		end
	end

	-- Asks for the export run: the events around each remembered one, on the same thread.
	function d.finish()
		if not (d.on and d.capturing) then
			return
		end
		local parts = {}
		for i, e in ipairs(d.entries) do
			parts[i] = "(evt.around[" .. ts_to_str(e[1], e[2]) .. "]=" .. d.range_ms .. " and thread.tid=" .. e[3] .. ")"
		end
		print("Writing events for " .. #d.entries .. " log entries")
		sysdig.run_app("-F -r" .. sysdig.get_evtsource_name() .. " -w" .. d.file .. " " .. table.concat(parts, " or "))
	end

	return d
end

return M
