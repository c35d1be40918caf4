SELECT toHour(ts, {p3:String}) AS `hour`, count() AS `count()`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
GROUP BY toHour(ts, {p3:String})
ORDER BY toHour(ts, {p3:String}) ASC
LIMIT {p4:UInt64}
