SELECT proc AS `proc`, count() AS `r14`, max(accurateCastOrNull(attrs.dyno.memory_mb, 'Float64')) AS `peak_mb`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (error_code = {p3:String})
GROUP BY proc
ORDER BY count() DESC
LIMIT {p4:UInt64}
