-- cold.lua: every request asks for a different article page, one never
-- viewed before (a cache miss). Paths come from the file named by
-- COLD_FILE; thread k of n takes paths k, k+n, k+2n, ... It counts the
-- X-Cache answers, so the run can say how many really were misses.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("COLD_FILE")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  stride = tonumber(os.getenv("WRK_THREADS") or "1")
  pos = id
  hits, misses, other = 0, 0, 0
end

function request()
  local p = paths[pos]
  pos = pos + stride
  if pos > #paths then pos = id end
  return wrk.format("GET", p)
end

function response(status, headers, body)
  local x = headers["X-Cache"]
  if x == "miss" then misses = misses + 1
  elseif x == "hit" then hits = hits + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits"); m = m + t:get("misses"); o = o + t:get("other")
  end
  io.write(string.format("xcache hits=%d misses=%d other=%d\n", h, m, o))
end
