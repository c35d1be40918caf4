SELECT argMin(attrs.router.path, ts) AS `first_path`, argMax(attrs.router.path, ts) AS `last_path`, topK(3)(attrs.router.path) AS `top_paths`, uniqExact(attrs.router.fwd) AS `clients`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
LIMIT {p3:UInt64}
