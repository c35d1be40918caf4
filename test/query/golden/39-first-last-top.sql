SELECT argMin(router_path, ts) AS `first_path`, argMax(router_path, ts) AS `last_path`, topK(3)(router_path) AS `top_paths`, uniqExact(router_fwd) AS `clients`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
LIMIT {p3:UInt64}
