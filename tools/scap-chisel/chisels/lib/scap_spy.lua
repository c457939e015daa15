-- scap_spy: the body of spy_ip and spy_port: network payloads under a header that changes with
-- the direction of the traffic.
local M = {}

-- arg: the argument's declaration; filter_of(value) builds the chisel filter from its value;
-- write_word: what the header calls a write (sysdig's spy_ip says Read for both directions).
function M.define(arg, filter_of, write_word)
	args = {
		arg,
		{ name = "disable_color", description = "'disable_colors' turns colours off", argtype = "string", optional = true },
	}
	require "common"
	local term = require "ansiterminal"
	term.enable_color(true)
	local value
	local fdata, fisread, fres
	local READ, WRITE = 1, 2
	local direction
	-- The header is only rebuilt when the direction changes; otherwise the previous one is
	-- printed again, size included.
	local header

	function on_set_arg(name, val)
		if name == arg.name then
			value = val
			return true
		elseif name == "disable_color" then
			if val == "disable_colors" then
				term.enable_color(false)
			end
			return true
		end
		return false
	end

	function on_init()
		fdata = chisel.request_field("evt.arg.data")
		fisread = chisel.request_field("evt.is_io_read")
		fres = chisel.request_field("evt.rawarg.res")
		sysdig.set_snaplen(1000)
		chisel.set_filter(filter_of(value))
		return true
	end

	function on_event()
		local res = evt.field(fres)
		local data = evt.field(fdata)
		if res == nil or res <= 0 or data == nil then
			return true
		end
		local isread = evt.field(fisread)
		if isread and direction ~= READ then
			header = string.format("%s------ Read %s", term.red, format_bytes(res))
			direction = READ
		elseif not isread and direction ~= WRITE then
			header = string.format("%s------ %s %s", term.blue, write_word, format_bytes(res))
			direction = WRITE
		end
		print(header)
		print(data)
		return true
	end

	function on_capture_end()
		print(term.reset)
	end
end

return M
