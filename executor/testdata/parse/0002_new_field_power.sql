-- schemactl 0002 "new field power"
-- dialect: sqlite
-- revises: 0001
-- +up
-- add column "power" to table "hero"
ALTER TABLE `hero` ADD COLUMN `power` integer NULL;
-- +down
-- drop column "power" from table "hero"
ALTER TABLE `hero` DROP COLUMN `power`;
