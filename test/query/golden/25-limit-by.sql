SELECT ts AS `@ts`, toJSONString(attrs::JSON) AS `@preview`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (attrs.router.status >= {p3:Int64})
ORDER BY attrs.router.service DESC
LIMIT {p4:UInt64} BY attrs.router.path
LIMIT {p5:UInt64}
