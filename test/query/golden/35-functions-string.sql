SELECT lowerUTF8(router_method) AS `m`, concat(router_method, {p3:String}, router_path) AS `line`, lengthUTF8(message) AS `len`, substringUTF8(router_path, if(({p4:Int64}) = 0, 1, {p4:Int64}), {p5:Int64}) AS `prefix`, toBool(startsWith(router_path, {p6:String})) AS `api`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p7:UInt64}
