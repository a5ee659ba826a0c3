-- query.lua: cycles over the search paths of one class in QUERY_FILE
-- (bench/corpus's queries.txt: class, a tab, the path) for the class
-- QUERY_CLASS, and prints the p95 latency at the end (wrk prints 50, 75,
-- 90 and 99). Run against a server with the page cache off, so every
-- request is a search.
local paths = {}
local i = 0

function init(args)
  local class = os.getenv("QUERY_CLASS")
  for line in io.lines(os.getenv("QUERY_FILE")) do
    local c, p = line:match("^([^\t]+)\t(.+)$")
    if c == class then paths[#paths + 1] = p end
  end
  if #paths == 0 then error("no query of class " .. tostring(class)) end
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  io.write(string.format("p95 %.3fms\n", latency:percentile(95) / 1000))
end
