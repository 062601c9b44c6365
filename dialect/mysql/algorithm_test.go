package mysql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

func TestAlterCost(t *testing.T) {
	maria := mysql.ParseFlavor("10.11.19-MariaDB")
	maria103 := mysql.ParseFlavor("10.3.39-MariaDB")
	my80 := mysql.ParseFlavor("8.0.36")
	my8011 := mysql.ParseFlavor("8.0.11")
	my57 := mysql.ParseFlavor("5.7.44")
	col := func(name string, ty schema.Type, null bool) *schema.Column {
		return &schema.Column{Name: name, Type: ty, Null: null, Charset: "utf8mb4"}
	}
	vc := func(n int) schema.Type { return schema.Type{Name: "varchar", Args: []int{n}} }
	integer := schema.Type{Name: "int"}
	enum := func(v ...string) schema.Type { return schema.Type{Name: "enum", Values: v} }
	modify := func(from, to *schema.Column, k schema.ChangeKind) schema.Change {
		return &schema.ModifyColumn{From: from, To: to, Kind: k}
	}
	const (
		instant = mysql.AlgorithmInstant
		inplace = mysql.AlgorithmInplace
		cp      = mysql.AlgorithmCopy
	)
	tests := []struct {
		name    string
		f       mysql.Flavor
		changes []schema.Change
		want    mysql.Algorithm
		rebuild bool
	}{
		{"add column, MariaDB 10.11", maria, []schema.Change{&schema.AddColumn{C: col("c", integer, true)}}, instant, false},
		{"add column, MySQL 8.0.36", my80, []schema.Change{&schema.AddColumn{C: col("c", integer, true)}}, instant, false},
		{"add column, MySQL 8.0.11", my8011, []schema.Change{&schema.AddColumn{C: col("c", integer, true)}}, inplace, true},
		{"add virtual column", maria, []schema.Change{&schema.AddColumn{C: &schema.Column{Name: "g", Type: integer, Generated: &schema.Generated{Expr: "b+1"}}}}, instant, false},
		{"add stored column", my80, []schema.Change{&schema.AddColumn{C: &schema.Column{Name: "g", Type: integer, Generated: &schema.Generated{Expr: "b+1", Stored: true}}}}, cp, true},
		{"add auto_increment column", maria, []schema.Change{&schema.AddColumn{C: &schema.Column{Name: "n", Type: integer, AutoIncrement: true}}}, cp, true},
		{"drop column, MariaDB 10.11", maria, []schema.Change{&schema.DropColumn{C: col("c", integer, true)}}, instant, false},
		{"drop column, MariaDB 10.3", maria103, []schema.Change{&schema.DropColumn{C: col("c", integer, true)}}, inplace, true},
		{"drop column, MySQL 8.0.36", my80, []schema.Change{&schema.DropColumn{C: col("c", integer, true)}}, instant, false},
		{"drop column, MySQL 5.7", my57, []schema.Change{&schema.DropColumn{C: col("c", integer, true)}}, inplace, true},
		{"rename column, MySQL 5.7", my57, []schema.Change{&schema.RenameColumn{From: "a", To: "b"}}, inplace, false},
		{"varchar grows, MariaDB", maria, []schema.Change{modify(col("a", vc(10), true), col("a", vc(100), true), schema.ChangeType)}, instant, false},
		{"varchar grows within 255 bytes, MySQL", my80, []schema.Change{modify(col("a", vc(10), true), col("a", vc(60), true), schema.ChangeType)}, inplace, false},
		{"varchar crosses 255 bytes, MySQL", my80, []schema.Change{modify(col("a", vc(10), true), col("a", vc(100), true), schema.ChangeType)}, cp, true},
		{"varchar shrinks", maria, []schema.Change{modify(col("a", vc(10), true), col("a", vc(5), true), schema.ChangeType)}, cp, true},
		{"int to bigint", my80, []schema.Change{modify(col("b", integer, false), col("b", schema.Type{Name: "bigint"}, false), schema.ChangeType)}, cp, true},
		{"enum appends", my80, []schema.Change{modify(col("e", enum("x", "y"), true), col("e", enum("x", "y", "z"), true), schema.ChangeType)}, instant, false},
		{"enum reorders", maria, []schema.Change{modify(col("e", enum("x", "y"), true), col("e", enum("y", "x"), true), schema.ChangeType)}, cp, true},
		{"not null", maria, []schema.Change{modify(col("b", integer, true), col("b", integer, false), schema.ChangeNull)}, inplace, true},
		{"auto_increment added", maria, []schema.Change{modify(col("id", integer, false), &schema.Column{Name: "id", Type: integer, AutoIncrement: true}, schema.ChangeAutoIncrement)}, cp, true},
		{"auto_increment dropped, MariaDB", maria, []schema.Change{modify(&schema.Column{Name: "id", Type: integer, AutoIncrement: true}, col("id", integer, false), schema.ChangeAutoIncrement)}, instant, false},
		{"auto_increment dropped, MySQL", my80, []schema.Change{modify(&schema.Column{Name: "id", Type: integer, AutoIncrement: true}, col("id", integer, false), schema.ChangeAutoIncrement)}, cp, true},
		{"default", my57, []schema.Change{modify(col("b", integer, true), col("b", integer, true), schema.ChangeDefault)}, instant, false},
		{"charset", maria, []schema.Change{modify(col("a", vc(10), true), col("a", vc(10), true), schema.ChangeCharset|schema.ChangeCollate)}, cp, true},
		{"collation, MariaDB 10.11", maria, []schema.Change{modify(col("a", vc(10), true), col("a", vc(10), true), schema.ChangeCollate)}, inplace, false},
		{"collation, MySQL", my80, []schema.Change{modify(col("a", vc(10), true), col("a", vc(10), true), schema.ChangeCollate)}, cp, true},
		{"add index", my80, []schema.Change{&schema.AddIndex{I: &schema.Index{Name: "i"}}}, inplace, false},
		{"add fulltext index", maria, []schema.Change{&schema.AddIndex{I: &schema.Index{Name: "i", Type: "FULLTEXT"}}}, cp, true},
		{"rename index, MariaDB", maria, []schema.Change{&schema.RenameIndex{From: "a", To: "b"}}, instant, false},
		{"rename index, MySQL", my80, []schema.Change{&schema.RenameIndex{From: "a", To: "b"}}, inplace, false},
		{"replace primary key", maria, []schema.Change{&schema.ModifyPrimaryKey{From: &schema.Index{}, To: &schema.Index{}}}, inplace, true},
		{"drop primary key", maria, []schema.Change{&schema.ModifyPrimaryKey{From: &schema.Index{}}}, cp, true},
		{"add foreign key", my80, []schema.Change{&schema.AddForeignKey{F: &schema.ForeignKey{}}}, cp, true},
		{"drop foreign key", maria, []schema.Change{&schema.DropForeignKey{F: &schema.ForeignKey{}}}, instant, false},
		{"add check", maria, []schema.Change{&schema.AddCheck{C: &schema.Check{}}}, cp, true},
		{"engine", maria, []schema.Change{&schema.ModifyTableOptions{Kind: schema.ChangeEngine}}, cp, true},
		{"table comment", my80, []schema.Change{&schema.ModifyTableOptions{Kind: schema.ChangeComment}}, instant, false},
		{"dearest change wins", maria, []schema.Change{
			&schema.AddColumn{C: col("c", integer, true)},
			&schema.AddIndex{I: &schema.Index{Name: "i"}},
			modify(col("b", integer, true), col("b", schema.Type{Name: "bigint"}, true), schema.ChangeType),
		}, cp, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.f.AlterCost(&schema.ModifyTable{Changes: tt.changes})
			if got.Algorithm != tt.want || got.Rebuild != tt.rebuild {
				t.Errorf("AlterCost = %v (rebuild %v), want %v (rebuild %v)", got.Algorithm, got.Rebuild, tt.want, tt.rebuild)
			}
		})
	}
}

