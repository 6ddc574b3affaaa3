-- POST /events: hotline reports at random points of the generated city (lat 43.80…44.20,
-- lon 125.20…125.60), category 0101 (暴露垃圾)
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
request = function()
  local lat = 43.80 + math.random() * 0.40
  local lon = 125.20 + math.random() * 0.40
  local body = string.format(
    '{"category_code":"0101","description":"压测事件：路边暴露垃圾","lat":%.6f,"lon":%.6f,"source":"hotline"}',
    lat, lon)
  return wrk.format(nil, nil, nil, body)
end
