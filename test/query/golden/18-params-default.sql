SELECT ts AS `@ts`, toJSONString(attrs::JSON) AS `@preview`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((attrs.router.status >= {p3:Int64}) AND (environment = {p4:String}))
ORDER BY ts DESC
LIMIT {p5:UInt64}
