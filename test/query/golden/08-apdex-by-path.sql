SELECT `router.path` AS `router.path`, `apdex` AS `apdex`, `n` AS `n`
FROM (
  SELECT attrs.router.path AS `router.path`, ((countIf(attrs.router.service <= {p4:Int64}) + countIf(attrs.router.service > {p4:Int64} AND attrs.router.service <= 4 * {p4:Int64}) / 2) / count(attrs.router.service)) AS `apdex`, count() AS `n`
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
  GROUP BY attrs.router.path
)
WHERE (`n` >= {p5:Int64})
ORDER BY `apdex` ASC
LIMIT {p6:UInt64}
