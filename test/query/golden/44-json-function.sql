SELECT JSON_VALUE(message, {p3:String}) AS `uid`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND isNotNull(JSON_VALUE(message, {p3:String}))
ORDER BY ts DESC
LIMIT {p4:UInt64}
