SELECT router_path AS `router.path`, quantile(0.95)(router_service) AS `p95`, count() AS `requests`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY router_path
ORDER BY quantile(0.95)(router_service) DESC
LIMIT {p4:UInt64}
