SELECT `request_id` AS `request_id`, `service_ms` AS `service_ms`, `app_lines` AS `app_lines`, `last_app_line` AS `last_app_line`
FROM (
  SELECT request_id AS `request_id`, max(router_service) AS `service_ms`, countIf((event_type = {p5:String})) AS `app_lines`, argMax(if((event_type = {p6:String}), message, NULL), ts) AS `last_app_line`
  FROM events
  WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (isNotNull(request_id) AND ((event_type = {p3:String}) OR (event_type = {p4:String}))) AND request_id IN (SELECT request_id FROM events WHERE project_id = {p0:String} AND ts >= {p1:DateTime64(6, 'UTC')} AND ts < {p2:DateTime64(6, 'UTC')} AND (isNotNull(request_id) AND ((event_type = {p3:String}) OR (event_type = {p4:String}))) AND (router_service >= {p8:Int64}) ORDER BY router_service DESC LIMIT 1 BY request_id LIMIT 50)
  GROUP BY request_id
)
WHERE (`service_ms` >= {p7:Int64})
ORDER BY `service_ms` DESC
LIMIT {p9:UInt64}
