SELECT proc AS `proc`, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String}) AS `bin(10m)`, avg(accurateCastOrNull(attrs.sample.load_avg_1m, 'Float64')) AS `load`, max(accurateCastOrNull(attrs.sample.memory_total, 'Float64')) AS `mem`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY proc, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String})
ORDER BY proc ASC, toStartOfInterval(ts, toIntervalMinute({p4:Int64}), {p5:String}) ASC
LIMIT {p6:UInt64}
