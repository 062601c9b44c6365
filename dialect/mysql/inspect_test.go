package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// counting counts the queries Inspect sends.
type counting struct {
	q       mysql.Querier
	queries []string
}

func (c *counting) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.queries = append(c.queries, query)
	return c.q.QueryContext(ctx, query, args...)
}

// TestInspectQueryCount inspects databases of 1 and 25 tables, each with
// columns, indexes, a foreign key, a check, a trigger, a view, a partitioned
// table and a procedure with parameters, so that every catalog query runs:
// the number of queries must be the same, and at most 10.
func TestInspectQueryCount(t *testing.T) {
	const budget = 10
	counts := map[int]int{}
	for _, n := range []int{1, 25} {
		s := newServer(t)
		s.exec(t, "CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id)) PARTITION BY HASH (id) PARTITIONS 2",
			"CREATE PROCEDURE pr(IN x int, OUT y varchar(10)) BEGIN SELECT 1; END",
			"CREATE FUNCTION fn() RETURNS int DETERMINISTIC RETURN 1")
		for i := range n {
			s.exec(t,
				fmt.Sprintf(`CREATE TABLE t%d (id int PRIMARY KEY, parent int NULL, name varchar(20) NOT NULL DEFAULT 'x',
	doc json NULL, KEY t%d_name (name), CONSTRAINT t%d_chk CHECK (id > 0),
	CONSTRAINT t%d_fk FOREIGN KEY (parent) REFERENCES t%d (id))`, i, i, i, i, i),
				fmt.Sprintf("CREATE TRIGGER t%d_trg BEFORE INSERT ON t%d FOR EACH ROW SET NEW.name = upper(NEW.name)", i, i),
				fmt.Sprintf("CREATE VIEW v%d AS SELECT id FROM t%d", i, i))
		}
		c := &counting{q: s.db}
		r, err := s.d.Inspect(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Schemas[0].Tables); got != n+1 {
			t.Fatalf("inspected %d tables, want %d", got, n+1)
		}
		counts[n] = len(c.queries)
		if counts[n] > budget {
			t.Errorf("%d tables take %d queries, more than %d:\n%s", n, counts[n], budget, strings.Join(c.queries, "\n\n"))
		}
		t.Logf("%d tables: %d queries", n, len(c.queries))
	}
	if counts[1] != counts[25] {
		t.Errorf("1 table takes %d queries, 25 take %d: the count must not grow with the tables", counts[1], counts[25])
	}
}