// TestAlterCostServer plans changes against the test server and runs each
// planned ALTER TABLE with the clause of the predicted algorithm, which the
// server must accept, and with that of the next cheaper one, which it must
// refuse: the rules are the server's, not a guess.
func TestAlterCostServer(t *testing.T) {
	s := newServer(t)
	if !s.d.Flavor.MariaDB {
		t.Logf("rules checked against %s", s.d.Flavor)
	}
	const base = "CREATE TABLE t (id INT NOT NULL, a VARCHAR(10), b INT NOT NULL, e ENUM('x','y'), pid INT, PRIMARY KEY (id), KEY ka (a)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	tests := []struct {
		name, alter string
		want        mysql.Algorithm
	}{
		{"add column", "ALTER TABLE t ADD COLUMN c INT", mysql.AlgorithmInstant},
		{"drop column", "ALTER TABLE t DROP COLUMN pid", mysql.AlgorithmInstant},
		{"varchar grows", "ALTER TABLE t MODIFY a VARCHAR(100)", mysql.AlgorithmInstant},
		{"enum appends", "ALTER TABLE t MODIFY e ENUM('x','y','z')", mysql.AlgorithmInstant},
		{"add index", "ALTER TABLE t ADD INDEX kb (b)", mysql.AlgorithmInplace},
		{"null", "ALTER TABLE t MODIFY b INT NULL", mysql.AlgorithmInplace},
		{"collation", "ALTER TABLE t MODIFY a VARCHAR(10) COLLATE utf8mb4_bin", mysql.AlgorithmInplace},
		{"int to bigint", "ALTER TABLE t MODIFY b BIGINT NOT NULL", mysql.AlgorithmCopy},
		{"varchar shrinks", "ALTER TABLE t MODIFY a VARCHAR(5)", mysql.AlgorithmCopy},
		{"add stored column", "ALTER TABLE t ADD COLUMN g INT AS (b + 1) STORED", mysql.AlgorithmCopy},
		{"add check", "ALTER TABLE t ADD CONSTRAINT ck CHECK (b > 0)", mysql.AlgorithmCopy},
		{"add auto_increment", "ALTER TABLE t MODIFY id INT NOT NULL AUTO_INCREMENT", mysql.AlgorithmCopy},
		{"add foreign key", "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES t (id)", mysql.AlgorithmCopy},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.exec(t, "DROP TABLE IF EXISTS t", base)
			current := s.inspect(t)
			s.exec(t, tt.alter)
			desired := s.inspect(t)
			s.exec(t, "DROP TABLE t", base)
			p, err := planner.New(current, desired, s.d)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 1 {
				t.Fatalf("plan has %d changes, want 1", len(p.Changes))
			}
			m, ok := p.Changes[0].(*schema.ModifyTable)
			if !ok {
				t.Fatalf("plan change is %T", p.Changes[0])
			}
			got := s.d.Flavor.AlterCost(m).Algorithm
			if got != tt.want {
				t.Errorf("AlterCost = %v, want %v", got, tt.want)
			}
			clause := map[mysql.Algorithm]string{
				mysql.AlgorithmInstant: "ALGORITHM=INSTANT",
				mysql.AlgorithmInplace: "ALGORITHM=INPLACE, LOCK=NONE",
			}
			run := func(a mysql.Algorithm) error {
				for _, st := range p.Up {
					sql := st.SQL
					if c, ok := clause[a]; ok && strings.HasPrefix(sql, "ALTER TABLE") {
						sql += ", " + c
					}
					if _, err := s.db.ExecContext(ctx, sql); err != nil {
						return err
					}
				}
				return nil
			}
			if got > mysql.AlgorithmInstant {
				if err := run(got - 1); err == nil {
					t.Errorf("the server took %s for %s, cheaper than the predicted %s", got-1, tt.alter, got)
				}
				s.exec(t, "DROP TABLE t", base)
			}
			if err := run(got); err != nil {
				t.Errorf("the server refused the predicted %s: %v", got, err)
			}
		})
	}
}

