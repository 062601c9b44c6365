-- schemactl 0004 "crlf \"quoted\" message"
-- revises: 0003
-- +up
-- one
SELECT 1;
-- +down
