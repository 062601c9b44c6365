package lint

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// step is one statement of a test script: its SQL (for the rename
// keywords), an optional comment and the tables after it.
type step struct {
	sql, comment string
	after        []*schema.Table
}

func script(before []*schema.Table, steps ...step) *Script {
	s := &Script{File: "m.sql", Before: realm(before...)}
	for i, st := range steps {
		s.Steps = append(s.Steps, Step{Line: 10 + i, SQL: st.sql, Comment: st.comment, After: realm(st.after...)})
	}
	return s
}

// three is a table with columns id, a and b (integers).
func three(name string, f ...func(*schema.Table)) *schema.Table {
	t := &schema.Table{
		Name:       name,
		Columns:    []*schema.Column{col("id", typ("integer"), false), col("a", typ("integer"), true), col("b", typ("text"), true)},
		PrimaryKey: pk("id"),
	}
	for _, g := range f {
		g(t)
	}
	return t
}

func dropCol(name string) func(*schema.Table) {
	return func(t *schema.Table) {
		for i, c := range t.Columns {
			if c.Name == name {
				t.Columns = append(t.Columns[:i:i], t.Columns[i+1:]...)
				return
			}
		}
	}
}

func renameCol(from, to string) func(*schema.Table) {
	return func(t *schema.Table) {
		c, _ := t.Column(from)
		c.Name = to
	}
}

