SELECT ts AS `@ts`, getSubcolumn(attrs, {p5:String}) AS `duration`, getSubcolumn(attrs, {p6:String}) AS `user.id`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (accurateCastOrNull(getSubcolumn(attrs, {p3:String}), 'Float64') > {p4:Int64})
ORDER BY ts DESC
LIMIT {p7:UInt64}
