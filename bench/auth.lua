-- GET with the bench token
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
