-- common: helpers shared by scap-chisel's built-in chisels (our own implementation of the
-- helper names sysdig's chisels use, so chisels written against them also run here).

local KB, MB, GB, TB, PB = 1024, 1024 ^ 2, 1024 ^ 3, 1024 ^ 4, 1024 ^ 5
ONE_S_IN_NS = 1000000000
ONE_MS_IN_NS = 1000000
ONE_US_IN_NS = 1000

-- Pads s with spaces to len, or cuts it to len - 1 characters plus a space.
function extend_string(s, len)
	local n = #s
	if n < len then
		return s .. string.rep(" ", len - n)
	end
	if len <= 0 then
		return ""
	end
	return s:sub(1, len - 1) .. " "
end

-- Splits s on every occurrence of the plain-pattern sep (a trailing empty piece included).
function split(s, sep)
	local out = {}
	for piece in (s .. sep):gmatch("(.-)" .. sep) do
		out[#out + 1] = piece
	end
	return out
end

function starts_with(s, prefix)
	return prefix == "" or s:sub(1, #prefix) == prefix
end

function ends_with(s, suffix)
	return suffix == "" or s:sub(-#suffix) == suffix
end

-- 1230 -> "1.20KB"; M, G, T and P carry no B.
function format_bytes(v)
	if v > PB then return string.format("%.2fP", v / PB) end
	if v > TB then return string.format("%.2fT", v / TB) end
	if v > GB then return string.format("%.2fG", v / GB) end
	if v > MB then return string.format("%.2fM", v / MB) end
	if v > KB then return string.format("%.2fKB", v / KB) end
	return string.format("%dB", v)
end

-- A duration in ns as s, ms, us or ns with two decimals where the unit is coarse.
function format_time_interval(v)
	local floor = math.floor
	if v >= ONE_S_IN_NS then
		return string.format("%d.%02ds", floor(v / ONE_S_IN_NS), floor((v % ONE_S_IN_NS) / 10000000))
	elseif v >= 10000000 then
		return string.format("%dms", floor(v / ONE_MS_IN_NS))
	elseif v >= ONE_MS_IN_NS then
		return string.format("%d.%02dms", floor(v / ONE_MS_IN_NS), floor((v % ONE_MS_IN_NS) / 10000))
	elseif v >= 10000 then
		return string.format("%dus", floor(v / ONE_US_IN_NS))
	elseif v >= ONE_US_IN_NS then
		return string.format("%d.%02dus", floor(v / ONE_US_IN_NS), floor((v % ONE_US_IN_NS) / 10))
	end
	return string.format("%dns", v)
end

-- Iterates over the entries of t in the order order(t, a, b) gives, at most num of them (0: all).
function pairs_top_by_val(t, num, order)
	local keys = {}
	for k in pairs(t) do
		keys[#keys + 1] = k
	end
	-- Rows the order calls equal come out sorted by key, so that output is the same from run
	-- to run (the order pairs() visits keys in changes with LuaJIT's seeded string hash).
	table.sort(keys, function(a, b)
		if order(t, a, b) then
			return true
		elseif order(t, b, a) then
			return false
		end
		return tostring(a) < tostring(b)
	end)
	local i = 0
	return function()
		i = i + 1
		if (num == 0 or i <= num) and keys[i] ~= nil then
			return keys[i], t[keys[i]]
		end
	end
end

function ts_to_str(s, ns)
	return string.format("%d%09d", s, ns)
end

-- Keys of a grouped table are joined with this separator.
KEY_SEP = "\001\001"

local function render_value(v, units, delta)
	if units == "bytes" then
		return format_bytes(v)
	elseif units == "time" then
		return format_time_interval(v)
	elseif units == "timepct" then
		if delta > 0 then
			return string.format("%.2f%%", v / delta * 100)
		end
		return "0.00%"
	end
	return tostring(v)
end

-- Prints a key -> value table sorted by value, biggest first, under a header.
function print_sorted_table(t, ts_s, ts_ns, delta, viz)
	local COL = 20
	if viz.output_format == "json" then
		local json = require("scap_json")
		local rows = {}
		for k, v in pairs_top_by_val(t, viz.top_number, function(t, a, b) return t[b] < t[a] end) do
			local row = split(k, KEY_SEP)
			row[#row + 1] = v
			rows[#rows + 1] = row
		end
		local info = {}
		for i, name in ipairs(viz.key_fld) do
			info[i] = { name = name, desc = viz.key_desc[i], is_key = true }
		end
		-- sysdig puts the value's column third whatever the number of keys: after one key the
		-- second entry is null, after three it replaces the third.
		info[3] = { name = viz.value_fld, desc = viz.value_desc, is_key = false }
		print(json.encode({ ts = sysdig.make_ts(ts_s, ts_ns), data = rows, info = info }))
		return
	end
	local header = extend_string(viz.value_desc, COL)
	for _, d in ipairs(viz.key_desc) do
		header = header .. extend_string(d, COL)
	end
	print(header)
	print(string.rep("-", 80))
	for k, v in pairs_top_by_val(t, viz.top_number, function(t, a, b) return t[b] < t[a] end) do
		local parts = split(k, KEY_SEP)
		local keytext = ""
		for i, p in ipairs(parts) do
			if i < #parts then
				keytext = keytext .. extend_string(p:sub(1, COL), COL)
			else
				keytext = keytext .. p
			end
		end
		print(extend_string(render_value(v, viz.value_units, delta), COL) .. keytext)
	end
end

function parse_numeric_input(value, name)
	local n = tonumber(value)
	if n == nil then
		print(string.format("Input %s must be a number.", name))
		os.exit()
	end
	return n
end

function copytable(t)
	if type(t) ~= "table" then
		return t
	end
	local c = {}
	for k, v in next, t, nil do
		c[copytable(k)] = copytable(v)
	end
	return setmetatable(c, copytable(getmetatable(t)))
end

function concattable(dst, src)
	for i = 1, #src do
		dst[#dst + 1] = src[i]
	end
	return dst
end

function typeof(v)
	local t = type(v)
	if t ~= "table" and t ~= "userdata" then
		return t
	end
	local mt = getmetatable(v)
	if mt ~= nil and mt._NAME ~= nil then
		return mt._NAME
	end
	return t
end

-- A table serialized as Lua-like text, for debugging.
function st(v, name, one_line, depth)
	depth = depth or 0
	local nl = one_line and "" or "\n"
	local s = string.rep(" ", depth) .. (name and (tostring(name) .. " = ") or "")
	local t = type(v)
	if t == "table" then
		s = s .. "{" .. nl
		for k, x in pairs(v) do
			s = s .. st(x, k, one_line, depth + 1) .. "," .. nl
		end
		return s .. string.rep(" ", depth) .. "}"
	elseif t == "number" or t == "boolean" then
		return s .. tostring(v)
	elseif t == "string" then
		return s .. string.format("%q", v)
	end
	return s .. "\"[inserializeable datatype:" .. t .. "]\""
end
