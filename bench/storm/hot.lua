-- hot.lua: readers of hot pages for bench/storm. Each request asks for
-- one of the paths in HOT_FILE (in turn, each thread from its own start)
-- with a browser's User-Agent and says it forwards for one of CLIENTS
-- reader addresses (198.18.0.0/15, the benchmarking range), so newsdesk
-- with --trust-proxy sees them as readers apart from the crawler. It
-- counts the X-Cache answers (hits are what readers of hot pages get).
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("HOT_FILE")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  pos = id
  clients = tonumber(os.getenv("CLIENTS") or "1000")
  client = id * 97
  hits, misses, other = 0, 0, 0
end

function request()
  local p = paths[(pos % #paths) + 1]
  pos = pos + 1
  client = client % clients + 1
  return wrk.format("GET", p, {
    ["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(client / 250), client % 250 + 1),
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ["Accept-Encoding"] = "gzip, br",
  })
end

function response(status, headers, body)
  local x = headers["X-Cache"]
  if x == "hit" then hits = hits + 1
  elseif x == "miss" then misses = misses + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + (t:get("hits") or 0); m = m + (t:get("misses") or 0); o = o + (t:get("other") or 0)
  end
  io.write(string.format("xcache hits=%d misses=%d other=%d\n", h, m, o))
end
