-- scap_http: pairs HTTP requests with their responses on each (process, fd), for httplog and
-- httptop. Buffers are read through evt.buffer, where CR LF shows as "..".
local M = {}

local fbuf, ffd, fpid, frawtime, fdir, fcontainer
-- Requests waiting for their response, by "pid\1\1fd".
local pending = {}

function M.init()
	chisel.set_filter("evt.is_io = true and evt.buflen > 0 and (fd.sockfamily = ip or fd.sockfamily = unix)")
	fbuf = chisel.request_field("evt.buffer")
	ffd = chisel.request_field("fd.num")
	fpid = chisel.request_field("proc.pid")
	frawtime = chisel.request_field("evt.rawtime")
	M.datetime = chisel.request_field("evt.datetime")
	fdir = chisel.request_field("evt.io_dir")
	fcontainer = chisel.request_field("container.name")
	sysdig.set_snaplen(1024)
end

local function request_of(buf)
	local method, url = string.match(buf, "^(%u+) (%g+)")
	if not (method and url) then
		return nil
	end
	local host = string.match(buf, "Host: (%g+)%.%.")
	if host then
		url = host .. url
	end
	return { method = method, url = url }
end

local function response_of(buf)
	local code = string.match(buf, "HTTP/[%g]+ (%d+)")
	if not code then
		return nil
	end
	return { code = tonumber(code), length = tonumber(string.match(buf, "Content%-Length: (%d+)%.%.") or 0) }
end

-- Feeds the current event; calls done(transaction) when it completes a request.
function M.feed(done)
	local buf = evt.field(fbuf)
	local key = string.format("%d\001\001%d", evt.field(fpid), evt.field(ffd))
	local ts = evt.field(frawtime)
	local t = pending[key]
	if t == nil then
		local req = request_of(buf)
		if req then
			local dir = evt.field(fdir)
			local arrow = "<NA>"
			if dir == "read" then
				arrow = "<"
			elseif dir == "write" then
				arrow = ">"
			end
			req.ts = ts
			pending[key] = { request = req, dir = arrow, container = evt.field(fcontainer) }
		end
		return
	end
	local resp = response_of(buf)
	if resp then
		resp.ts = ts
		t.response = resp
		done(t)
		pending[key] = nil
	end
end

return M
