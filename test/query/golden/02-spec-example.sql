SELECT toStartOfInterval(ts, toIntervalHour({p5:Int64}), {p6:String}) AS `bin(1h)`, router_path AS `router.path`, count() AS `errors`, quantile(0.95)(router_service) AS `p95`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((router_status >= {p3:Int64}) AND (environment = {p4:String}))
GROUP BY toStartOfInterval(ts, toIntervalHour({p5:Int64}), {p6:String}), router_path
ORDER BY count() DESC
LIMIT {p7:UInt64}
