-- spy_users: what interactive users run and where they cd, indented by shell depth.
description = "Shows interactive user activity: every command run below a shell (execve) and every directory change inside a shell (chdir), with the shell's pid, the time and the user, indented by how deep below the login shell it happened. max_depth hides deeper levels. With the print-container option lines name the container, blue for containers and green for the host."
short_description = "What interactive users run, by shell depth"
category = "Security"
args = {
	{ name = "max_depth", description = "the deepest level of the process tree to show", argtype = "int", optional = true },
	{ name = "disable_color", description = "'disable_color' turns colours off", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local MAX_ANCESTORS = 16
local max_depth = -1
local ftype, fexe, fargs, fpath, fuser, ftime, fpid, fppid, fcname, fcid
-- Handles of proc.aname[j] and proc.apid[j], indexed from 0. Every chdir shifts both up by one
-- (table.insert at 0), exactly as sysdig's own chisel does, so later lookups read the ancestor
-- one level closer; the output depends on it.
local aname_h, apid_h = {}, {}
local with_container = false
-- pid -> { depth below its shell, the shell's pid }; depth -1: not under a shell.
local tree = {}

function on_set_arg(name, val)
	if name == "max_depth" then
		max_depth = parse_numeric_input(val, name)
	elseif name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	end
	return true
end

function on_init()
	ftype = chisel.request_field("evt.type")
	fexe = chisel.request_field("proc.exe")
	fargs = chisel.request_field("proc.args")
	fpath = chisel.request_field("evt.arg.path")
	fuser = chisel.request_field("user.name")
	ftime = chisel.request_field("evt.time.s")
	fpid = chisel.request_field("proc.pid")
	fppid = chisel.request_field("proc.ppid")
	fcname = chisel.request_field("container.name")
	fcid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false")
	for j = 0, MAX_ANCESTORS do
		aname_h[j] = chisel.request_field("proc.aname[" .. j .. "]")
		apid_h[j] = chisel.request_field("proc.apid[" .. j .. "]")
	end
	return true
end

-- Finds the shell above `ppid` and records ppid's place under it.
local function place(ppid)
	tree[ppid] = { -1 }
	for j = 1, MAX_ANCESTORS do
		local name = evt.field(aname_h[j])
		if name == nil then
			if evt.field(apid_h[j]) == nil then
				break
			end
		elseif #name >= 2 and name:sub(-2) == "sh" then
			local shell = evt.field(apid_h[j])
			if tree[shell] then
				tree[ppid] = { j - 1, shell }
			else
				tree[ppid] = { 0, shell }
			end
		end
	end
end

function on_event()
	local pid, ppid = evt.field(fpid), evt.field(fppid)
	local is_cd = evt.field(ftype) == "chdir"
	local user = evt.field(fuser) or "<NA>"
	local cname, cid = evt.field(fcname), evt.field(fcid)
	local offset = 1
	if is_cd then
		ppid = pid
		table.insert(aname_h, 0, 0)
		table.insert(apid_h, 0, 0)
		offset = 0
	end
	if not tree[ppid] then
		place(ppid)
	end
	if tree[ppid][1] == -1 then
		return true
	end
	if not tree[pid] then
		tree[pid] = { 1 + tree[ppid][1], tree[ppid][2] }
	end
	local depth, shell = tree[pid][1], tree[pid][2]
	if max_depth ~= -1 and depth - offset > max_depth then
		return true
	end
	local color = ""
	local who = user
	if with_container then
		color = term.green
		if cname ~= "host" then
			color = term.blue
		end
		who = user .. "@" .. cname
	end
	local what
	if is_cd then
		what = "cd " .. evt.field(fpath)
	else
		what = evt.field(fexe) .. " " .. evt.field(fargs)
	end
	-- Commands indent by 3 per level, directory changes (and container lines) by 4.
	local step = 3
	if is_cd or with_container then
		step = 4
	end
	print(color .. extend_string("", step * (depth - offset)) .. shell .. " " .. evt.field(ftime) .. " " ..
		who .. ") " .. what)
	return true
end

function on_capture_end()
	print(term.reset)
end
