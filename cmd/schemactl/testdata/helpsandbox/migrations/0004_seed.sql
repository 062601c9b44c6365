-- schemactl 0004 "seed"
-- dialect: sqlite
-- revises: 0003
-- +up
INSERT INTO `team` (`id`) VALUES (1);
-- +down
DELETE FROM `team` WHERE `id` = 1;
