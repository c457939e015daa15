-- list_login_shells: the login shell ids of the commands run during the capture.
description = "Prints the id of the login shell that ran commands during the capture (from proc.loginshellid at each execve). The arguments keep only commands whose name, or whose arguments, contain the given text; '*' matches any name."
short_description = "Login shell ids of the commands run"
category = "Security"
args = {
	{ name = "command", description = "text the command name must contain ('*' for any)", argtype = "string", optional = true },
	{ name = "arguments", description = "text the command's arguments must contain", argtype = "string", optional = true },
}

require "common"
local want_comm, want_args
local fsid, fexe, fargs, fcname, fcid
local with_container = false
-- The last matching execve's shell id and container. Like sysdig, the shell id is printed once
-- for each of these three that has a value.
local last = {}

function on_set_arg(name, val)
	if name == "command" then
		if val ~= "*" then want_comm = val end
	elseif name == "arguments" then
		want_args = val
	end
	return true
end

function on_init()
	fsid = chisel.request_field("proc.loginshellid")
	fexe = chisel.request_field("evt.arg.exe")
	fargs = chisel.request_field("evt.arg.args")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("evt.type=execve")
	return true
end

function on_event()
	local sid, exe, cmdargs = evt.field(fsid), evt.field(fexe), evt.field(fargs)
	if not (sid and exe) then
		return true
	end
	if want_comm and string.find(exe, want_comm) == nil then
		return true
	end
	if want_args and cmdargs and string.find(cmdargs, want_args) == nil then
		return true
	end
	last = { sid = sid, cname = evt.field(fcname), cid = evt.field(fcid) }
	return true
end

function on_capture_end()
	if want_comm then
		print("Shells containing " .. want_comm .. ":")
	else
		print("All shells:")
	end
	for _, key in ipairs({ "sid", "cname", "cid" }) do
		if last[key] ~= nil then
			if with_container then
				print(last.sid .. " " .. last.cname .. " " .. last.cid)
			else
				print(last.sid)
			end
		end
	end
end
