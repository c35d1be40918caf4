SELECT error_code AS `error_code`, count() AS `count()`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND isNotNull(error_code)
GROUP BY error_code
ORDER BY count() DESC
LIMIT {p3:UInt64}
