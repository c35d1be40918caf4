SELECT ts AS `@ts`, attrs.router.method AS `router.method`, attrs.router.path AS `router.path`, attrs.router.status AS `router.status`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((environment = {p3:String}) AND (attrs.router.status >= {p4:Int64}))
ORDER BY ts DESC
LIMIT {p5:UInt64}
