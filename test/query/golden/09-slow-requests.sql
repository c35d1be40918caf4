SELECT ts AS `@ts`, attrs.router.method AS `router.method`, attrs.router.path AS `router.path`, attrs.router.service AS `router.service`, attrs.router.dyno AS `router.dyno`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (attrs.router.service > {p3:Int64})
ORDER BY attrs.router.service DESC
LIMIT {p4:UInt64}
