-- schemactl 0001 "create tasks"
-- dialect: sqlite
-- planned-against: h1:isyPk8QjSaKyHdzmiYybjMF/FYD0cyNyOgYca9ET/v0=
-- +up
-- create table "task"
CREATE TABLE `task` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `title` text NOT NULL,
  `done` boolean NOT NULL DEFAULT false
);
-- +down
-- drop table "task"
DROP TABLE `task`;
