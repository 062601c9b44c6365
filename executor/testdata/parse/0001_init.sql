-- schemactl 0001 "init"
-- +up
-- create table "hero"
CREATE TABLE `hero` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  -- the hero's public name; never null
  `name` text NOT NULL,
  `secret_name` text NOT NULL DEFAULT 'n/a; unknown'
);

-- create index "ix_hero_name" on table "hero"
CREATE INDEX `ix_hero_name` ON `hero` (`name`);
-- +down
DROP INDEX `ix_hero_name`;

DROP TABLE `hero`;
