// Package schemagen generates random, valid schemas for property tests: a
// seeded generator of schema realms, of random edits to them (tables,
// columns of every supported type and attribute, indexes, foreign keys with
// cycles and self-references, checks, renames with renamed_from hints), and
// of rows that satisfy every constraint, for SQLite and for MySQL/MariaDB.
//
// The same seed always gives the same realms, edits and rows, so a failing
// property test can print its seed and both schemas and be replayed.
//
// Edits are data-safe: a change that existing rows could not survive (a new
// NOT NULL column without a default, a unique index over values that repeat,
// a check the rows fail) is never generated, so that a migration failure in a
// property test is a bug, not a bad case.
package schemagen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Config selects what the generator produces.
type Config struct {
	// Dialect is schema.SQLite or schema.MySQL.
	Dialect schema.Dialect
	// Schema is the schema name: "main" on SQLite (the default), the
	// database name on MySQL.
	Schema string
	// MaxTables bounds the number of tables of the first realm; 0 means 5.
	MaxTables int
	// Hostile is the probability that a new name is a hostile one (quotes,
	// backticks, spaces, semicolons, unicode, reserved words); 0 means
	// 0.15, a negative value never.
	Hostile float64
	// MariaDB restricts MySQL output to what MariaDB accepts (no
	// functional index parts, no NOT ENFORCED checks).
	MariaDB bool
}

// Gen generates a realm and a chain of edits of it. It is not safe for
// concurrent use.
type Gen struct {
	r   *rand.Rand
	cfg Config
	m   *model
	// prev is the model before the edit being made: names it used are
	// not reused, so that no rename hint is ever ambiguous.
	prev *model
	n    int // counter for plain names
}

// New returns a generator seeded with seed.
func New(seed uint64, cfg Config) *Gen {
	if cfg.Dialect == "" {
		cfg.Dialect = schema.SQLite
	}
	if cfg.Schema == "" {
		cfg.Schema = "main"
	}
	if cfg.MaxTables <= 0 {
		cfg.MaxTables = 5
	}
	switch {
	case cfg.Hostile == 0:
		cfg.Hostile = 0.15
	case cfg.Hostile < 0:
		cfg.Hostile = 0
	}
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x5eed5eed)), cfg: cfg}
}

func (g *Gen) sqlite() bool { return g.cfg.Dialect == schema.SQLite }

func (g *Gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *Gen) intn(n int) int { return g.r.IntN(n) }

func pick[T any](g *Gen, list []T) T { return list[g.r.IntN(len(list))] }

// Realm generates the first realm: one to MaxTables tables, with foreign
// keys between them (cycles and self-references included).
func (g *Gen) Realm() *schema.Realm {
	g.m = &model{}
	n := 1 + g.intn(g.cfg.MaxTables)
	for range n {
		g.newTable()
	}
	for _, t := range g.m.tables {
		for range g.intn(3) {
			g.addForeignKey(t, false)
		}
	}
	return g.realm()
}

// hostileNames are names that must be quoted correctly everywhere. The
// dialect-specific ones are added by hostile().
var hostileNames = []string{
	"order", "select", "group", "from", "key", "index", "table", "check", "default", "primary",
	"a b", "semi;colon", "it's", `dq"uote`, "back`tick", "a`; DROP TABLE x; --",
	"ünïcødé", "日本語", "CamelCase", "dash-ed", "9lives", "dot.ted", "x", "per%cent", "two  spaces",
	"-- comment", "/* c */", "$dollar", "tab\there",
}

