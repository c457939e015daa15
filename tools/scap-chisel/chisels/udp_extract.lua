-- udp_extract: the payloads of UDP sockets, one file per socket.
local DIR = "./udp_dump_files"
description = "Reads a trace file and writes the data received and sent on each UDP socket into its own file under " .. DIR .. ", named after the socket's tuple (':' becomes '_' and '>' becomes '-')."
short_description = "Write the data of each UDP socket to its own file."
category = "I/O"
args = {}

local files = {}
local fbuf, fname

function on_init()
	fbuf = chisel.request_field("evt.rawarg.data")
	chisel.request_field("evt.rawarg.res")
	fname = chisel.request_field("fd.name")
	chisel.request_field("fd.type")
	os.execute("mkdir " .. DIR .. " 2> /dev/null")
	sysdig.set_snaplen(16384)
	chisel.set_filter("evt.dir=< and evt.rawres>=0 and fd.l4proto=udp and evt.is_io=true")
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	return true
end

function on_event()
	local name = evt.field(fname)
	local f = files[name]
	if not f then
		local path = (DIR .. "/" .. name):gsub(":", "_"):gsub(">", "-")
		f = io.open(path, "w")
		files[name] = f
	end
	f:write(evt.field(fbuf))
	return true
end

function on_capture_end()
	for _, f in pairs(files) do
		f:close()
	end
end
