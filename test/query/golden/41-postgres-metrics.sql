SELECT CAST(attrs.sample_source AS Nullable(String)) AS `sample_source`, max(accurateCastOrNull(attrs.sample.active_connections, 'Float64')) AS `conns`, avg(accurateCastOrNull(attrs.sample.index_cache_hit_rate, 'Float64')) AS `hit`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY CAST(attrs.sample_source AS Nullable(String))
ORDER BY CAST(attrs.sample_source AS Nullable(String)) ASC
LIMIT {p4:UInt64}
