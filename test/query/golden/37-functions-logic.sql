SELECT if((router_status >= {p3:Int64}), {p4:String}, {p5:String}) AS `kind`, multiIf((router_service > {p6:Int64}), {p7:String}, (router_service > {p8:Int64}), {p9:String}, {p10:String}) AS `speed`, coalesce(router_code, {p11:String}) AS `code`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')}
ORDER BY ts DESC
LIMIT {p12:UInt64}
