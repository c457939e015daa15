-- scap_top: defines a top chisel that hands its work to table_generator, with a container
-- variant of its columns for the print-container option.
local M = {}

-- spec: keys, descs, value, valuedesc, filter, top, units, and optionally ckeys/cdescs for
-- the container columns.
function M.define(spec)
	args = args or {}
	function on_init()
		local keys, descs = spec.keys, spec.descs
		if sysdig.is_print_container_data() and spec.ckeys ~= nil then
			keys, descs = spec.ckeys, spec.cdescs
		end
		chisel.exec("table_generator", keys, descs, spec.value, spec.valuedesc, spec.filter,
			tostring(spec.top), spec.units)
		return true
	end
end

return M
