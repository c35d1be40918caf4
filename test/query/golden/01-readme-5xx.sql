SELECT ts AS `@ts`, router_method AS `router.method`, router_path AS `router.path`, router_status AS `router.status`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((environment = {p3:String}) AND (router_status >= {p4:Int64}))
ORDER BY ts DESC
LIMIT {p5:UInt64}
