SELECT `router.dyno` AS `router.dyno`, `n` AS `n`
FROM (
  SELECT router_dyno AS `router.dyno`, count() AS `n`
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
  GROUP BY router_dyno
)
WHERE (`n` > {p3:Int64})
ORDER BY `router.dyno` ASC
LIMIT {p4:UInt64}
