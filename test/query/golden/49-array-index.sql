SELECT arrayElement(JSONExtract(assumeNotNull(ifNull(dynamicElement(getSubcolumn(attrs, {p3:String}), 'String'), toJSONString(getSubcolumn(attrs, {p3:String})))), 'Array(Nullable(String))'), {p4:Int64}) AS `first_tag`, arrayElement(JSONExtract(assumeNotNull(ifNull(dynamicElement(getSubcolumn(attrs, {p5:String}), 'String'), toJSONString(getSubcolumn(attrs, {p5:String})))), 'Array(Nullable(String))'), {p6:Int64}) AS `last_tag`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p7:UInt64}
