SELECT ts AS `@ts`, if(event_type = 'router', toJSONString(CAST(tuple(tuple(router_at, router_code, router_desc, router_method, router_path, router_route, router_host, if(event_type = 'router', request_id, NULL), router_fwd, router_dyno, router_connect, router_service, router_status, router_bytes, router_protocol, router_tls, router_tls_version, router_sock, router_cause, router_agent)), 'Tuple(router Tuple(at Nullable(String), code Nullable(String), desc Nullable(String), method Nullable(String), path Nullable(String), route Nullable(String), host Nullable(String), request_id Nullable(String), fwd Nullable(String), dyno Nullable(String), connect Nullable(UInt32), service Nullable(UInt32), status Nullable(UInt16), bytes Nullable(UInt64), protocol Nullable(String), tls Nullable(Bool), tls_version Nullable(String), sock Nullable(String), cause Nullable(String), agent Nullable(String)))')), toJSONString(attrs)) AS `@preview`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (router_status >= {p3:Int64})
ORDER BY router_service DESC
LIMIT {p4:UInt64} BY router_path
LIMIT {p5:UInt64}
