SELECT proc AS `proc`, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String}) AS `bin(10m)`, max(accurateCastOrNull(attrs.dyno.memory_pct, 'Float64')) AS `pct`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (accurateCastOrNull(attrs.dyno.memory_pct, 'Float64') > {p3:Int64})
GROUP BY proc, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String})
ORDER BY proc ASC, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String}) ASC
LIMIT {p6:UInt64}
