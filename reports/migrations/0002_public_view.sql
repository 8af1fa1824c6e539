-- The public face of a report: no reporter, no rating comment, no token, no channel. Published as the
-- field_reports layer (OGC API, tiles, scenarios) and read by the Open311 GET endpoints.
CREATE VIEW reports_public AS
SELECT r.id,
       c.code AS service_code,
       c.name AS service_name,
       r.status,
       CASE WHEN r.status IN ('received', 'accepted', 'assigned', 'in_progress') THEN 'open' ELSE 'closed' END
           AS open311_status,
       r.status_notes,
       r.description,
       r.address,
       r.commune_code,
       r.commune_name,
       r.department,
       r.agency_responsible,
       r.requested_at,
       r.updated_at,
       r.due_at,
       (r.status IN ('received', 'accepted', 'assigned', 'in_progress') AND r.due_at < now()) AS overdue,
       r.rating,
       CASE WHEN r.photo <> '' THEN '/media/reports/' || r.photo ELSE r.media_url END AS media_url,
       r.synthetic,
       r.geom
FROM reports_fieldreport r
JOIN reports_servicecategory c ON c.id = r.category_id;

-- Duplicate suggestions measure metres on the spheroid: index the geography cast they filter on.
CREATE INDEX reports_fieldreport_geog_idx ON reports_fieldreport USING gist ((geom::geography));
