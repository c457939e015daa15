-- scap_io: shared bodies of the I/O chisels (byte counters and fd echoers).
local M = {}

-- A chisel that prints, every second, the bytes read and written by the events `filter` selects.
function M.byte_counter(filter)
	args = args or {}
	local fbytes, ftime, fisread
	local total, total_in, total_out = 0, 0, 0
	function on_init()
		fbytes = chisel.request_field("evt.rawarg.res")
		ftime = chisel.request_field("evt.time.s")
		fisread = chisel.request_field("evt.is_io_read")
		chisel.set_filter(filter)
		chisel.set_interval_s(1)
		return true
	end
	function on_event()
		local n = evt.field(fbytes)
		if n ~= nil and n > 0 then
			total = total + n
			if evt.field(fisread) then
				total_in = total_in + n
			else
				total_out = total_out + n
			end
		end
		return true
	end
	function on_interval()
		print(evt.field(ftime) .. " in:" .. total_in .. " out:" .. total_out .. " tot:" .. total)
		total, total_in, total_out = 0, 0, 0
		return true
	end
end

-- A chisel that prints the data of every read or write on file descriptor `fdnum`.
function M.fd_echo(fdnum)
	args = args or {}
	local fbuf
	function on_init()
		fbuf = chisel.request_field("evt.rawarg.data")
		sysdig.set_snaplen(2000)
		chisel.set_filter("fd.num=" .. fdnum .. " and evt.is_io=true")
		return true
	end
	function on_event()
		local data = evt.field(fbuf)
		if data ~= nil then
			print(data)
		end
		return true
	end
end

return M
