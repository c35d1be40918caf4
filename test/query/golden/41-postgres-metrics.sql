SELECT attrs.sample_source AS `sample_source`, max(attrs.sample.active_connections) AS `conns`, avg(attrs.sample.index_cache_hit_rate) AS `hit`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY attrs.sample_source
ORDER BY attrs.sample_source ASC
LIMIT {p4:UInt64}
