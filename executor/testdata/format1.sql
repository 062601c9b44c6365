CREATE TABLE IF NOT EXISTS `schemactl_version` (`version_num` VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE IF NOT EXISTS `schemactl_version_history` (
  `id` INTEGER NOT NULL PRIMARY KEY,
  `version` VARCHAR(32) NOT NULL,
  `direction` VARCHAR(8) NOT NULL,
  `checksum` VARCHAR(64) NOT NULL,
  `started_at` VARCHAR(32) NOT NULL,
  `finished_at` VARCHAR(32) NULL,
  `statements_total` INTEGER NOT NULL,
  `statements_done` INTEGER NOT NULL,
  `error` TEXT NULL,
  `error_statement` INTEGER NULL,
  `statement_hashes` MEDIUMTEXT NULL,
  `operator` VARCHAR(255) NOT NULL
);
INSERT INTO `schemactl_version_history` VALUES (1, '0001', 'up', 'h1:first', '2024-05-01 10:00:00.000000', '2024-05-01 10:00:01.000000', 2, 2, NULL, NULL, NULL, 'alice@laptop');
INSERT INTO `schemactl_version_history` VALUES (2, '0001', 'down', 'h1:first', '2024-05-02 10:00:00.000000', '2024-05-02 10:00:01.000000', 1, 1, NULL, NULL, NULL, 'alice@laptop');
INSERT INTO `schemactl_version_history` VALUES (3, '0001', 'up', 'h1:first', '2024-05-03 10:00:00.000000', '2024-05-03 10:00:02.000000', 2, 0, 'table hero already exists', 1, NULL, 'bob@ci')
