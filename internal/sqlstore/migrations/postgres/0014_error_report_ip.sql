-- 0014_error_report_ip: find a reader's earlier entries on a report by
-- address without reading all of them (a report merged from thousands of
-- submissions stays one lookup).
CREATE INDEX error_report_entries_ip ON error_report_entries(report_id, ip);
