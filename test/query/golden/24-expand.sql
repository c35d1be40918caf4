SELECT `_e0` AS `tag`, count() AS `count()`
FROM events
ARRAY JOIN JSONExtract(assumeNotNull(ifNull(dynamicElement(getSubcolumn(attrs, {p3:String}), 'String'), toJSONString(getSubcolumn(attrs, {p3:String})))), 'Array(Nullable(String))') AS `_e0`
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
GROUP BY `_e0`
ORDER BY `_e0` ASC
LIMIT {p4:UInt64}
