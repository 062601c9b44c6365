package schemahcl

import (
	"fmt"
	"math/rand"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// gen builds random models that are valid for a dialect, for the
// decode(encode(m)) == m property. It is seeded, so failures reproduce.
type gen struct {
	r      *rand.Rand
	dl     schema.Dialect
	n      int             // counter for unique names
	tables map[string]bool // table names, lower case
	dbIdx  map[string]bool // index names per database (SQLite, with the table names: one namespace), lower case
	dbFK   map[string]bool // foreign key names per database (MySQL)
	s      *schema.Schema
}

func newGen(seed int64, dl schema.Dialect) *gen {
	g := &gen{r: rand.New(rand.NewSource(seed)), dl: dl,
		tables: map[string]bool{}, dbIdx: map[string]bool{}, dbFK: map[string]bool{}}
	if dl == schema.SQLite {
		g.dbIdx = g.tables
	}
	return g
}

// names that are not identifiers, collide with keywords of the language or
// need escaping in HCL strings.
var oddNames = []string{
	"id", "name", "display name", "item-id", "9lives", "dot.ted", "\u00fcn\u00efcode", "int", "CASCADE",
	"column", "table", "null", "schema", "x y", `quo"te`, `back\slash`, "dollar${x}", "per%{cent}",
	"for", "true", "_under",
}

var texts = []string{
	"plain", "it's", `say "hi"`, `back\slash`, "dollar ${x}", "percent %{y}", "new\nline",
	"tab\there", "\u00fcn\u00efc\u00f6d\u00e9", "emoji \U0001F389", "$$", "%%", "a = b", " padded ",
}

// lob reports whether MySQL indexes a column of type t only by a prefix.
func (g *gen) lob(t schema.Type) bool {
	c := g.reg().classOf(t)
	return c == schema.ClassText || c == schema.ClassBlob || c == schema.ClassJSON
}

// strictType reports whether a STRICT table takes t, as typ makes them.
func strictType(t schema.Type) bool {
	return strings.EqualFold(t.Raw, "any") || t.Args == nil && contains([]string{"int", "integer", "real", "text", "blob"}, t.Name)
}

// reg is the type registry of the generator's dialect.
func (g *gen) reg() *registry { return newRegistry(dialectFor(g.dl).Language()) }

func (g *gen) pick(list []string) string { return list[g.r.Intn(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// uniqueName returns a name not in used (compared case-insensitively) and
// records it.
func (g *gen) uniqueName(prefix string, used map[string]bool) string {
	for {
		var n string
		if g.chance(0.4) {
			n = g.pick(oddNames)
		} else {
			g.n++
			n = fmt.Sprintf("%s%d", prefix, g.n)
		}
		if !used[strings.ToLower(n)] {
			used[strings.ToLower(n)] = true
			return n
		}
	}
}

func (g *gen) oldName(kind string) string {
	g.n++
	return fmt.Sprintf("old_%s_%d", kind, g.n)
}

func (g *gen) text() string {
	if g.chance(0.5) {
		return g.pick(texts)
	}
	g.n++
	return fmt.Sprintf("text %d", g.n)
}

func (g *gen) realm() *schema.Realm {
	s := &schema.Schema{Name: "main"}
	if g.dl == schema.MySQL {
		s.Name = g.pick([]string{"app", "my-app", "shop"})
		if g.chance(0.5) {
			s.Charset, s.Collate = "utf8mb4", "utf8mb4_bin"
		}
		if g.chance(0.3) {
			s.Comment = g.text()
		}
	}
	g.s = s
	for i, n := 0, 1+g.r.Intn(5); i < n; i++ {
		s.Tables = append(s.Tables, g.table())
	}
	return &schema.Realm{Schemas: []*schema.Schema{s}}
}

func (g *gen) table() *schema.Table {
	t := &schema.Table{Name: g.uniqueName("t", g.tables)}
	mysql := g.dl == schema.MySQL
	if g.chance(0.2) {
		t.RenamedFrom = g.oldName("table")
	}
	if mysql {
		if g.chance(0.3) {
			t.Comment = g.text()
		}
		if g.chance(0.3) {
			t.Charset, t.Collate = "latin1", "latin1_swedish_ci"
		}
		if g.chance(0.3) {
			t.Engine = g.pick([]string{"InnoDB", "MyISAM", "Memory", "CSV", "NDB", "innodb"})
		}
		if g.chance(0.2) {
			t.AutoIncrement = int64(1 + g.r.Intn(1000000))
		}
	} else {
		t.Strict = g.chance(0.2)
	}
	cols := map[string]bool{}
	for i, n := 0, 1+g.r.Intn(6); i < n; i++ {
		t.Columns = append(t.Columns, g.column(t, cols))
	}
	g.primaryKey(t)
	g.autoIncrement(t)
	g.indexes(t)
	g.foreignKeys(t, cols)
	checks := map[string]bool{}
	for i, n := 0, g.r.Intn(3); i < n; i++ {
		ck := &schema.Check{Expr: g.text(), Enforced: true}
		if g.chance(0.7) {
			ck.Name = g.uniqueName("ck", checks)
		}
		if mysql && g.chance(0.3) {
			ck.Enforced = false
		}
		t.Checks = append(t.Checks, ck)
	}
	return t
}

func (g *gen) column(t *schema.Table, used map[string]bool) *schema.Column {
	c := &schema.Column{Name: g.uniqueName("c", used), Null: g.chance(0.5)}
	if g.chance(0.15) {
		c.RenamedFrom = g.oldName("col")
	}
	c.Type = g.typ(t.Strict)
	class := g.reg().classOf(c.Type)
	if g.dl == schema.MySQL {
		g.mysqlColumn(c, class)
	}
	if g.chance(0.15) {
		c.Generated = &schema.Generated{Expr: g.text(), Stored: g.chance(0.5)}
		return c
	}
	if g.chance(0.5) {
		c.Default = g.defaultFor(c.Type, class)
	}
	return c
}

func (g *gen) mysqlColumn(c *schema.Column, class schema.TypeClass) {
	switch class {
	case schema.ClassInteger, schema.ClassDecimal, schema.ClassFloat:
		c.Type.Unsigned = g.chance(0.3)
	case schema.ClassOther:
		c.Type.Unsigned = c.Type.Raw != "" && g.chance(0.2)
	case schema.ClassChar, schema.ClassText, schema.ClassEnum, schema.ClassSet:
		if g.chance(0.3) {
			c.Charset = "utf8mb4"
		}
		if g.chance(0.3) {
			c.Collate = "utf8mb4_unicode_ci"
		}
	case schema.ClassDatetime:
		if g.chance(0.4) {
			fsp := 0
			if len(c.Type.Args) == 1 {
				fsp = c.Type.Args[0]
			}
			c.OnUpdate = timestampCall(g.pick([]string{"CURRENT_TIMESTAMP", "current_timestamp", "LOCALTIMESTAMP"}), fsp)
			if fsp == 0 && g.chance(0.3) {
				c.OnUpdate = "now()"
			}
		}
	}
	if g.chance(0.2) {
		c.Comment = g.text()
	}
}

var rawTypes = []string{"uuid", "vector(3)", "geography", "int unsigned zerofill", "CHAR(10) COLLATE NOCASE", "x ${y}"}

// typ returns a random type of the dialect's registry with valid arguments,
// or a raw type.
func (g *gen) typ(strict bool) schema.Type {
	if strict {
		if g.chance(0.15) {
			return schema.Type{Raw: g.pick([]string{"ANY", "any"})}
		}
		return schema.Type{Name: g.pick([]string{"int", "integer", "real", "text", "blob"})}
	}
	if g.chance(0.1) {
		return schema.Type{Raw: g.pick(rawTypes)}
	}
	reg := dialectFor(g.dl).Language().Types
	s := &reg[g.r.Intn(len(reg))]
	t := schema.Type{Name: s.Name}
	if s.Values {
		seen := map[string]bool{}
		for i, n := 0, 1+g.r.Intn(4); i < n; i++ {
			v := g.pick(texts)
			if seen[strings.ToLower(v)] || (s.Class == schema.ClassSet && strings.Contains(v, ",")) {
				continue
			}
			seen[strings.ToLower(v)] = true
			t.Values = append(t.Values, v)
		}
		return t
	}
	n := s.MinArgs + g.r.Intn(s.MaxArgs-s.MinArgs+1)
	if n == 0 {
		return t
	}
	for range 100 { // draw until the registry's range check accepts
		args := make([]int, n)
		for i := range args {
			args[i] = g.r.Intn(70)
		}
		if s.Name == "year" {
			args[0] = 4
		}
		t.Args = args
		if validArgs(s, t) {
			return t
		}
	}
	t.Args = nil
	if s.MinArgs > 0 {
		t.Args = []int{1}
	}
	return t
}

// defaultFor returns a default that Parse accepts for the type.
func (g *gen) defaultFor(t schema.Type, class schema.TypeClass) *schema.Default {
	mysql := g.dl == schema.MySQL
	num := func() *schema.Default {
		return &schema.Default{Kind: schema.DefaultNumber, Value: g.pick([]string{"0", "-1", "42", "4.99", "1e3", "-0.5", "1.50"})}
	}
	switch class {
	case schema.ClassInteger, schema.ClassDecimal, schema.ClassFloat, schema.ClassBit:
		switch g.r.Intn(4) {
		case 0:
			return &schema.Default{Kind: schema.DefaultString, Value: "7"}
		case 1:
			return &schema.Default{Kind: schema.DefaultBool, Value: "true"}
		case 2:
			return &schema.Default{Kind: schema.DefaultRaw, Value: "(1 + 1)"}
		}
		return num()
	case schema.ClassBool:
		if g.chance(0.5) {
			return &schema.Default{Kind: schema.DefaultBool, Value: g.pick([]string{"true", "false"})}
		}
		return &schema.Default{Kind: schema.DefaultNumber, Value: "1"}
	case schema.ClassEnum:
		return &schema.Default{Kind: schema.DefaultString, Value: g.pick(t.Values)}
	case schema.ClassSet:
		return &schema.Default{Kind: schema.DefaultString, Value: strings.Join(t.Values[:g.r.Intn(len(t.Values)+1)], ",")}
	case schema.ClassChar, schema.ClassText, schema.ClassBinary, schema.ClassBlob, schema.ClassOther:
		if g.chance(0.3) {
			if mysql {
				return &schema.Default{Kind: schema.DefaultRaw, Value: "(uuid())"}
			}
			return &schema.Default{Kind: schema.DefaultRaw, Value: "lower('X')"}
		}
		return &schema.Default{Kind: schema.DefaultString, Value: g.pick(texts)}
	case schema.ClassDate, schema.ClassTime, schema.ClassYear, schema.ClassDatetime:
		if g.chance(0.5) {
			return &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP"}
		}
		return &schema.Default{Kind: schema.DefaultString, Value: "2020-01-01"}
	}
	return &schema.Default{Kind: schema.DefaultRaw, Value: "(JSON_ARRAY())"}
}

func (g *gen) primaryKey(t *schema.Table) {
	mysql := g.dl == schema.MySQL
	if !g.chance(0.7) {
		return
	}
	var cands []*schema.Column
	for _, c := range t.Columns {
		if c.Generated == nil {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return
	}
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	n := 1 + g.r.Intn(min(2, len(cands)))
	pk := &schema.Index{}
	for _, c := range cands[:n] {
		c.Null = false
		p := schema.IndexPart{Column: c.Name}
		if mysql && g.chance(0.2) {
			p.Desc = true
		}
		if mysql && g.lob(c.Type) {
			p.Prefix = 1 + g.r.Intn(50)
		}
		pk.Parts = append(pk.Parts, p)
	}
	if mysql {
		pk.Type = g.pick([]string{"", "", "BTREE", "HASH"})
		if g.chance(0.2) {
			pk.Comment = g.text()
		}
	} else {
		if n == 1 && !t.Strict && g.chance(0.5) {
			cands[0].Type = schema.Type{Name: "integer"} // a rowid alias
			cands[0].Default = nil
		}
		t.WithoutRowID = g.chance(0.2)
	}
	t.PrimaryKey = pk
}

func (g *gen) autoIncrement(t *schema.Table) {
	pk := t.PrimaryKey
	if pk == nil || !g.chance(0.5) {
		return
	}
	c, _ := t.Column(pk.Parts[0].Column)
	switch {
	case c.Generated != nil:
		return
	case g.dl == schema.SQLite && (len(pk.Parts) != 1 || t.WithoutRowID || c.Type.Name != "integer" || c.Type.Args != nil):
		return
	case g.dl == schema.MySQL && g.reg().classOf(c.Type) != schema.ClassInteger:
		return
	}
	c.AutoIncrement = true
	c.Default = nil
}

func (g *gen) indexes(t *schema.Table) {
	mysql := g.dl == schema.MySQL
	used := map[string]bool{}
	for i, n := 0, g.r.Intn(4); i < n; i++ {
		idx := &schema.Index{}
		if mysql {
			idx.Name = g.uniqueName("idx", used)
		} else {
			idx.Name = g.uniqueName("idx", g.dbIdx)
		}
		if g.chance(0.2) {
			idx.RenamedFrom = g.oldName("idx")
		}
		special := mysql && g.chance(0.15)
		if special {
			idx.Type = g.pick([]string{"FULLTEXT", "SPATIAL"})
			if idx.Type == "FULLTEXT" && g.chance(0.5) {
				idx.Parser = g.pick([]string{"ngram", "mecab", "my_parser"})
			}
		} else {
			idx.Unique = g.chance(0.4)
			if mysql {
				idx.Type = g.pick([]string{"", "", "BTREE", "HASH"})
			}
		}
		if mysql && g.chance(0.2) {
			idx.Comment = g.text()
		}
		if !mysql && g.chance(0.2) {
			idx.Where = g.text()
		}
		cols := append([]*schema.Column(nil), t.Columns...)
		g.r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
		for _, c := range cols[:1+g.r.Intn(min(3, len(cols)))] {
			p := schema.IndexPart{Column: c.Name}
			switch {
			case special:
			case g.chance(0.15):
				p = schema.IndexPart{Expr: g.text()}
			case mysql && g.chance(0.3):
				if cl := g.reg().classOf(c.Type); isString(cl) || isBinary(cl) {
					p.Prefix = 1 + g.r.Intn(50)
				}
			}
			if mysql && !special && !idx.Unique && p.Column != "" && p.Prefix == 0 && g.lob(c.Type) {
				p.Prefix = 1 + g.r.Intn(50) // MySQL indexes TEXT and BLOB by a prefix only
			}
			if !special && g.chance(0.2) {
				p.Desc = true
			}
			idx.Parts = append(idx.Parts, p)
		}
		t.Indexes = append(t.Indexes, idx)
	}
}

// foreignKeys adds foreign keys to the primary keys of earlier tables (or
// this one), with new referencing columns of the referenced types.
func (g *gen) foreignKeys(t *schema.Table, cols map[string]bool) {
	mysql := g.dl == schema.MySQL
	targets := append(append([]*schema.Table(nil), g.s.Tables...), t)
	for i, n := 0, g.r.Intn(3); i < n; i++ {
		rt := targets[g.r.Intn(len(targets))]
		if rt.PrimaryKey == nil || !plainKey(rt.PrimaryKey) {
			continue
		}
		fk := &schema.ForeignKey{RefTable: rt.Name}
		if mysql {
			fk.Name = g.uniqueName("fk", g.dbFK)
		} else {
			fk.Name = g.uniqueName("fk", map[string]bool{})
			if _, dup := t.ForeignKey(fk.Name); dup {
				continue
			}
		}
		null := g.chance(0.5)
		ok := true
		var newCols []*schema.Column
		for _, p := range rt.PrimaryKey.Parts {
			ref, _ := rt.Column(p.Column)
			if t.Strict && !strictType(ref.Type) {
				ok = false
				break
			}
			c := &schema.Column{Name: g.uniqueName("ref", cols), Type: ref.Type, Null: null}
			if cl := g.reg().classOf(ref.Type); mysql && (isString(cl) || cl == schema.ClassEnum || cl == schema.ClassSet) {
				c.Charset, c.Collate = ref.Charset, ref.Collate
				if c.Charset == "" && c.Collate == "" {
					c.Charset, c.Collate = rt.Charset, rt.Collate
				}
				if c.Charset == "" && c.Collate == "" {
					c.Charset, c.Collate = g.s.Charset, g.s.Collate
				}
			}
			newCols = append(newCols, c)
			fk.Columns = append(fk.Columns, c.Name)
			fk.RefColumns = append(fk.RefColumns, ref.Name)
		}
		if !ok {
			continue
		}
		t.Columns = append(t.Columns, newCols...)
		actions := []schema.ReferenceAction{"", schema.NoAction, schema.Restrict, schema.Cascade}
		if null {
			actions = append(actions, schema.SetNull)
		}
		if !mysql {
			actions = append(actions, schema.SetDefault)
		}
		fk.OnUpdate = actions[g.r.Intn(len(actions))]
		fk.OnDelete = actions[g.r.Intn(len(actions))]
		fk.Deferred = !mysql && g.chance(0.3)
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
}

func plainKey(k *schema.Index) bool {
	for _, p := range k.Parts {
		if p.Column == "" || p.Prefix != 0 {
			return false
		}
	}
	return true
}
