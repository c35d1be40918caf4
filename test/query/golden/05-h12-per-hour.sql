SELECT `hour` AS `hour`, `timeouts` AS `timeouts`, toBool(`_real` = 0) AS `@fill`
FROM (
  SELECT `hour` AS `hour`, `timeouts` AS `timeouts`, `_real` AS `_real`
  FROM (
    SELECT toStartOfInterval(ts, toIntervalHour({p4:Int64}), {p5:String}) AS `hour`, count() AS `timeouts`, toUInt8(1) AS `_real`
    FROM events
    WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (router_code = {p3:String})
    GROUP BY toStartOfInterval(ts, toIntervalHour({p4:Int64}), {p5:String})
  )
  ORDER BY `hour` ASC WITH FILL FROM toStartOfInterval({p1:DateTime64(6, 'UTC')}, toIntervalHour({p6:Int64}), {p5:String}) TO toStartOfInterval({p2:DateTime64(6, 'UTC')} - toIntervalMicrosecond(1), toIntervalHour({p7:Int64}), {p5:String}) + toIntervalHour({p8:Int64}) STEP toIntervalHour({p9:Int64})
)
ORDER BY `hour` ASC
LIMIT {p10:UInt64}
