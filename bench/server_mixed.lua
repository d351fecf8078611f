-- server_mixed.lua - wrk script for bench/bench_server.sh: mixed reads and
-- writes against `taizhang serve` as one logged-in 填报 account.
--
-- Environment: TZ_COOKIE (the tz_session value), TZ_CSRF (its CSRF token),
-- TZ_ROWS_PER_THREAD (bench rows each wrk thread owns), TZ_ROW_PREFIX (the
-- bench rows' 户编号 without the last 5 digits), TZ_WRITE_PCT (percent of
-- requests that are writes).
--
-- Reads (the rest): a page of households (50 rows at a random offset), the
-- county's check, and one indicator for a township. Writes: a change of one
-- bench row, sent with the version the thread last saw for it. Each thread
-- owns its own rows and never has two requests in flight on one row, so a
-- write should never meet a stale version; a 409 is still counted (and
-- would be a correct answer, not an error). The thread learns the new
-- version from the answer (the row comes back with it).
--
-- done() prints one line the shell script reads:
--   TZBENCH requests=N reads2xx=N writes2xx=N c409=N other=N inflight=N sockerr=N bytes=N
-- inflight: changes sent but not answered when wrk stopped at its duration
-- (the server may or may not have applied them: at most that many more)

local cookie = os.getenv("TZ_COOKIE") or ""
local csrf = os.getenv("TZ_CSRF") or ""
local per_thread = tonumber(os.getenv("TZ_ROWS_PER_THREAD") or "150")
local prefix = os.getenv("TZ_ROW_PREFIX") or "41162894"
local write_pct = tonumber(os.getenv("TZ_WRITE_PCT") or "10")

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- per thread (globals of the thread's own Lua state)
reads2xx, writes2xx, c409, other = 0, 0, 0, 0
inflight = 0        -- changes sent and not yet answered
local version = {}   -- key -> version last seen
local busy = {}      -- key -> true while a change is in flight
local value = {}     -- key -> the last value written
local keys = {}

function init(args)
   math.randomseed(tid * 7919 + 17)
   for i = 0, per_thread - 1 do
      local k = string.format("%s%05d", prefix, tid * per_thread + i)
      keys[#keys + 1] = k
      version[k] = 1
      value[k] = 1000
   end
end

local function hdrs(extra)
   local h = { ["Cookie"] = "tz_session=" .. cookie }
   if extra then
      for k, v in pairs(extra) do h[k] = v end
   end
   return h
end

local indicator = "/api/indicators/%E6%88%B7%E6%88%B7%E9%80%9A%E5%AE%89%E8%A3%85%E6%88%B7%E6%95%B0"
local towns = { "411628001000", "411628002000", "411628101000", "411628102000" }
local rr = 0

local function free_key()
   -- a row of this thread with no change in flight
   for _ = 1, 8 do
      rr = rr % #keys + 1
      local k = keys[rr]
      if not busy[k] then return k end
   end
   return nil
end

function request()
   local r = math.random(100)
   if r <= write_pct then
      local k = free_key()
      if k then
         busy[k] = true
         inflight = inflight + 1
         value[k] = value[k] + 1
         local body = string.format('{"户编号":"%s","人均纯收入(元)":"%d","_version":%d}',
                                    k, value[k], version[k])
         return wrk.format("POST", "/api/ledgers/households/rows",
                           hdrs({ ["Content-Type"] = "application/json",
                                  ["X-CSRF-Token"] = csrf }), body)
      end
   end
   if r <= write_pct + 60 then
      -- below the 12 000 demo households: a page never holds a bench row
      local off = math.random(0, 11900)
      return wrk.format("GET", "/api/ledgers/households/rows?limit=50&offset=" .. off, hdrs())
   elseif r <= write_pct + 75 then
      return wrk.format("GET", "/api/check?region=411628&period=2019", hdrs())
   end
   return wrk.format("GET", indicator .. "?region=" .. towns[math.random(#towns)] ..
                     "&period=2019", hdrs())
end

function response(status, headers, body)
   -- a write's answer carries the row: its key and new version
   local k = nil
   local v = nil
   if body then
      k = body:match('"户编号"%s*:%s*"(' .. prefix .. '%d+)"')
      v = body:match('"_?version"%s*:%s*(%d+)')
   end
   local is_write = k ~= nil and busy[k]
   if is_write then
      busy[k] = nil
      inflight = inflight - 1
      if v then version[k] = tonumber(v) end
   end
   if status >= 200 and status < 300 then
      if is_write then writes2xx = writes2xx + 1 else reads2xx = reads2xx + 1 end
   elseif status == 409 then
      c409 = c409 + 1
      if is_write then value[k] = value[k] - 1 end
   else
      other = other + 1
      if other <= 5 then
         io.stderr:write(string.format("status %d: %s\n", status, (body or ""):sub(1, 300)))
      end
   end
end

function done(summary, latency, requests)
   local t = { reads2xx = 0, writes2xx = 0, c409 = 0, other = 0, inflight = 0 }
   for _, thread in ipairs(threads) do
      for name, _ in pairs(t) do
         t[name] = t[name] + (thread:get(name) or 0)
      end
   end
   local e = summary.errors
   local sockerr = e.connect + e.read + e.write + e.timeout
   io.write(string.format(
      "TZBENCH requests=%d reads2xx=%d writes2xx=%d c409=%d other=%d inflight=%d sockerr=%d bytes=%d\n",
      summary.requests, t.reads2xx, t.writes2xx, t.c409, t.other, t.inflight, sockerr, summary.bytes))
end
