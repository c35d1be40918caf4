SELECT ts AS `@ts`, router_method AS `router.method`, router_path AS `router.path`, router_service AS `router.service`, router_dyno AS `router.dyno`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (router_service > {p3:Int64})
ORDER BY router_service DESC
LIMIT {p4:UInt64}
