-- add table Orders
CREATE TABLE `Orders` (
  `OrderId` integer NOT NULL,
  `Total` numeric(10,2) NOT NULL DEFAULT 4.99,
  `Status` varchar(16) NOT NULL DEFAULT 'new',
  `Paid` boolean NOT NULL DEFAULT false,
  `Note` BLOB SUB_TYPE TEXT NULL,
  `Big` unsigned big int NULL,
  `TeamId` integer NULL,
  `Code` text NULL COLLATE NOCASE,
  `Stamp` timestamp NULL DEFAULT (datetime('now')),
  PRIMARY KEY (`OrderId`),
  CONSTRAINT `orders_team` FOREIGN KEY (`TeamId`) REFERENCES `team` (`id`) ON DELETE CASCADE,
  CHECK (Total >= 0),
  CONSTRAINT `status_known` CHECK (Status IN ('new', 'paid'))
);
CREATE UNIQUE INDEX `Orders_code` ON `Orders` (`Code`);
CREATE INDEX `orders_total` ON `Orders` ((Total * 100) DESC) WHERE Total > 0;

-- add table hero
CREATE TABLE `hero` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `secret_name` text NOT NULL,
  `age` integer NULL,
  `team_id` integer NULL,
  `created_at` text NOT NULL DEFAULT (CURRENT_TIMESTAMP),
  `name_key` text NOT NULL GENERATED ALWAYS AS (lower(name)) VIRTUAL,
  PRIMARY KEY (`id`),
  CONSTRAINT `hero_team_fk` FOREIGN KEY (`team_id`) REFERENCES `team` (`id`) ON DELETE SET NULL,
  CONSTRAINT `hero_age_range` CHECK (age IS NULL OR age BETWEEN 0 AND 200)
) STRICT;
CREATE INDEX `hero_adult_idx` ON `hero` (`age`) WHERE age >= 18;
CREATE INDEX `hero_name_key_idx` ON `hero` (`name_key`);

-- add table team
CREATE TABLE `team` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `headquarters` text NULL
);
CREATE UNIQUE INDEX `team_name_uq` ON `team` (`name`);

-- drop table
DROP TABLE `items`;

-- rename table
ALTER TABLE `items` RENAME TO `goods`;

