-- GET /events/{id} over the first 100,000 ids
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/events/" .. math.random(1, 100000))
end
