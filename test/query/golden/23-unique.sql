SELECT attrs.router.path AS `router.path`, attrs.router.method AS `router.method`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p3:UInt64} BY attrs.router.path, attrs.router.method
LIMIT {p4:UInt64}
