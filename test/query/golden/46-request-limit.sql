SELECT ts AS `@ts`, toJSONString(attrs::JSON) AS `@preview`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (level = {p3:String})
ORDER BY ts DESC
LIMIT {p4:UInt64}
