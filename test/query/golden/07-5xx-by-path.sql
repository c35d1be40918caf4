SELECT attrs.router.path AS `router.path`, attrs.router.status AS `router.status`, count() AS `errors`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (attrs.router.status BETWEEN {p3:Int64} AND {p4:Int64})
GROUP BY attrs.router.path, attrs.router.status
ORDER BY count() DESC
LIMIT {p5:UInt64}
