SELECT router_path AS `router.path`, router_method AS `router.method`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p3:UInt64} BY router_path, router_method
LIMIT {p4:UInt64}
