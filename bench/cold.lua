-- cold.lua: every request asks for a different article page, one never
-- viewed before (a cache miss). Paths come from the file named by
-- COLD_FILE; thread k of n takes paths START+k, START+k+n, ... It counts the
-- X-Cache answers, so the run can say how many really were misses.
-- Each request says it forwards for one of CLIENTS addresses (default 50,
-- in 198.18.0.0/15, the benchmarking range) in turn, so that newsdesk
-- with --trust-proxy queues the renders as that many readers' (without it,
-- every loopback request is one client and most would get 429).
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
  -- START skips that many paths (a run that goes on from an earlier one).
  pos = id + tonumber(os.getenv("START") or "0")
  if pos > #paths then pos = id end
  hits, misses, other = 0, 0, 0
  clients = tonumber(os.getenv("CLIENTS") or "50")
  client = id
end

-- forwarded returns the next client's X-Forwarded-For header.
function forwarded()
  client = client % clients + 1
  return { ["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(client / 250), client % 250 + 1) }
end

function request()
  local p = paths[pos]
  pos = pos + stride
  if pos > #paths then pos = id end
  return wrk.format("GET", p, forwarded())
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
    h = h + (t:get("hits") or 0); m = m + (t:get("misses") or 0); o = o + (t:get("other") or 0)
  end
  io.write(string.format("xcache hits=%d misses=%d other=%d\n", h, m, o))
end