// TestInspect checks what Inspect makes of features one at a time.
func TestInspect(t *testing.T) {
	tests := []struct {
		name  string
		sql   string
		check func(t *testing.T, tab *schema.Table)
	}{
		{
			name: "display widths and bool",
			sql:  "CREATE TABLE x (a int(11), b tinyint(4) NOT NULL, c tinyint(1), d bool, e bigint(20) unsigned, f int(5) zerofill)",
			check: func(t *testing.T, tab *schema.Table) {
				want := []string{"int", "tinyint", "tinyint(1)", "tinyint(1)", "bigint unsigned", "int(5) unsigned zerofill"}
				for i, c := range tab.Columns {
					if got := c.Type.String(); got != want[i] {
						t.Errorf("column %s: type %s, want %s", c.Name, got, want[i])
					}
				}
			},
		},
		{
			name: "mariadb defaults: quoting, NULL, expressions",
			sql: `CREATE TABLE x (s varchar(10) DEFAULT 'NULL', n varchar(10) DEFAULT NULL, nn int NOT NULL,
	q varchar(20) DEFAULT 'it''s \\ ok', d decimal(5,2) DEFAULT '4.99', ts timestamp NULL DEFAULT current_timestamp(),
	e int DEFAULT (1+2), u char(36) DEFAULT uuid())`,
			check: func(t *testing.T, tab *schema.Table) {
				want := []*schema.Default{
					{Kind: schema.DefaultString, Value: "NULL"}, nil, nil,
					{Kind: schema.DefaultString, Value: `it's \ ok`},
					{Kind: schema.DefaultNumber, Value: "4.99"},
					{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP"},
					{Kind: schema.DefaultRaw, Value: "(1 + 2)"},
					{Kind: schema.DefaultRaw, Value: "(uuid())"},
				}
				for i, c := range tab.Columns {
					if diff := cmp.Diff(want[i], c.Default); diff != "" {
						t.Errorf("column %s default (-want +got):\n%s", c.Name, diff)
					}
				}
			},
		},
		{
			name: "json is longtext with a hidden check on mariadb",
			sql:  "CREATE TABLE x (j json NOT NULL, CONSTRAINT x_chk CHECK (json_length(j) > 0))",
			check: func(t *testing.T, tab *schema.Table) {
				c := tab.Columns[0]
				if c.Type.String() != "json" || c.Charset != "" || c.Collate != "" {
					t.Errorf("json column reads as %s charset %q collate %q", c.Type, c.Charset, c.Collate)
				}
				if len(tab.Checks) != 1 || tab.Checks[0].Name != "x_chk" {
					t.Errorf("checks: %+v, want only x_chk", tab.Checks)
				}
			},
		},
		{
			name: "implicit foreign key index and actions",
			sql: `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE x (a int, b int, FOREIGN KEY (a) REFERENCES p (id), CONSTRAINT x_b FOREIGN KEY (b) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE RESTRICT)`,
			check: func(t *testing.T, tab *schema.Table) {
				var names []string
				for _, i := range tab.Indexes {
					names = append(names, i.Name)
				}
				if diff := cmp.Diff([]string{"a", "x_b"}, names); diff != "" {
					t.Errorf("indexes (-want +got):\n%s", diff)
				}
				want := []*schema.ForeignKey{
					{Name: "x_b", Columns: []string{"b"}, RefTable: "p", RefColumns: []string{"id"}},
					{Name: "x_ibfk_1", Columns: []string{"a"}, RefTable: "p", RefColumns: []string{"id"}},
				}
				if diff := cmp.Diff(want, tab.ForeignKeys, cmpOpts); diff != "" {
					t.Errorf("foreign keys (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "charsets relative to the table",
			sql: `CREATE TABLE x (a varchar(5), b varchar(5) CHARACTER SET latin1, c varchar(5) COLLATE utf8mb4_bin,
	d varchar(5) CHARACTER SET utf8 COLLATE utf8_bin, e text CHARACTER SET latin1 COLLATE latin1_swedish_ci, f int) DEFAULT CHARSET=utf8mb4`,
			check: func(t *testing.T, tab *schema.Table) {
				want := [][2]string{{"", ""}, {"latin1", ""}, {"", "utf8mb4_bin"}, {"utf8mb3", "utf8mb3_bin"}, {"latin1", ""}, {"", ""}}
				for i, c := range tab.Columns {
					if got := [2]string{c.Charset, c.Collate}; got != want[i] {
						t.Errorf("column %s: charset, collate %q, want %q", c.Name, got, want[i])
					}
				}
				if tab.Charset != "utf8mb4" || tab.Collate != "utf8mb4_general_ci" {
					t.Errorf("table charset %s collate %s", tab.Charset, tab.Collate)
				}
			},
		},
		{
			name: "index parts: prefix, desc, fulltext, comment, key order",
			sql: `CREATE TABLE x (id int NOT NULL, a varchar(50), b int, c text,
	KEY zz (a(10), b DESC) COMMENT 'c', UNIQUE KEY yy (b), FULLTEXT KEY ft (c), PRIMARY KEY (id) COMMENT 'pk')`,
			check: func(t *testing.T, tab *schema.Table) {
				want := []*schema.Index{
					{Name: "yy", Unique: true, Parts: []schema.IndexPart{{Column: "b"}}},
					{Name: "zz", Comment: "c", Parts: []schema.IndexPart{{Column: "a", Prefix: 10}, {Column: "b", Desc: true}}},
					{Name: "ft", Type: "FULLTEXT", Parts: []schema.IndexPart{{Column: "c"}}},
				}
				if diff := cmp.Diff(want, tab.Indexes); diff != "" {
					t.Errorf("indexes in key order (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(&schema.Index{Comment: "pk", Parts: []schema.IndexPart{{Column: "id"}}}, tab.PrimaryKey); diff != "" {
					t.Errorf("primary key (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "generated columns, on update, comments, options",
			sql: `CREATE TABLE x (id int AUTO_INCREMENT PRIMARY KEY COMMENT 'key',
	g int AS (n * 2) VIRTUAL, s varchar(20) AS (concat(n, _utf8mb4'x')) STORED, n int,
	u datetime(2) ON UPDATE current_timestamp(2)) ENGINE=MyISAM AUTO_INCREMENT=42 COMMENT='it''s'`,
			check: func(t *testing.T, tab *schema.Table) {
				c := tab.Columns
				if !c[0].AutoIncrement || c[0].Comment != "key" {
					t.Errorf("id: %+v", c[0])
				}
				if diff := cmp.Diff(&schema.Generated{Expr: "`n` * 2"}, c[1].Generated); diff != "" {
					t.Errorf("g (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(&schema.Generated{Expr: "concat(`n`, 'x')", Stored: true}, c[2].Generated); diff != "" {
					t.Errorf("s (-want +got):\n%s", diff)
				}
				if c[4].OnUpdate != "CURRENT_TIMESTAMP(2)" || c[4].Default != nil {
					t.Errorf("u: on update %q default %+v", c[4].OnUpdate, c[4].Default)
				}
				if tab.Engine != "MyISAM" || tab.AutoIncrement != 42 || tab.Comment != "it's" {
					t.Errorf("options: engine %s auto_increment %d comment %q", tab.Engine, tab.AutoIncrement, tab.Comment)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.script(t, tt.sql)
			r := s.inspect(t)
			tab, ok := r.Schemas[0].Table("x")
			if !ok {
				t.Fatal("no table x")
			}
			tt.check(t, tab)
			// Inspect's output is normal: Normalize leaves it unchanged.
			again := s.inspect(t)
			if err := s.d.Normalize(again); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(r, again, cmpOpts); diff != "" {
				t.Errorf("Normalize changed inspected output (-inspected +normalized):\n%s", diff)
			}
		})
	}
}

// TestInspectObjects checks that what the language does not cover is
// reported with its SQL.
func TestInspectObjects(t *testing.T) {
	s := newServer(t)
	other := newServer(t)
	other.exec(t, "CREATE TABLE parent (id int PRIMARY KEY)")
	s.script(t, `CREATE TABLE t (id int PRIMARY KEY, n int, CONSTRAINT t_elsewhere FOREIGN KEY (n) REFERENCES `+other.name+`.parent (id));
CREATE VIEW v AS SELECT id FROM t WHERE n > 1;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;
CREATE PROCEDURE pr(IN x int, OUT y varchar(10)) COMMENT 'c' BEGIN SELECT 1; END;
CREATE FUNCTION fn(x int) RETURNS int DETERMINISTIC RETURN x + 1;
CREATE SEQUENCE sq;
CREATE TABLE parts (id int PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2`)
	sc := s.inspect(t).Schemas[0]
	var got []string
	for _, o := range sc.Objects {
		got = append(got, o.Kind+" "+o.Name+": "+o.SQL)
	}
	want := []string{
		"foreign key t_elsewhere: CONSTRAINT `t_elsewhere` FOREIGN KEY (`n`) REFERENCES `" + other.name + "`.`parent` (`id`)",
		"function fn: CREATE FUNCTION `fn`(`x` int(11)) RETURNS int(11) DETERMINISTIC\nRETURN x + 1",
		"partitioning parts: PARTITION BY HASH (`id`) (PARTITION `p0`, PARTITION `p1`)",
		"procedure pr: CREATE PROCEDURE `pr`(IN `x` int(11), OUT `y` varchar(10)) COMMENT 'c'\nBEGIN SELECT 1; END",
		"sequence sq: CREATE SEQUENCE `sq`",
		"view v: CREATE VIEW `v` AS select `" + s.name + "`.`t`.`id` AS `id` from `" + s.name + "`.`t` where `" + s.name + "`.`t`.`n` > 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	tab, _ := sc.Table("t")
	if len(tab.ForeignKeys) != 0 {
		t.Errorf("foreign keys of t: %+v, want none managed", tab.ForeignKeys)
	}
	if len(tab.Triggers) != 1 || !strings.HasPrefix(tab.Triggers[0].SQL, "CREATE TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.n = 1") {
		t.Errorf("triggers of t: %+v", tab.Triggers)
	}
}

// TestDefaultActionsEqual: NO ACTION, RESTRICT and no action at all are one
// action on MySQL (hcl-language §9.4; InnoDB refuses the change at once for
// each). Keys created with any of them plan nothing against HCL that names
// any other.
func TestDefaultActionsEqual(t *testing.T) {
	s := newServer(t)
	s.exec(t, "CREATE TABLE p (id int NOT NULL PRIMARY KEY)",
		"CREATE TABLE c (a int NULL, b int NULL, d int NULL, KEY c_a (a), KEY c_b (b), KEY c_d (d),"+
			" CONSTRAINT c_a FOREIGN KEY (a) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE NO ACTION,"+
			" CONSTRAINT c_b FOREIGN KEY (b) REFERENCES p (id) ON DELETE RESTRICT ON UPDATE RESTRICT,"+
			" CONSTRAINT c_d FOREIGN KEY (d) REFERENCES p (id))")
	live := s.inspect(t)
	for _, actions := range [][2]string{{"", ""}, {"NO_ACTION", "NO_ACTION"}, {"RESTRICT", "RESTRICT"}, {"NO_ACTION", "RESTRICT"}} {
		attr := func(name, v string) string {
			if v == "" {
				return ""
			}
			return fmt.Sprintf("    %s = %s\n", name, v)
		}
		var fks strings.Builder
		for _, col := range []string{"a", "b", "d"} {
			fmt.Fprintf(&fks, "  foreign_key \"c_%s\" {\n    columns = [column.%s]\n    ref_columns = [table.p.column.id]\n%s%s  }\n",
				col, col, attr("on_delete", actions[0]), attr("on_update", actions[1]))
		}
		src := `schema "$DB" {}
table "p" {
  schema = schema.$DB
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
}
table "c" {
  schema = schema.$DB
  column "a" {
    null = true
    type = int
  }
  column "b" {
    null = true
    type = int
  }
  column "d" {
    null = true
    type = int
  }
  index "c_a" {
    columns = [column.a]
  }
  index "c_b" {
    columns = [column.b]
  }
  index "c_d" {
    columns = [column.d]
  }
` + fks.String() + "}\n"
		if changes, err := planner.Diff(live, s.decode(t, src), s.d); err != nil || len(changes) != 0 {
			t.Errorf("on_delete %q, on_update %q: %v\n%s", actions[0], actions[1], err, describe(changes))
		}
	}
}
