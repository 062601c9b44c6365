-- schemactl 0003 "no down: irreversible"
-- revises: 0002
-- +up
DELETE FROM hero WHERE age IS NULL;
