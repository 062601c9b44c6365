-- schemactl 0001 "hero"
-- dialect: sqlite
-- +up
CREATE TABLE `hero` (`id` int NOT NULL, `name` varchar(100) NULL, PRIMARY KEY (`id`));
-- +down
DROP TABLE `hero`;
