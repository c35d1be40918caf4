SELECT formatDateTime(ts, {p3:String}, {p4:String}) AS `day`, toDayOfWeek(ts, 0, {p4:String}) AS `dow`, toUnixTimestamp(ts) AS `unix`, toStartOfInterval(ts, toIntervalHour({p5:Int64}), {p4:String}) AS `hour_start`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p6:UInt64}
