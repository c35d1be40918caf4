SELECT lowerUTF8(attrs.router.method) AS `m`, concat(attrs.router.method, {p3:String}, attrs.router.path) AS `line`, lengthUTF8(message) AS `len`, substringUTF8(attrs.router.path, {p4:Int64}, {p5:Int64}) AS `prefix`, toBool(startsWith(attrs.router.path, {p6:String})) AS `api`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p7:UInt64}
