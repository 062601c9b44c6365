package mysql_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// TestChanges runs one plan per kind of change against real databases.
// The current state is a database created from SQL, with rows; the desired
// state is what the server reports for a second database created from the
// target SQL (plus rename hints). Each case checks that up converges (a
// second plan is empty), that down restores the exact previous schema, that
// the rows survive both, and, where given, the SQL of the up section.
func TestChanges(t *testing.T) {
	const hero = `CREATE TABLE hero (
	id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name varchar(255) NOT NULL,
	secret_name varchar(255) NOT NULL,
	age int NULL,
	KEY hero_name_idx (name)
)`
	const heroRows = `INSERT INTO hero (name, secret_name, age) VALUES ('Deadpond', 'Dive Wilson', NULL), ('Spider-Boy', 'Pedro Parqueador', NULL), ('Rusty-Man', 'Tommy Sharp', 48)`
	const users = `CREATE TABLE users (id int NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, KEY users_name_idx (name));
CREATE TABLE posts (id int NOT NULL PRIMARY KEY, user_id int NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id))`
	const usersRows = `INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
INSERT INTO posts VALUES (10, 1), (11, 2)`
	const stamped = `CREATE TABLE item (
	id bigint unsigned NOT NULL AUTO_INCREMENT,
	sku varchar(20) NOT NULL,
	price decimal(8,2) NOT NULL DEFAULT 4.99,
	status enum('new','used') NOT NULL DEFAULT 'new',
	updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	UNIQUE KEY item_sku (sku)
) COMMENT='stock'`
	const itemRows = `INSERT INTO item (sku, price) VALUES ('a-1', 1.50), ('b-2', 2.00), ('c-3', 3.25)`

	tests := []struct {
		name     string
		from, to string
		hints    func(s *schema.Schema)
		seed     string
		count    string // a query giving the same number of rows before and after
		allow    bool
		oneWay   bool   // down need not restore what the planner never lowers
		up       string // the expected up section, when given
	}{
		{name: "create table", to: hero,
			up: "CREATE TABLE `hero` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `name` varchar(255) NOT NULL,\n  `secret_name` varchar(255) NOT NULL,\n  `age` int NULL,\n  PRIMARY KEY (`id`),\n  KEY `hero_name_idx` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n"},
		{
			name: "add column", from: hero, to: strings.Replace(hero, "age int NULL,", "age int NULL, power int NULL,", 1),
			seed: heroRows, count: "SELECT count(*) FROM hero WHERE age = 48",
			up: "ALTER TABLE `hero` ADD COLUMN `power` int NULL;\n",
		},
		{
			name: "column type, null and default", from: hero,
			to: strings.Replace(hero, "age int NULL", "age bigint NOT NULL DEFAULT 0", 1),
			// The NULL ages get the default first: MariaDB would refuse the MODIFY.
			seed:  `INSERT INTO hero (name, secret_name, age) VALUES ('Rusty-Man', 'Tommy Sharp', 48), ('Deadpond', 'Dive Wilson', NULL)`,
			count: "SELECT count(*) FROM hero",
			up:    "UPDATE `hero` SET `age` = 0 WHERE `age` IS NULL;\nALTER TABLE `hero` MODIFY COLUMN `age` bigint NOT NULL DEFAULT 0;\n",
		},
		{
			name: "drop column", from: strings.Replace(hero, "age int NULL,", "age int NULL, power int NULL,", 1), to: hero,
			seed: heroRows, count: "SELECT count(*) FROM hero", allow: true,
		},
		{
			name: "rename table, column and index", from: users,
			to: `CREATE TABLE members (id int NOT NULL PRIMARY KEY, full_name varchar(100) NOT NULL, KEY members_full_name_idx (full_name));
CREATE TABLE posts (id int NOT NULL PRIMARY KEY, user_id int NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES members (id))`,
			hints: func(s *schema.Schema) {
				m, _ := s.Table("members")
				m.RenamedFrom = "users"
				m.Columns[1].RenamedFrom = "name"
				m.Indexes[0].RenamedFrom = "users_name_idx"
			},
			seed: usersRows, count: "SELECT count(*) FROM posts",
			up: "RENAME TABLE `users` TO `members`;\nALTER TABLE `members`\n  RENAME COLUMN `name` TO `full_name`,\n  RENAME INDEX `users_name_idx` TO `members_full_name_idx`;\n",
		},
		{
			name: "rename and change a column", from: users,
			to: strings.Replace(users, "name varchar(100) NOT NULL, KEY users_name_idx (name)", "label varchar(200) NULL, KEY users_name_idx (label)", 1),
			hints: func(s *schema.Schema) {
				u, _ := s.Table("users")
				u.Columns[1].RenamedFrom = "name"
			},
			seed: usersRows, count: "SELECT count(*) FROM users",
			up: "ALTER TABLE `users` CHANGE COLUMN `name` `label` varchar(200) NULL;\n",
		},
		{
			name: "indexes: unique, prefix, desc, fulltext, comment", from: hero,
			to: strings.Replace(hero, "KEY hero_name_idx (name)", `KEY hero_name_idx (name),
	UNIQUE KEY hero_secret_uq (secret_name),
	KEY hero_prefix_idx (name(10), age DESC) COMMENT 'short',
	FULLTEXT KEY hero_ft (name, secret_name)`, 1),
			seed: heroRows, count: "SELECT count(*) FROM hero",
		},
		{
			name: "drop and redefine an index", from: strings.Replace(hero, "KEY hero_name_idx (name)", "KEY hero_name_idx (name), KEY hero_age_idx (age)", 1),
			to:   strings.Replace(hero, "KEY hero_name_idx (name)", "KEY hero_name_idx (name, age)", 1),
			seed: heroRows, count: "SELECT count(*) FROM hero",
			up: "ALTER TABLE `hero`\n  DROP INDEX `hero_age_idx`,\n  DROP INDEX `hero_name_idx`,\n  ADD KEY `hero_name_idx` (`name`,`age`);\n",
		},
		{
			name: "checks and foreign keys", from: users,
			to: `CREATE TABLE users (id int NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, KEY users_name_idx (name), CONSTRAINT name_not_empty CHECK (name <> ''));
CREATE TABLE posts (id int NOT NULL PRIMARY KEY, user_id int NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)`,
			seed: usersRows, count: "SELECT count(*) FROM posts",
			up: "ALTER TABLE `posts` DROP FOREIGN KEY `posts_user_fk`;\nALTER TABLE `posts` ADD CONSTRAINT `posts_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE;\nALTER TABLE `users` ADD CONSTRAINT `name_not_empty` CHECK (`name` <> '');\n",
		},
		{
			name: "add a foreign key: its index comes with it", from: `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, pid int NULL)`,
			to: `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, pid int NULL, CONSTRAINT c_p FOREIGN KEY (pid) REFERENCES p (id))`,
			seed: "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1), (2, NULL)", count: "SELECT count(*) FROM c",
			up: "ALTER TABLE `c`\n  ADD KEY `c_p` (`pid`),\n  ADD CONSTRAINT `c_p` FOREIGN KEY (`pid`) REFERENCES `p` (`id`);\n",
		},
		{
			name: "change a check of the same name",
			from: `CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL, CONSTRAINT n_pos CHECK (n > 0))`,
			to:   `CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL, CONSTRAINT n_pos CHECK (n >= 0 AND n < 1000))`,
			seed: `INSERT INTO t VALUES (1, 5)`, count: "SELECT count(*) FROM t",
			up: "ALTER TABLE `t` DROP CONSTRAINT `n_pos`;\nALTER TABLE `t` ADD CONSTRAINT `n_pos` CHECK (`n` >= 0 and `n` < 1000);\n",
		},
		{
			name: "foreign key cycle",
			to: `CREATE TABLE teams (id int NOT NULL PRIMARY KEY, captain_id int NULL, KEY teams_captain_fk (captain_id));
CREATE TABLE players (id int NOT NULL PRIMARY KEY, team_id int NULL, CONSTRAINT players_team_fk FOREIGN KEY (team_id) REFERENCES teams (id));
ALTER TABLE teams ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id)`,
		},
		{name: "drop table", from: hero + ";\n" + users, to: users, allow: true, seed: usersRows, count: "SELECT count(*) FROM posts"},
		{
			name: "remove on_update and auto_increment, change default", from: stamped,
			to: strings.NewReplacer("id bigint unsigned NOT NULL AUTO_INCREMENT", "id bigint unsigned NOT NULL",
				" ON UPDATE CURRENT_TIMESTAMP", "", "DEFAULT 4.99", "DEFAULT 5").Replace(stamped),
			seed: itemRows, count: "SELECT count(*) FROM item WHERE price = 2",
			up: "ALTER TABLE `item`\n  MODIFY COLUMN `id` bigint unsigned NOT NULL,\n  MODIFY COLUMN `price` decimal(8,2) NOT NULL DEFAULT 5.00,\n  MODIFY COLUMN `updated_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP;\n",
		},
		{
			name: "enum and set values appended", from: stamped,
			to:   strings.Replace(stamped, "enum('new','used')", "enum('new','used','it''s \\\\ broken')", 1),
			seed: itemRows, count: "SELECT count(*) FROM item WHERE status = 'new'",
		},
		{
			name: "table options: comment, engine, charset", from: stamped,
			to:   strings.Replace(stamped, "COMMENT='stock'", "COMMENT='stock of ''items''' ENGINE=MyISAM DEFAULT CHARSET=latin1", 1),
			seed: itemRows, count: "SELECT count(*) FROM item", allow: true,
		},
		{
			// The counter is only ever raised: down leaves it where it is.
			name: "auto_increment raised", from: stamped,
			to:   strings.Replace(stamped, "COMMENT='stock'", "COMMENT='stock' AUTO_INCREMENT=100", 1),
			seed: itemRows, count: "SELECT count(*) FROM item", oneWay: true,
			up: "ALTER TABLE `item` AUTO_INCREMENT=100;\n",
		},
		{
			name: "column charset, collation and comment", from: stamped,
			to:   strings.Replace(stamped, "sku varchar(20) NOT NULL", "sku varchar(20) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL COMMENT 'stock keeping unit'", 1),
			seed: itemRows, count: "SELECT count(*) FROM item", allow: true,
		},
		{
			name: "generated columns and json", from: stamped,
			to: strings.Replace(stamped, "updated_at timestamp", `total decimal(10,2) AS (price * 2) VIRTUAL,
	label varchar(40) AS (concat(sku, ':', status)) STORED,
	meta json NULL,
	updated_at timestamp`, 1),
			seed: itemRows, count: "SELECT count(*) FROM item WHERE price = 1.50",
		},
		{
			// The rows keep the computed values and their ON UPDATE
			// timestamps; the index and the check over the column stay.
			name: "a virtual column becomes a plain NOT NULL one and keeps its values",
			from: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) AS (price * 2) VIRTUAL,\n\tupdated_at timestamp", 1) +
				";\nCREATE INDEX item_total ON item (total, sku);\nALTER TABLE item ADD CONSTRAINT item_total_ck CHECK (total >= 0)",
			to: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) NOT NULL DEFAULT 0,\n\tupdated_at timestamp", 1) +
				";\nCREATE INDEX item_total ON item (total, sku);\nALTER TABLE item ADD CONSTRAINT item_total_ck CHECK (total >= 0)",
			seed:  `INSERT INTO item (sku, price, updated_at) VALUES ('a-1', 1.50, '2001-01-01 00:00:00'), ('b-2', 2.00, '2001-01-01 00:00:00')`,
			count: "SELECT count(*) FROM item WHERE total IN (3.00, 4.00) AND updated_at = '2001-01-01 00:00:00'",
		},
		{
			// The UPDATE that fills the new column runs before on_update
			// is removed: the timestamps must stay all the same.
			name: "a virtual column renamed and made plain while on_update goes",
			from: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) AS (price * 2) VIRTUAL,\n\tupdated_at timestamp", 1),
			to: strings.Replace(strings.Replace(stamped, "updated_at timestamp", "grand_total decimal(10,2) NULL,\n\tupdated_at timestamp", 1),
				" ON UPDATE CURRENT_TIMESTAMP", "", 1),
			hints: func(s *schema.Schema) {
				t, _ := s.Table("item")
				c, _ := t.Column("grand_total")
				c.RenamedFrom = "total"
			},
			seed:  `INSERT INTO item (sku, price, updated_at) VALUES ('a-1', 1.50, '2001-01-01 00:00:00'), ('b-2', 2.00, '2001-01-01 00:00:00')`,
			count: "SELECT count(*) FROM item WHERE updated_at = '2001-01-01 00:00:00'",
		},
		{
			// MariaDB names a check written on the column after the
			// column and cannot drop it by that name.
			name: "a virtual column with a column check made plain",
			from: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) AS (price * 2) VIRTUAL CHECK (total < 1000),\n\tupdated_at timestamp", 1),
			to:   strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) NULL CHECK (total < 1000),\n\tupdated_at timestamp", 1),
			seed: itemRows, count: "SELECT count(*) FROM item WHERE total IN (3.00, 4.00, 6.50)",
		},
		{
			name: "a virtual column with a table check named after it made plain",
			from: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) AS (price * 2) VIRTUAL,\n\tupdated_at timestamp", 1) +
				";\nALTER TABLE item ADD CONSTRAINT total CHECK (total < 1000)",
			to: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) NULL,\n\tupdated_at timestamp", 1) +
				";\nALTER TABLE item ADD CONSTRAINT total CHECK (total < 1000)",
			seed: itemRows, count: "SELECT count(*) FROM item WHERE total IN (3.00, 4.00, 6.50)",
		},
		{
			name: "a virtual column renamed and made plain",
			from: strings.Replace(stamped, "updated_at timestamp", "total decimal(10,2) AS (price * 2) VIRTUAL,\n\tupdated_at timestamp", 1),
			to:   strings.Replace(stamped, "updated_at timestamp", "grand_total decimal(10,2) NULL,\n\tupdated_at timestamp", 1),
			hints: func(s *schema.Schema) {
				t, _ := s.Table("item")
				c, _ := t.Column("grand_total")
				c.RenamedFrom = "total"
			},
			seed: itemRows, count: "SELECT count(*) FROM item WHERE price * 2 IN (3.00, 4.00, 6.50)",
		},
		{
			name: "primary key", from: `CREATE TABLE kv (k varchar(20) NOT NULL, v int NOT NULL, PRIMARY KEY (k))`,
			to:   `CREATE TABLE kv (k varchar(20) NOT NULL, v int NOT NULL, PRIMARY KEY (k, v))`,
			seed: `INSERT INTO kv VALUES ('a', 1), ('b', 2)`, count: "SELECT count(*) FROM kv",
			up: "ALTER TABLE `kv`\n  DROP PRIMARY KEY,\n  ADD PRIMARY KEY (`k`,`v`);\n",
		},
		{
			name: "memory table: hash by default, btree when asked",
			to:   `CREATE TABLE m (a int NOT NULL, b int NOT NULL, c int NULL, PRIMARY KEY (a), KEY mb (b) USING BTREE, KEY mc (c)) ENGINE=MEMORY`,
			up:   "CREATE TABLE `m` (\n  `a` int NOT NULL,\n  `b` int NOT NULL,\n  `c` int NULL,\n  PRIMARY KEY (`a`) USING HASH,\n  KEY `mb` (`b`) USING BTREE,\n  KEY `mc` (`c`) USING HASH\n) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n",
		},
		{
			name: "defaults of every kind", from: `CREATE TABLE d (id int PRIMARY KEY)`,
			to: `CREATE TABLE d (id int PRIMARY KEY,
	s varchar(10) NOT NULL DEFAULT 'it''s',
	n varchar(10) NULL DEFAULT 'NULL',
	e varchar(10) NOT NULL DEFAULT '',
	b tinyint(1) NOT NULL DEFAULT TRUE,
	f double NOT NULL DEFAULT 1.50,
	neg int NOT NULL DEFAULT -1,
	bits bit(5) NOT NULL DEFAULT b'101',
	day date NOT NULL DEFAULT '2020-01-01',
	at datetime(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	u char(36) NOT NULL DEFAULT (uuid()),
	x int NOT NULL DEFAULT (1 + 2),
	t text NULL DEFAULT 'txt'
)`,
			seed: `INSERT INTO d (id) VALUES (1), (2)`, count: "SELECT count(*) FROM d",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cur := newServer(t)
			cur.script(t, tt.from)
			cur.script(t, tt.seed)
			before := cur.count(t, tt.count)
			current := cur.inspect(t)

			target := newServer(t)
			target.script(t, tt.to)
			desired := target.inspect(t)
			desired.Schemas[0].Name = cur.name
			if tt.hints != nil {
				tt.hints(desired.Schemas[0])
			}
			p := cur.plan(t, current, desired, tt.allow)
			if p.Empty() {
				t.Fatal("plan is empty")
			}
			if tt.up != "" && statements(p.Up) != tt.up {
				t.Errorf("up:\n%s\nwant:\n%s", statements(p.Up), tt.up)
			}
			t.Logf("up:\n%s\ndown:\n%s", statements(p.Up), statements(p.Down))
			cur.migrate(t, p.Up)
			after := cur.inspect(t)
			want := cur.inspect(t) // a copy to compare with: desired without its hints
			want.Schemas[0] = withoutHints(desired.Schemas[0])
			unmanaged(want, after)
			// Added columns are appended: positions are not diffed.
			byName := cmpopts.SortSlices(func(a, b *schema.Column) bool { return a.Name < b.Name })
			if diff := cmp.Diff(want, after, cmpOpts, byName); diff != "" {
				t.Errorf("inspect after up (-desired +inspected):\n%s", diff)
			}
			if again, err := planner.Diff(after, desired, cur.d); err != nil || len(again) != 0 {
				t.Errorf("second plan after up: %v\n%s\nup:\n%s", err, describe(again), statements(p.Up))
			}
			if got := cur.count(t, tt.count); got != before {
				t.Errorf("%s = %d after up, want %d", tt.count, got, before)
			}
			cur.migrate(t, p.Down)
			back := cur.inspect(t)
			pairs := [][2]*schema.Realm{{back, current}, {current, back}}
			if tt.oneWay {
				pairs = pairs[:1]
			}
			for _, pair := range pairs {
				if again, err := planner.Diff(pair[0], pair[1], cur.d); err != nil || len(again) != 0 {
					t.Errorf("plan after down: %v\n%s\ndown:\n%s", err, describe(again), statements(p.Down))
				}
			}
			if got := cur.count(t, tt.count); got != before {
				t.Errorf("%s = %d after down, want %d", tt.count, got, before)
			}
		})
	}
}

// withoutHints returns a copy of s without rename hints, as inspection of
// the result reads it.
func withoutHints(s *schema.Schema) *schema.Schema {
	c := *s
	c.Tables = nil
	for _, t := range s.Tables {
		tc := *t
		tc.RenamedFrom = ""
		tc.Columns = nil
		for _, col := range t.Columns {
			cc := *col
			cc.RenamedFrom = ""
			tc.Columns = append(tc.Columns, &cc)
		}
		tc.Indexes = nil
		for _, i := range t.Indexes {
			ic := *i
			ic.RenamedFrom = ""
			tc.Indexes = append(tc.Indexes, &ic)
		}
		c.Tables = append(c.Tables, &tc)
	}
	return &c
}
