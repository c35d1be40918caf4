SELECT `router.path` AS `router.path`, avg(`n`) AS `avg_per_hour`
FROM (
  SELECT router_path AS `router.path`, toStartOfInterval(ts, toIntervalHour({p3:Int64}), {p4:String}) AS `hour`, count() AS `n`
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
  GROUP BY router_path, toStartOfInterval(ts, toIntervalHour({p3:Int64}), {p4:String})
)
GROUP BY `router.path`
ORDER BY `router.path` ASC
LIMIT {p5:UInt64}