// name returns a new name that is not in used (compared case-insensitively,
// as both engines compare most names) and records it. prefix makes the plain
// names readable: t7, c12, ix3.
func (g *Gen) name(prefix string, used map[string]bool) string {
	for {
		var n string
		if g.chance(g.cfg.Hostile) {
			n = pick(g, hostileNames)
			if g.sqlite() && g.chance(0.3) {
				n = pick(g, []string{"emoji 🎉", "rowid", "oid", "_rowid_"})
			}
			if len(used) > 0 && g.chance(0.3) {
				// Another name with a twist: a prefix a tool might
				// use for temporary copies, or a change of case.
				n = pick(g, []string{"new_", "tmp_", "old_", "_"}) + g.anyKey(used)
			}
		} else {
			g.n++
			n = fmt.Sprintf("%s%d", prefix, g.n)
		}
		if !g.sqlite() {
			n = mysqlSafe(n)
		}
		if n == "" || used[strings.ToLower(n)] || strings.HasPrefix(strings.ToLower(n), "sqlite_") {
			continue
		}
		used[strings.ToLower(n)] = true
		return n
	}
}

// anyKey returns some key of used, deterministically for the generator's
// state (maps iterate in random order).
func (g *Gen) anyKey(used map[string]bool) string {
	keys := make([]string, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[g.intn(len(keys))]
}

// mysqlSafe adapts a name to MySQL's identifier rules: at most 64
// characters of the Basic Multilingual Plane, no trailing space, and none of
// the characters that cannot be in a file name (tables are files).
func mysqlSafe(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r > 0xFFFF || r == '/' || r == '\\' || r == '.' || r == 0 {
			continue
		}
		b.WriteRune(r)
	}
	s := strings.TrimRight(b.String(), " ")
	if len([]rune(s)) > 60 {
		s = string([]rune(s)[:60])
	}
	return s
}

// dbNames returns the names that share a namespace in the database: tables
// and (on SQLite) indexes, lower case.
func (g *Gen) dbNames() map[string]bool {
	used := map[string]bool{}
	tables := g.m.tables
	if g.prev != nil {
		tables = slices.Concat(tables, g.prev.tables)
	}
	for _, t := range tables {
		used[strings.ToLower(t.name)] = true
		if t.renamedFrom != "" {
			used[strings.ToLower(t.renamedFrom)] = true
		}
		if !g.sqlite() {
			continue
		}
		for _, i := range t.indexes {
			used[strings.ToLower(i.name)] = true
			if i.renamedFrom != "" {
				used[strings.ToLower(i.renamedFrom)] = true
			}
		}
	}
	return used
}

// indexNames returns the names an index of t must not take: on SQLite
// every table and index name, on MySQL the other indexes of t.
func (g *Gen) indexNames(t *table) map[string]bool {
	if g.sqlite() {
		return g.dbNames()
	}
	used := map[string]bool{"primary": true}
	for _, i := range t.indexes {
		used[strings.ToLower(i.name)] = true
		if i.renamedFrom != "" {
			used[strings.ToLower(i.renamedFrom)] = true
		}
	}
	return used
}

// constraintNames returns the names a foreign key or check must not take:
// on MySQL they are unique per database (and share a namespace there), on
// SQLite per table.
func (g *Gen) constraintNames(t *table) map[string]bool {
	used := map[string]bool{}
	if !g.sqlite() {
		used["primary"] = true // a foreign key's implicit index takes its name
	}
	tables := g.m.tables
	if g.prev != nil {
		tables = slices.Concat(tables, g.prev.tables)
	}
	for _, o := range tables {
		if g.sqlite() && o.id != t.id {
			continue
		}
		for _, f := range o.fks {
			used[strings.ToLower(f.name)] = true
		}
		for _, k := range o.checks {
			used[strings.ToLower(k.name)] = true
		}
		if !g.sqlite() {
			// MySQL names a foreign key's implicit index after it.
			for _, i := range o.indexes {
				used[strings.ToLower(i.name)] = true
			}
		}
	}
	return used
}

func (t *table) colNames() map[string]bool {
	used := map[string]bool{}
	for _, c := range t.cols {
		used[strings.ToLower(c.name)] = true
		if c.renamedFrom != "" {
			used[strings.ToLower(c.renamedFrom)] = true
		}
	}
	return used
}
