SELECT toStartOfInterval(ts, toIntervalMinute({p3:Int64}), {p4:String}) AS `bin(5m)`, count() AS `n`, quantile(0.99)(router_service) AS `p99`, uniqExact(router_path) AS `paths`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
GROUP BY toStartOfInterval(ts, toIntervalMinute({p3:Int64}), {p4:String})
ORDER BY toStartOfInterval(ts, toIntervalMinute({p3:Int64}), {p4:String}) ASC
LIMIT {p5:UInt64}
