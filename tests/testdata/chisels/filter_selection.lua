-- Test helper for tests/it/filter_diff.rs: runs one filter of a list and prints "ID EVTNUM" for
-- every event it matches. sysdig splits chisel arguments at blanks, so the filter is not passed
-- as an argument: the argument is its line number in the file named by $FILTER_SELECTION_FILE.
-- Many instances of this chisel in one sysdig run give the selections of many filters in one
-- pass over a trace.
description = "prints ID and evt.num of every event that line ID of $FILTER_SELECTION_FILE matches"
short_description = "filter selection (tests)"
category = "tests"
args = {{name = "id", description = "line number in $FILTER_SELECTION_FILE", argtype = "int"}}

local id
local filter
local fnum

function on_set_arg(name, val)
  id = tonumber(val)
  local n = 0
  for line in io.lines(os.getenv("FILTER_SELECTION_FILE")) do
    n = n + 1
    if n == id then
      filter = line
    end
  end
  return filter ~= nil
end

function on_init()
  chisel.set_filter(filter)
  fnum = chisel.request_field("evt.num")
  return true
end

function on_event()
  print(id .. " " .. evt.field(fnum))
  return true
end
