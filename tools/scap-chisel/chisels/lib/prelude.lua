-- prelude: run in every chisel's Lua state before the chisel itself.
--
-- sysdig 0.29.3 runs chisels on LuaJIT 2.1.0-beta3, whose string.format rounds a %f conversion
-- that falls exactly halfway away from zero (string.format("%.2f", 90.625) is "90.63"); later
-- LuaJIT releases round such ties to even ("90.62"). Chisel output is compared with sysdig's, so
-- exact ties are rounded the old way here.
do
	local format, floor, abs, select, unpack, type = string.format, math.floor, math.abs, select, unpack, type
	local function old_rounding(spec, v)
		local digits = tonumber(spec:match("%.(%d+)f$")) or 6
		local scale = 10 ^ digits
		local scaled = abs(v) * scale
		if scaled - floor(scaled) ~= 0.5 then
			return v
		end
		local r = (floor(scaled) + 1) / scale
		if v < 0 then r = -r end
		return r
	end
	string.format = function(f, ...)
		if type(f) ~= "string" or not f:find("f", 1, true) then
			return format(f, ...)
		end
		local n = select("#", ...)
		local args = { ... }
		local i = 0
		for spec in f:gmatch("%%[-+ #0]*%d*%.?%d*[%a%%]") do
			if spec ~= "%%" then
				i = i + 1
				if spec:sub(-1) == "f" and type(args[i]) == "number" then
					args[i] = old_rounding(spec, args[i])
				end
			end
		end
		return format(f, unpack(args, 1, n))
	end
end
