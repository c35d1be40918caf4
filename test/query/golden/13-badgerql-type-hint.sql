SELECT CAST(getSubcolumn(attrs, {p5:String}) AS Nullable(String)) AS `controller`, count() AS `count()`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (accurateCastOrNull(getSubcolumn(attrs, {p3:String}), 'Int64') >= {p4:Int64})
GROUP BY CAST(getSubcolumn(attrs, {p5:String}) AS Nullable(String))
ORDER BY CAST(getSubcolumn(attrs, {p5:String}) AS Nullable(String)) ASC
LIMIT {p6:UInt64}
