SELECT `router.path` AS `router.path`, `apdex` AS `apdex`, `n` AS `n`
FROM (
  SELECT router_path AS `router.path`, ((countIf(router_service <= {p4:Int64}) + countIf(router_service > {p4:Int64} AND router_service <= 4 * {p4:Int64}) / 2) / count(router_service)) AS `apdex`, count() AS `n`
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
  GROUP BY router_path
)
WHERE (`n` >= {p5:Int64})
ORDER BY `apdex` ASC
LIMIT {p6:UInt64}
