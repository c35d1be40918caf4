SELECT router_path AS `router.path`, router_service AS `ms`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY router_service DESC
LIMIT {p3:UInt64}
