-- schemactl 0005
-- revises: 0004

-- +up
-- +down
