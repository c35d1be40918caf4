SELECT ts AS `@ts`, attrs.api.release AS `api.release`, attrs.api.user AS `api.user`, attrs.api.commit AS `api.commit`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND ((event_type = {p3:String}) AND (attrs.api.action = {p4:String}))
ORDER BY ts DESC
LIMIT {p5:UInt64}
