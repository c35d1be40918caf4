SELECT event_type AS `event_type`, count() AS `count()`
FROM (
  SELECT *
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
  ORDER BY ts DESC
  LIMIT {p3:UInt64}
)
GROUP BY event_type
ORDER BY event_type ASC
LIMIT {p4:UInt64}
