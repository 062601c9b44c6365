-- schemactl 0003 "team"
-- dialect: sqlite
-- revises: 0002
-- +up
CREATE TABLE `team` (`id` int NOT NULL, PRIMARY KEY (`id`));
-- +down
DROP TABLE `team`;
