SELECT ts AS `@ts`, accurateCastOrNull(attrs.api.release, 'Int64') AS `api.release`, CAST(attrs.api.user AS Nullable(String)) AS `api.user`, CAST(attrs.api.commit AS Nullable(String)) AS `api.commit`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((event_type = {p3:String}) AND (CAST(attrs.api.action AS Nullable(String)) = {p4:String}))
ORDER BY ts DESC
LIMIT {p5:UInt64}
