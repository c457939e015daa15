-- httplog: one line per HTTP request and response pair.
description = "Prints a line for each HTTP request that got a response: time, direction (< served, > sent), method, URL, response code, latency and response size. With the print-container option it names the container."
short_description = "Log of HTTP requests"
category = "Application"
args = {}

local http = require "scap_http"
local with_container = false

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	return true
end

local function log(t)
	local container = " "
	if with_container then
		container = " " .. t.container .. " "
	end
	print(string.format("%s%s%s method=%s url=%s response_code=%d latency=%dms size=%dB",
		evt.field(http.datetime), container, t.dir, t.request.method, t.request.url, t.response.code,
		(t.response.ts - t.request.ts) / 1000000, t.response.length))
end

function on_event()
	http.feed(log)
end
