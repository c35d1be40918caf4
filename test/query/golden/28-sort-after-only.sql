SELECT attrs.router.path AS `router.path`, attrs.router.service AS `ms`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY attrs.router.service DESC
LIMIT {p3:UInt64}
