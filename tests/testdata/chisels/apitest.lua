-- apitest: exercises the chisel API (fields, timestamps, intervals, capture callbacks) with
-- fields every stage knows, so its output can be compared with sysdig on any trace.
description = "api test"; short_description = "api test"; category = "Test"
args = { { name = "limit", description = "n", argtype = "int", optional = true } }
local limit = 5
function on_set_arg(n, v) limit = tonumber(v) return true end
local counts, n, ft, fp, fn, fd = {}, 0
function on_init()
  ft = chisel.request_field("evt.type"); fp = chisel.request_field("thread.tid"); fn = chisel.request_field("evt.num")
  fd = chisel.request_field("evt.dir")
  chisel.set_interval_ns(100000000)
  return true
end
function on_capture_start() print("start", sysdig.is_live(), sysdig.get_filter()) return true end
function on_event()
  n = n + 1
  local t = evt.field(ft)
  counts[t] = (counts[t] or 0) + 1
  if n <= limit then
    local s, ns = evt.get_ts()
    print(evt.get_num(), s, ns, evt.get_type(), evt.get_cpuid(), evt.field(fp), evt.field(fn), evt.field(fd), type(evt.field(fn)))
  end
  return true
end
function on_interval(s, ns, delta) print("interval", s, ns, delta, n) return true end
function on_capture_end(s, ns, delta)
  local keys = {}
  for k in pairs(counts) do keys[#keys+1] = k end
  table.sort(keys, function(a, b) if counts[a] ~= counts[b] then return counts[a] > counts[b] end return a < b end)
  for _, k in ipairs(keys) do print(k, counts[k]) end
  print("end", s, ns, delta, sysdig.get_firstevent_ts(), sysdig.get_lastevent_ts())
end
