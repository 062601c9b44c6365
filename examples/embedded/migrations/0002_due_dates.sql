-- schemactl 0002 "due dates"
-- dialect: sqlite
-- revises: 0001
-- planned-against: h1:E3NxMHIzvRTQJBhKUo0aoMmIKHdI1QTt2Ig5PEV0W5U=
-- +up
-- add column "due" to table "task"
ALTER TABLE `task` ADD COLUMN `due` date NULL;
-- +down
-- drop column "due" from table "task"
ALTER TABLE `task` DROP COLUMN `due`;
