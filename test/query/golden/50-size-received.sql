SELECT id AS `@id`, size AS `@size`, received_ts AS `@received_ts`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY size DESC
LIMIT {p3:UInt64}
