-- schemactl 0007 "hand edited"
-- revises: 0006
-- Reviewed by the DBA: the backfill was added by hand.

-- +up
-- add column
ALTER TABLE t ADD COLUMN c int;
UPDATE t SET c = 1 WHERE c IS NULL; -- backfill, added by hand
/* a block comment
   over two lines */
CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
  UPDATE t SET c = CASE WHEN new.c IS NULL THEN 0 ELSE new.c END WHERE rowid = new.rowid;
END;
-- the last statement has no semicolon
CREATE INDEX ix_c ON t (c)

-- +DOWN
DROP TRIGGER t_ai;
DROP INDEX ix_c;
ALTER TABLE t DROP COLUMN c
