SELECT `t` AS `t`, `n` AS `n`, toBool(`_real` = 0) AS `@fill`
FROM (
  SELECT `t` AS `t`, `n` AS `n`, `_real` AS `_real`, {p9:Int64} AS `_i0`
  FROM (
    SELECT toStartOfInterval(ts, toIntervalMinute({p3:Int64}), {p4:String}) AS `t`, count() AS `n`, toUInt8(1) AS `_real`
    FROM events
    WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
    GROUP BY toStartOfInterval(ts, toIntervalMinute({p3:Int64}), {p4:String})
  )
  ORDER BY `t` ASC WITH FILL FROM toStartOfInterval({p1:DateTime64(6, 'UTC')}, toIntervalMinute({p5:Int64}), {p4:String}) TO toStartOfInterval({p2:DateTime64(6, 'UTC')} - toIntervalMicrosecond(1), toIntervalMinute({p6:Int64}), {p4:String}) + toIntervalMinute({p7:Int64}) STEP toIntervalMinute({p8:Int64})
  INTERPOLATE (`_i0` AS `_i0`, `n` AS `_i0`)
)
ORDER BY `t` ASC
LIMIT {p10:UInt64}
