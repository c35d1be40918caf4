SELECT path(CAST(attrs.request.url AS Nullable(String))) AS `path`, domain(CAST(attrs.request.url AS Nullable(String))) AS `host`, extractURLParameter(router_path, {p3:String}) AS `page`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p4:UInt64}