-- column type within a family: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` bigint NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column type within a family: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column type varchar to text: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` text NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column type varchar to text: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column type text to integer converts numeric text: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` integer NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column type text to integer converts numeric text: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column raw type: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` BLOB SUB_TYPE TEXT NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column raw type: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column null to not null with a default: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NOT NULL DEFAULT 0,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, IFNULL(`qty`, 0), `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column null to not null with a default: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column default: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL DEFAULT 'it''s unnamed',
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column default: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column raw default: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL DEFAULT (CURRENT_TIMESTAMP),
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column raw default: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column collation: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL COLLATE NOCASE,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- column collation: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add nullable column: up
ALTER TABLE `items` ADD COLUMN `extra` int NULL;

-- add nullable column: down
ALTER TABLE `items` DROP COLUMN `extra`;

-- add not null column with a constant default: up
ALTER TABLE `items` ADD COLUMN `extra` text NOT NULL DEFAULT 'n';

-- add not null column with a constant default: down
ALTER TABLE `items` DROP COLUMN `extra`;

-- add column with an expression default: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  `created` text NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add column with an expression default: down
ALTER TABLE `items` DROP COLUMN `created`;

-- add virtual generated column: up
ALTER TABLE `items` ADD COLUMN `total` integer NULL GENERATED ALWAYS AS (qty * 2) VIRTUAL;

-- add virtual generated column: down
ALTER TABLE `items` DROP COLUMN `total`;

-- add stored generated column: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  `total` integer NULL GENERATED ALWAYS AS (qty * 2) STORED,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add stored generated column: down
ALTER TABLE `items` DROP COLUMN `total`;

-- generated expression and storage: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  `total` integer NULL GENERATED ALWAYS AS (qty * 3) STORED,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- generated expression and storage: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  `total` integer NULL GENERATED ALWAYS AS (qty * 2) VIRTUAL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- autoincrement: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- autoincrement: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- autoincrement counter survives a rebuild: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `qty` bigint NULL,
  `note` varchar(20) NULL
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DELETE FROM sqlite_sequence WHERE name = '_schemactl_tmp_items';
INSERT INTO sqlite_sequence (name, seq) SELECT '_schemactl_tmp_items', seq FROM sqlite_sequence WHERE name = 'items';
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- autoincrement counter survives a rebuild: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DELETE FROM sqlite_sequence WHERE name = '_schemactl_tmp_items';
INSERT INTO sqlite_sequence (name, seq) SELECT '_schemactl_tmp_items', seq FROM sqlite_sequence WHERE name = 'items';
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add index: up
CREATE INDEX `items_qty_idx` ON `items` (`qty`, `note`);

-- add index: down
DROP INDEX `items_qty_idx`;

-- add unique index: up
CREATE UNIQUE INDEX `items_note_uq` ON `items` (`note`);

-- add unique index: down
DROP INDEX `items_note_uq`;

-- add partial and expression index: up
CREATE INDEX `items_expr` ON `items` ((lower(name)) DESC, `qty`) WHERE qty > 0;

-- add partial and expression index: down
DROP INDEX `items_expr`;

-- rename index: up
DROP INDEX `items_name_idx`;
CREATE INDEX `items_by_name` ON `items` (`name`);

-- rename index: down
DROP INDEX `items_by_name`;
CREATE INDEX `items_name_idx` ON `items` (`name`);

-- add unique constraint: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`),
  UNIQUE (`name`, `note`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add unique constraint: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add foreign key: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `items_qty_fk` FOREIGN KEY (`qty`) REFERENCES `groups` (`id`) ON DELETE SET NULL
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add foreign key: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- foreign key action: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `items_qty_fk` FOREIGN KEY (`qty`) REFERENCES `groups` (`id`) ON UPDATE CASCADE ON DELETE RESTRICT
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- foreign key action: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `items_qty_fk` FOREIGN KEY (`qty`) REFERENCES `groups` (`id`) ON DELETE SET NULL
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add checks: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `qty_positive` CHECK (qty IS NULL OR qty > 0),
  CHECK (length(name) > 0)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- add checks: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- primary key: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`, `name`)
);
INSERT INTO `_schemactl_tmp_items` (rowid, `id`, `name`, `qty`, `note`) SELECT rowid, `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE UNIQUE INDEX `items_id_uq` ON `items` (`id`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- primary key: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- strict: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` text NULL,
  PRIMARY KEY (`id`)
) STRICT;
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- strict: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- without rowid: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
) WITHOUT ROWID;
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- without rowid: down
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- rename column: up
ALTER TABLE `items` RENAME COLUMN `name` TO `title`;

-- rename column: down
ALTER TABLE `items` RENAME COLUMN `title` TO `name`;

-- rename column and change its type: up
ALTER TABLE `items` RENAME COLUMN `note` TO `memo`;
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `memo` text NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `memo`) SELECT `id`, `name`, `qty`, `memo` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- rename column and change its type: down
ALTER TABLE `items` RENAME COLUMN `memo` TO `note`;
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- drop indexed column: up
DROP INDEX `items_note_idx`;
ALTER TABLE `items` DROP COLUMN `note`;

-- drop indexed column: down
ALTER TABLE `items` ADD COLUMN `note` varchar(20) NULL;
CREATE INDEX `items_note_idx` ON `items` (`note`);

-- drop column a generated column reads: up
CREATE TABLE `_schemactl_tmp_items` (
  `id` integer NOT NULL,
  `name` text NOT NULL,
  `qty` integer NULL,
  `note` varchar(20) NULL,
  PRIMARY KEY (`id`)
);
INSERT INTO `_schemactl_tmp_items` (`id`, `name`, `qty`, `note`) SELECT `id`, `name`, `qty`, `note` FROM `items`;
DROP TABLE `items`;
PRAGMA legacy_alter_table = ON;
ALTER TABLE `_schemactl_tmp_items` RENAME TO `items`;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX `items_name_idx` ON `items` (`name`);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END;

-- drop column a generated column reads: down
ALTER TABLE `items` ADD COLUMN `w` int NULL;
ALTER TABLE `items` ADD COLUMN `w2` int NULL GENERATED ALWAYS AS (w + 1) VIRTUAL;

