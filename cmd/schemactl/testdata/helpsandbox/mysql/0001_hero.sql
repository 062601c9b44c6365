-- schemactl 0001 "hero"
-- dialect: mysql
-- +up
CREATE TABLE `hero` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(100) NULL, PRIMARY KEY (`id`));
-- +down
DROP TABLE `hero`;
