SELECT ts AS `@ts`, message AS `message`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((ts >= {p4:DateTime64(6, 'UTC')}) AND (ts < (now64(6) - toIntervalMinute({p5:Int64}))))
ORDER BY ts DESC
LIMIT {p6:UInt64}
