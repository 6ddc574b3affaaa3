-- POST /events: hotline reports at random points of the box LAT0..LAT1 x LON0..LON1 (set by
-- run.sh from the generated events), category 0101 (暴露垃圾)
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
local lat0, lat1 = tonumber(os.getenv("LAT0")), tonumber(os.getenv("LAT1"))
local lon0, lon1 = tonumber(os.getenv("LON0")), tonumber(os.getenv("LON1"))
request = function()
  local lat = lat0 + math.random() * (lat1 - lat0)
  local lon = lon0 + math.random() * (lon1 - lon0)
  local body = string.format(
    '{"category_code":"0101","description":"压测事件：路边暴露垃圾","lat":%.6f,"lon":%.6f,"source":"hotline"}',
    lat, lon)
  return wrk.format(nil, nil, nil, body)
end
