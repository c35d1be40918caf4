SELECT path(attrs.request.url) AS `path`, domain(attrs.request.url) AS `host`, extractURLParameter(attrs.router.path, {p3:String}) AS `page`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p4:UInt64}
