SELECT router_path AS `router.path`, countIf((router_status >= {p3:Int64})) AS `errors`, count() AS `total`, (((countIf((router_status >= {p3:Int64}))) / (count())) * {p4:Int64}) AS `error_rate`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
GROUP BY router_path
ORDER BY router_path ASC
LIMIT {p5:UInt64}
