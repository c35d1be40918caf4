SELECT if(match(message, {p4:String}), arrayElement(extractGroups(message, {p4:String}), 1), NULL) AS `status`, avg(toInt64OrNull(if(match(message, {p4:String}), arrayElement(extractGroups(message, {p4:String}), 2), NULL))) AS `avg_ms`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY if(match(message, {p4:String}), arrayElement(extractGroups(message, {p4:String}), 1), NULL)
ORDER BY if(match(message, {p4:String}), arrayElement(extractGroups(message, {p4:String}), 1), NULL) ASC
LIMIT {p5:UInt64}
