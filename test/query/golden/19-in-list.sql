SELECT ts AS `@ts`, toJSONString(attrs::JSON) AS `@preview`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (has({p3:Array(String)}, attrs.router.method) AND NOT has({p4:Array(Int64)}, attrs.router.status))
ORDER BY ts DESC
LIMIT {p5:UInt64}
