-- GET /events/{id} over every id the generator wrote (MAXID, set by run.sh)
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local maxid = tonumber(os.getenv("MAXID"))
request = function()
  return wrk.format("GET", "/api/v1/events/" .. math.random(1, maxid))
end
