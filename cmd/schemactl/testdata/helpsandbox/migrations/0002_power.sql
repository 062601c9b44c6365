-- schemactl 0002 "power"
-- dialect: sqlite
-- revises: 0001
-- +up
ALTER TABLE `hero` ADD COLUMN `power` int NULL;
-- +down
ALTER TABLE `hero` DROP COLUMN `power`;