// TestTableCopyFindingAgrees checks that lint's HZ101 reads the same rules
// as plan's algorithm line: a rebuild the server does in place says writes
// go on, a copy says they wait.
func TestTableCopyFindingAgrees(t *testing.T) {
	d := mysql.New(mysql.ParseFlavor("10.11.19-MariaDB"))
	table := func(c *schema.Column) *schema.Realm {
		return &schema.Realm{Schemas: []*schema.Schema{{Name: "app", Tables: []*schema.Table{{
			Name: "hero", Columns: []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}, c},
			PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
		}}}}}
	}
	power := func(ty string, null bool) *schema.Column {
		return &schema.Column{Name: "power", Type: schema.Type{Name: ty}, Null: null}
	}
	large := lint.Options{AllowDestructive: true, Rows: func(string) (int64, bool) { return lint.DefaultLargeTable, true }}
	tests := []struct {
		name     string
		from, to *schema.Column
		want     string
		alg      string
	}{
		{"not null rebuilds in place", power("int", true), power("int", false), `table "hero" is rebuilt INPLACE on MariaDB 10.11.19 to carry out the change; writes go on`, "INPLACE"},
		{"bigint copies", power("int", false), power("bigint", false), `table "hero" is copied (rebuilt) to carry out the change, and writes to it wait`, "COPY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := lint.New(table(tt.from), table(tt.to), d, large)
			if err != nil {
				t.Fatal(err)
			}
			var msg string
			for _, f := range p.Findings {
				if f.Code == lint.CodeTableCopy {
					msg = f.Message
				}
			}
			if !strings.HasPrefix(msg, tt.want) {
				t.Errorf("HZ101 = %q, want it to start with %q", msg, tt.want)
			}
			if len(p.Algorithms) != 1 || p.Algorithms[0].Algorithm != tt.alg {
				t.Errorf("Algorithms = %+v, want one %s", p.Algorithms, tt.alg)
			}
		})
	}
}
