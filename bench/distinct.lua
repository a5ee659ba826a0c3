-- distinct.lua: requests PATH_BASE with a counter appended (&n=1, &n=2, ...),
-- so every request is a different URL and misses the page cache while the
-- work behind it (e.g. one search) stays the same. Like cold.lua, each
-- request forwards for one of CLIENTS addresses (default 50) in turn.
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  n = id * 1000000
  base = os.getenv("PATH_BASE")
  clients = tonumber(os.getenv("CLIENTS") or "50")
  client = id
end

function request()
  n = n + 1
  client = client % clients + 1
  return wrk.format("GET", base .. "&n=" .. n, { ["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(client / 250), client % 250 + 1) })
end
