-- memcachelog: memcached get and set commands seen on the wire.
description = "Prints the memcached get and set commands that go through port 11211 or a memcached process: time, method, object size and key. The arguments keep only one method, and for set only objects of at least the given size."
short_description = "Log of memcached get and set requests"
category = "Application"
args = {
	{ name = "method", description = "get or set", optional = true },
	{ name = "size", description = "the smallest object size to show for set", optional = true },
}

local only_method, min_size
local fdata, fdatetime

function on_set_arg(name, val)
	if name == "method" then
		only_method = val
		return true
	elseif name == "size" then
		min_size = tonumber(val)
		return true
	end
	return false
end

local function words(s)
	local out = {}
	for w in (s .. " "):gmatch("(.-) ") do
		out[#out + 1] = w
	end
	return out
end

function on_init()
	sysdig.set_filter("(fd.sport=11211 or proc.name=memcached) and evt.is_io=true")
	sysdig.set_snaplen(4096)
	fdata = chisel.request_field("evt.arg[1]")
	fdatetime = chisel.request_field("evt.datetime")
	return true
end

function on_event()
	local w = words(evt.field(fdata))
	if string.match(w[1], "^[gs]et") == nil or w[2] == nil then
		return true
	end
	local method, key, size = w[1], w[2], tonumber(w[5]) or 0
	if only_method ~= nil and only_method ~= method then
		return true
	end
	if only_method == "set" and min_size ~= nil and size < min_size then
		return true
	end
	print(string.format("%s method=%s size=%dB key=%s", evt.field(fdatetime), method, size, key))
	return true
end
