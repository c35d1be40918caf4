SELECT getSubcolumn(attrs, {p5:String}) AS `affected`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (accurateCastOrNull(getSubcolumn(attrs, {p3:String}), 'Int64') > {p4:Int64})
ORDER BY ts DESC
LIMIT {p6:UInt64}
