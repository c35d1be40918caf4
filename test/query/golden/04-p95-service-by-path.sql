SELECT attrs.router.path AS `router.path`, quantile(0.95)(attrs.router.service) AS `p95`, count() AS `requests`
FROM events
WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (event_type = {p3:String})
GROUP BY attrs.router.path
ORDER BY quantile(0.95)(attrs.router.service) DESC
LIMIT {p4:UInt64}
