-- scap_json: JSON text for the tables chisels print with -j, laid out as sysdig's chisels lay
-- theirs out (dkjson with indentation): an object puts each member on its own line, indented
-- two spaces per level of nesting (arrays count as a level), and its closing brace on a line of
-- its own; arrays stay on one line. Members come in the table's iteration order, which sysdig
-- leaves to Lua's hash order too (it changes from run to run).
local M = {}

local byte, format, gsub, rep = string.byte, string.format, string.gsub, string.rep
local floor, huge = math.floor, math.huge
local concat, type, pairs, tostring = table.concat, type, pairs, tostring

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function quote(s)
	s = gsub(s, '[%z\1-\31"\\\127]', function(c)
		return escapes[c] or format("\\u%.4x", byte(c))
	end)
	return '"' .. s .. '"'
end

-- A table is written as an array when every key is a positive integer (holes become null),
-- unless it has more than ten slots and they are mostly holes.
local function array_length(t)
	local max, n = 0, 0
	for k in pairs(t) do
		if type(k) ~= "number" or k < 1 or floor(k) ~= k then
			return nil
		end
		if k > max then
			max = k
		end
		n = n + 1
	end
	if max > 10 and max > n * 2 then
		return nil
	end
	return max
end

local put

local function put_table(t, indent, level, out)
	level = level + 1
	local n = array_length(t)
	if n then
		out[#out + 1] = "["
		for i = 1, n do
			put(t[i], indent, level, out)
			if i < n then
				out[#out + 1] = ","
			end
		end
		out[#out + 1] = "]"
		return
	end
	out[#out + 1] = "{"
	local first = true
	for k, v in pairs(t) do
		if type(k) ~= "string" and type(k) ~= "number" then
			error("a JSON key must be a string or a number, not a " .. type(k), 0)
		end
		if not first then
			out[#out + 1] = ","
		end
		first = false
		if indent then
			out[#out + 1] = "\n" .. rep("  ", level)
		end
		out[#out + 1] = quote(tostring(k)) .. ":"
		put(v, indent, level, out)
	end
	if indent then
		out[#out + 1] = "\n" .. rep("  ", level - 1)
	end
	out[#out + 1] = "}"
end

put = function(v, indent, level, out)
	local t = type(v)
	if v == nil then
		out[#out + 1] = "null"
	elseif t == "number" then
		if v ~= v or v >= huge or -v >= huge then
			out[#out + 1] = "null"
		else
			out[#out + 1] = tostring(v)
		end
	elseif t == "boolean" then
		out[#out + 1] = v and "true" or "false"
	elseif t == "string" then
		out[#out + 1] = quote(v)
	elseif t == "table" then
		put_table(v, indent, level, out)
	else
		error("a " .. t .. " cannot be written as JSON", 0)
	end
end

-- The JSON text of v; indented unless `compact` is true.
function M.encode(v, compact)
	local out = {}
	put(v, not compact, 0, out)
	return concat(out)
end

return M
