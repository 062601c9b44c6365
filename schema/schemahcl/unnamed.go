package schemahcl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxDerivedName keeps a derived index name within MySQL's 64 characters.
const maxDerivedName = 64

// nameIndexes names the index blocks written without a label, as Atlas
// allows: <table>_<column>…_idx, "expr" standing for an expression part,
// cut to 64 characters. A name already taken (by a named index, an index
// named before, or where index names are per database any index or
// table of the schema) gets the first free suffix _2, _3, …: two unnamed
// indexes on the same columns get two names. The name follows the
// columns, so changing them is a drop and an add.
func (d *decoder) nameIndexes() {
	taken := map[string]bool{}
	key := func(table, name string) string {
		if d.lang.SchemaIndexNames {
			return strings.ToLower(name)
		}
		return strings.ToLower(table) + "\x00" + strings.ToLower(name)
	}
	for _, td := range d.tables {
		if d.lang.SchemaIndexNames {
			taken[key("", td.t.Name)] = true // SQLite: one namespace with tables
		}
		for _, kd := range td.indexes {
			if !kd.unnamed {
				taken[key(td.t.Name, kd.idx.Name)] = true
			}
		}
	}
	for _, td := range d.tables {
		for _, kd := range td.indexes {
			if !kd.unnamed {
				continue
			}
			parts := []string{td.t.Name}
			for _, p := range kd.idx.Parts {
				if p.Column != "" {
					parts = append(parts, p.Column)
				} else {
					parts = append(parts, "expr")
				}
			}
			base := strings.Join(parts, "_")
			name := cut(base, "_idx")
			for n := 2; taken[key(td.t.Name, name)]; n++ {
				name = cut(base, fmt.Sprintf("_%d_idx", n))
			}
			taken[key(td.t.Name, name)] = true
			kd.idx.Name = name
			kd.what = fmt.Sprintf("index %q (the name of an unnamed index)", name)
		}
	}
}

// cut returns base+suffix within maxDerivedName characters, shortening
// base.
func cut(base, suffix string) string {
	for utf8.RuneCountInString(base)+utf8.RuneCountInString(suffix) > maxDerivedName {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	return base + suffix
}
