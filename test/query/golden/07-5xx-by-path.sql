SELECT router_path AS `router.path`, router_status AS `router.status`, count() AS `errors`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (router_status BETWEEN {p3:Int64} AND {p4:Int64})
GROUP BY router_path, router_status
ORDER BY count() DESC
LIMIT {p5:UInt64}
