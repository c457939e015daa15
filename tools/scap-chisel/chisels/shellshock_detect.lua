-- shellshock_detect: bash or sh started with a function definition smuggled in its environment.
description = "Watches bash and sh executions for environment variables that hold a function definition followed by more code (the shellshock pattern, CVE-2014-6271) and prints the time, parent process, parent pid and the offending definition."
short_description = "Find shellshock attack attempts"
category = "Security"
args = {}

require "common"
local fpname, fppid, fpid, fenv, ftime
local PATTERN = "%(%) ?{.+"

function on_init()
	fpname = chisel.request_field("proc.pname")
	fppid = chisel.request_field("proc.ppid")
	fpid = chisel.request_field("proc.pid")
	fenv = chisel.request_field("evt.arg.environment")
	ftime = chisel.request_field("evt.time")
	-- sysdig 0.29.3's own version writes this filter without brackets and fails to start.
	chisel.set_filter("(proc.name=bash or proc.name=sh) and evt.type=execve")
	print(extend_string("TIME", 22) .. extend_string("PROCNAME", 22) .. extend_string("PID", 8) .. "FUNCTION")
	return true
end

function on_event()
	local env = evt.field(fenv)
	if env == nil or not string.find(env, PATTERN) then
		return true
	end
	local th = sysdig.get_thread_table_nofds()[evt.field(fpid)]
	if th == nil then
		return true
	end
	for _, v in ipairs(th.env) do
		if string.find(v, PATTERN) then
			print(extend_string(evt.field(ftime), 22) .. extend_string(evt.field(fpname), 22) ..
				extend_string(tostring(evt.field(fppid)), 8) .. string.match(v, "%(%).+"))
			break
		end
	end
	return true
end
