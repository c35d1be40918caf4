SELECT toStartOfInterval(ts, toIntervalHour({p3:Int64}), {p4:String}) AS `t`, count() AS `n`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
GROUP BY toStartOfInterval(ts, toIntervalHour({p3:Int64}), {p4:String})
ORDER BY toStartOfInterval(ts, toIntervalHour({p3:Int64}), {p4:String}) ASC
LIMIT {p5:UInt64}
