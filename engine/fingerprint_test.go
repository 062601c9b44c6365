package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
)

// Fingerprints hash the schema as a build inspects and normalises it, and
// migration files keep them. These tests pin what inspection of a fixed
// schema fingerprints to: a change in inspection or normalisation that
// moves it must come with a new planner.FingerprintVersion (and new pinned
// values), or apply would report false drift for every migration planned
// before the upgrade. h2: a number default of a SQLite TEXT or BLOB
// column keeps its spelling (team.motto reads 1.0, not 1).

const pinnedSQLiteDDL = `
CREATE TABLE team (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, budget NUMERIC(10,2) DEFAULT 0.0, motto TEXT DEFAULT 1.0);
CREATE TABLE hero (
  id integer NOT NULL PRIMARY KEY,
  name varchar(100) NOT NULL COLLATE NOCASE,
  secret_name TEXT,
  age INT CHECK (age > 0),
  born DATETIME DEFAULT CURRENT_TIMESTAMP,
  team_id INTEGER REFERENCES team (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  power REAL GENERATED ALWAYS AS (age * 2) VIRTUAL
);
CREATE INDEX hero_name_age ON hero (name, age DESC) WHERE age IS NOT NULL;
CREATE TABLE tag (hero_id INT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (hero_id, tag)) WITHOUT ROWID, STRICT;
CREATE VIEW young AS SELECT name FROM hero WHERE age < 30;
`

const pinnedMariaDBDDL = `
CREATE TABLE team (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL UNIQUE, budget decimal(10,2) DEFAULT 0.00) ENGINE=InnoDB;
CREATE TABLE hero (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  name varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  secret_name text,
  age int CHECK (age > 0),
  born datetime DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  kind enum('good','bad') NOT NULL DEFAULT 'good',
  team_id int,
  doubled int GENERATED ALWAYS AS (age * 2) VIRTUAL,
  PRIMARY KEY (id),
  KEY hero_name_age (name(20), age DESC),
  CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES team (id) ON DELETE SET NULL
) ENGINE=InnoDB COMMENT 'heroes';
CREATE VIEW young AS SELECT name FROM hero WHERE age < 30;
`

func TestPinnedInspectionSQLite(t *testing.T) {
	target := sqliteTarget(t)
	exec(t, target, pinnedSQLiteDDL)
	checkPinned(t, target, "h2:kxN77vB5GGEOiZONVNETj9s3hBYI6nIfqn5rxthLX1A=")
}

func TestPinnedInspectionMariaDB(t *testing.T) {
	u, _ := testdb.MySQL(t)
	db := testdb.OpenMySQL(t, u)
	for _, stmt := range strings.Split(strings.TrimSpace(pinnedMariaDBDDL), ";\n") {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	checkPinned(t, engine.Target{URL: u.String()}, "h2:2SgXDQg7SGjatI2mWPaI0mYYbzc4SmL8xdezTMgDUc4=")
}

func checkPinned(t *testing.T, target engine.Target, want string) {
	t.Helper()
	e := open(t, target)
	live, err := e.Inspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(live.Schemas[0].Tables); n < 2 {
		t.Fatalf("inspected %d tables: the fixed schema was not created", n)
	}
	if got := planner.Fingerprint(live); got != want {
		t.Errorf("the fixed schema now fingerprints to %s, not %s: inspection or normalisation changed; bump planner.FingerprintVersion and pin the new values", got, want)
	}
}
