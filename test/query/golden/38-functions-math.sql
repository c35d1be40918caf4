SELECT round((router_service / {p3:Int64}), 2) AS `secs`, abs(-(router_service)) AS `a`, floor(log10((router_bytes + {p4:Int64}))) AS `mag`, pow({p5:Int64}, {p6:Int64}) AS `eight`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p7:UInt64}