// rebuildSteps are the statements of a SQLite rebuild of t into want.
func rebuildSteps(before []*schema.Table, want *schema.Table, comment string) []step {
	others := func(ts ...*schema.Table) []*schema.Table {
		var out []*schema.Table
		for _, t := range before {
			if t.Name != want.Name {
				out = append(out, t)
			}
		}
		return append(out, ts...)
	}
	old, _ := realm(before...).Schemas[0].Table(want.Name)
	tmp := with(withColumnCopies(want), func(t *schema.Table) { t.Name = "new_" + want.Name })
	return []step{
		{sql: "CREATE TABLE new_t (...)", comment: comment, after: others(old, tmp)},
		{sql: "INSERT INTO new_t SELECT ...", after: others(old, tmp)},
		{sql: "DROP TABLE t", after: others(tmp)},
		{sql: "ALTER TABLE new_t RENAME TO t", after: others(want)},
	}
}

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		s    *Script
		want []string // "line code"
	}{
		{
			name: "a rebuild that drops a column is a drop, not a dropped table",
			s:    script([]*schema.Table{three("t")}, rebuildSteps([]*schema.Table{three("t")}, three("t", dropCol("b")), "")...),
			want: []string{"10 DS103", "10 HZ101"},
		},
		{
			name: "RENAME COLUMN is a rename",
			s:    script([]*schema.Table{three("t")}, step{sql: "ALTER TABLE t RENAME COLUMN a TO c", after: []*schema.Table{three("t", renameCol("a", "c"))}}),
			want: []string{"10 BC102"},
		},
		{
			name: "a rename followed by a rebuild stays a rename",
			s: func() *Script {
				renamed := three("t", renameCol("a", "c"))
				widened := three("t", renameCol("a", "c"), func(t *schema.Table) { t.Columns[1].Type = typ("bigint") })
				steps := append([]step{{sql: "ALTER TABLE t RENAME COLUMN a TO c", after: []*schema.Table{renamed}}},
					rebuildSteps([]*schema.Table{renamed}, widened, "")...)
				return script([]*schema.Table{three("t")}, steps...)
			}(),
			want: []string{"10 BC102", "11 DS104", "11 HZ101"},
		},
		{
			name: "a table rename",
			s:    script([]*schema.Table{three("t")}, step{sql: "ALTER TABLE t RENAME TO u", after: []*schema.Table{three("u")}}),
			want: []string{"10 BC101"},
		},
		{
			name: "CHANGE with a new type is a rename and a type change",
			s: script([]*schema.Table{three("t")}, step{
				sql:   "ALTER TABLE t CHANGE a c varchar(3)",
				after: []*schema.Table{three("t", renameCol("a", "c"), func(t *schema.Table) { t.Columns[1].Type = typ("varchar", 3) })},
			}),
			want: []string{"10 BC102", "10 DS104"},
		},
		{
			name: "DROP and ADD in two statements: a probable rename",
			s: script([]*schema.Table{three("t")},
				step{sql: "ALTER TABLE t DROP COLUMN a", after: []*schema.Table{three("t", dropCol("a"))}},
				step{sql: "ALTER TABLE t ADD COLUMN c integer", after: []*schema.Table{three("t", renameCol("a", "c"), func(t *schema.Table) {
					t.Columns = append(t.Columns[:1:1], t.Columns[2], t.Columns[1])
				})}},
			),
			want: []string{"10 DS103", "10 RN102"},
		},
		{
			name: "a column added and dropped in one file is no loss",
			s: script([]*schema.Table{three("t")},
				step{sql: "ALTER TABLE t ADD COLUMN tmp integer", after: []*schema.Table{three("t", func(t *schema.Table) { t.Columns = append(t.Columns, col("tmp", typ("integer"), true)) })}},
				step{sql: "ALTER TABLE t DROP COLUMN tmp", after: []*schema.Table{three("t")}},
			),
		},
		{
			name: "findings are placed at their statement",
			s: script([]*schema.Table{three("t"), three("old")},
				step{sql: "CREATE INDEX t_b ON t (b)", after: []*schema.Table{three("t", func(t *schema.Table) { t.Indexes = []*schema.Index{idx("t_b", false, "b")} }), three("old")}},
				step{sql: "DROP TABLE old", after: []*schema.Table{three("t", func(t *schema.Table) { t.Indexes = []*schema.Index{idx("t_b", false, "b")} })}},
				step{sql: "CREATE UNIQUE INDEX t_a ON t (a)", after: []*schema.Table{three("t", func(t *schema.Table) {
					t.Indexes = []*schema.Index{idx("t_a", true, "a"), idx("t_b", false, "b")}
				})}},
			),
			want: []string{"11 DS102", "12 MF101"},
		},
		{
			name: "nolint with a code silences that code of its statement",
			s:    script([]*schema.Table{three("t")}, rebuildSteps([]*schema.Table{three("t")}, three("t", dropCol("b")), "rebuild t\nschemactl:nolint DS103")...),
			want: []string{"10 DS103 silenced", "10 HZ101"},
		},
		{
			name: "nolint alone silences every code of its statement",
			s:    script([]*schema.Table{three("t")}, rebuildSteps([]*schema.Table{three("t")}, three("t", dropCol("b")), "schemactl:nolint")...),
			want: []string{"10 DS103 silenced", "10 HZ101 silenced"},
		},
		{
			name: "a reason that mentions a code does not silence it; an unknown code is reported",
			s:    script([]*schema.Table{three("t")}, rebuildSteps([]*schema.Table{three("t")}, three("t", dropCol("b")), "schemactl:nolint DS103,XX999 column b moved; HZ101 is fine")...),
			want: []string{"10 DS103 silenced: column b moved; HZ101 is fine", "10 HZ101", "10 NL101"},
		},
		{
			name: "nolint of another code silences nothing",
			s:    script([]*schema.Table{three("t")}, rebuildSteps([]*schema.Table{three("t")}, three("t", dropCol("b")), "schemactl:nolint MF101, MF102")...),
			want: []string{"10 DS103", "10 HZ101"},
		},
		{name: "no statements", s: script([]*schema.Table{three("t")})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File(tt.s, fakeDialect{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, f := range got {
				if f.File != "m.sql" {
					t.Errorf("%s: file %q", f.Code, f.File)
				}
				l := fmt.Sprintf("%d %s", f.Line, f.Code)
				if f.Silenced {
					l += " silenced"
				}
				if f.Reason != "" {
					l += ": " + f.Reason
				}
				lines = append(lines, l)
			}
			if diff := cmp.Diff(tt.want, lines); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDirective(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
		want Directive
	}{
		{"schemactl:nolint", true, Directive{}},
		{" schemactl:nolint DS103", true, Directive{Codes: []string{"DS103"}}},
		{"schemactl:nolint ds103,MF101", true, Directive{Codes: []string{"DS103", "MF101"}}},
		{"schemactl:nolint DS103, MF101 the column is unused since v2", true, Directive{Codes: []string{"DS103", "MF101"}, Reason: "the column is unused since v2"}},
		{"schemactl:nolint DS103 unused; DS102 is not meant", true, Directive{Codes: []string{"DS103"}, Reason: "unused; DS102 is not meant"}},
		{"schemactl:nolint allowed with --allow-destructive", true, Directive{Reason: "allowed with --allow-destructive"}},
		{"see schemactl:nolint DS103", false, Directive{}},
		{"schemactl:nolintDS103", false, Directive{}},
	}
	for _, tt := range tests {
		got, ok := ParseDirective(tt.line)
		if ok != tt.ok || !cmp.Equal(got, tt.want, cmpopts.EquateEmpty()) {
			t.Errorf("ParseDirective(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
	d, _ := ParseDirective("schemactl:nolint DS103 not DS102")
	if !d.Silences("ds103") || d.Silences("DS102") {
		t.Errorf("%+v silences the wrong codes", d)
	}
}

// TestFileReadersBreak: lint of a migration file warns, as plan does,
// when a statement drops a column that a view of the schema reads (BC103).
func TestFileReadersBreak(t *testing.T) {
	view := []*schema.Object{{Kind: "view", Name: "ta", SQL: "CREATE VIEW ta AS SELECT a FROM t"}}
	bc103 := func(s *Script) []string {
		findings, err := File(s, lintDialect{}, Options{AllowDestructive: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range findings {
			if f.Code == CodeReaderBreaks {
				got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Message))
			}
		}
		return got
	}
	// The view stays: it breaks.
	s := script([]*schema.Table{three("t")}, step{sql: "ALTER TABLE t DROP COLUMN a", after: []*schema.Table{three("t", dropCol("a"))}})
	s.Before.Schemas[0].Objects = view
	s.Steps[0].After.Schemas[0].Objects = view
	want := []string{`m.sql:10 drop column "a" of table "t": view "ta" may read it and fail once it is gone`}
	if diff := cmp.Diff(want, bc103(s)); diff != "" {
		t.Errorf("BC103 (-want +got):\n%s", diff)
	}
	// The file drops the view first, as BC103 advises: nothing to say.
	s = script([]*schema.Table{three("t")},
		step{sql: "DROP VIEW ta", after: []*schema.Table{three("t")}},
		step{sql: "ALTER TABLE t DROP COLUMN a", after: []*schema.Table{three("t", dropCol("a"))}})
	s.Before.Schemas[0].Objects = view
	if got := bc103(s); len(got) != 0 {
		t.Errorf("BC103 after the view is dropped: %q", got)
	}
}

// TestFileRebuildRename: a rebuild that renames a column copies it under its
// new name (INSERT INTO new (bb) SELECT a FROM t): lint reads that as
// the rename it is, not as a drop (DS103) and an add.
func TestFileRebuildRename(t *testing.T) {
	before := []*schema.Table{three("t")}
	renamed := three("t", func(t *schema.Table) { t.Columns[1].Name = "bb" })
	tmp := three("_tmp_t", func(t *schema.Table) { t.Columns[1].Name = "bb" })
	s := script(before,
		step{sql: "CREATE TABLE `_tmp_t` (id integer, bb integer, b text)", after: []*schema.Table{three("t"), tmp}},
		step{sql: "INSERT INTO `_tmp_t` (`id`, `bb`, `b`) SELECT `id`, `a`, IFNULL(\"b\", 'x, y') FROM t", after: []*schema.Table{three("t"), tmp}},
		step{sql: "DROP TABLE `t`", after: []*schema.Table{tmp}},
		step{sql: "ALTER TABLE `_tmp_t` RENAME TO `t`", after: []*schema.Table{renamed}},
	)
	got, err := File(s, lexingDialect{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		if f.Code == CodeDropColumn || f.Code == CodeProbableColumnRename {
			t.Errorf("the rename in a rebuild reads as %s: %s", f.Code, f.Message)
		}
	}
}

// lexingDialect is fakeDialect with SQLite's lexer, which lint uses to read
// a rebuild's copy statement.
type lexingDialect struct{ fakeDialect }

func (lexingDialect) Scanner(src string) *sqltext.Scanner { return sqlite.New().Scanner(src) }
