package planner

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// FingerprintVersion is the prefix of every fingerprint this build writes.
// A fingerprint hashes the schema as this build inspects and normalises it,
// so any change that makes the same database read differently (the
// canonical text, or a dialect's normalisation: default spelling, name
// folding, tables left out) must come with a new version: h2, h3, ….
// Apply compares a migration's fingerprint with the live schema only when
// both have the same version; one planned by a build with other rules is
// checked by replaying the migrations before it instead (see the README,
// "Fingerprint versions"), so an upgrade never reports false drift.
// TestFingerprintIsStable and the engine's pinned inspections fail when a
// change moves fingerprints without a new version.
const FingerprintVersion = "h2"

// SameFingerprintRules reports whether fp was computed under this build's
// rules (FingerprintVersion), so that comparing it with Fingerprint of a
// live schema means something.
func SameFingerprintRules(fp string) bool {
	return strings.HasPrefix(fp, FingerprintVersion+":")
}

// Fingerprint identifies a schema: FingerprintVersion, ":" and the base64
// SHA-256 of its canonical text. Two databases have the same fingerprint when they hold
// the same managed schema, whatever their names, the order the catalog
// lists objects in, or the rows they hold: the database name, rename hints,
// source positions, AUTO_INCREMENT counters and the views, triggers and
// routines schemactl does not manage are left out. plan records it in each
// migration as "-- planned-against:", and apply compares it with the live
// schema before running the migration.
func Fingerprint(r *schema.Realm) string {
	sum := sha256.Sum256([]byte(canonicalText(r)))
	return FingerprintVersion + ":" + base64.StdEncoding.EncodeToString(sum[:])
}

// canonicalText writes a realm as the text its fingerprint hashes: one line
// per object, tables sorted by name, columns in table order, indexes,
// foreign keys and checks sorted by name, each attribute only when it is
// set, so that a field added to the model later leaves existing
// fingerprints alone. Left out: the database name (environments name it
// differently), rename hints, source positions, AUTO_INCREMENT counters
// (they move with every insert), and the views, triggers and routines that
// schemactl does not manage.
func canonicalText(r *schema.Realm) string {
	var b strings.Builder
	b.WriteString("schemactl-fingerprint 1\n")
	if r == nil {
		return b.String()
	}
	schemas := slices.Clone(r.Schemas)
	slices.SortStableFunc(schemas, func(a, b *schema.Schema) int { return strings.Compare(a.Name, b.Name) })
	for _, s := range schemas {
		writeSchema(&b, s)
	}
	return b.String()
}

// attrs writes ` key=value` pairs, skipping empty values.
type attrs struct {
	w io.StringWriter
}

func (a attrs) str(key, v string) {
	if v != "" {
		_, _ = a.w.WriteString(" " + key + "=" + strconv.Quote(v))
	}
}

func (a attrs) flag(key string, v bool) {
	if v {
		_, _ = a.w.WriteString(" " + key)
	}
}

func writeSchema(b *strings.Builder, s *schema.Schema) {
	a := attrs{b}
	b.WriteString("schema")
	a.str("charset", s.Charset)
	a.str("collate", s.Collate)
	a.str("comment", s.Comment)
	b.WriteByte('\n')
	for _, t := range sortedTables(s.Tables) {
		writeTable(b, t)
	}
}

func writeTable(b *strings.Builder, t *schema.Table) {
	a := attrs{b}
	b.WriteString("table " + strconv.Quote(t.Name))
	a.str("comment", t.Comment)
	a.str("charset", t.Charset)
	a.str("collate", t.Collate)
	a.str("engine", t.Engine)
	a.flag("strict", t.Strict)
	a.flag("without_rowid", t.WithoutRowID)
	b.WriteByte('\n')
	for _, c := range t.Columns {
		b.WriteString("  column " + strconv.Quote(c.Name))
		a.str("type", c.Type.String())
		a.flag("null", c.Null)
		if d := c.Default; d != nil {
			a.str("default", fmt.Sprintf("%d:%s", d.Kind, d.Value))
		}
		a.flag("auto_increment", c.AutoIncrement)
		a.str("on_update", c.OnUpdate)
		a.str("charset", c.Charset)
		a.str("collate", c.Collate)
		a.str("comment", c.Comment)
		if g := c.Generated; g != nil {
			a.str("as", g.Expr)
			a.flag("stored", g.Stored)
		}
		b.WriteByte('\n')
	}
	if pk := t.PrimaryKey; pk != nil {
		b.WriteString("  primary_key")
		writeIndexAttrs(a, pk)
		b.WriteByte('\n')
	}
	for _, i := range sortedIndexes(t.Indexes) {
		b.WriteString("  index " + strconv.Quote(i.Name))
		a.flag("unique", i.Unique)
		writeIndexAttrs(a, i)
		a.str("where", i.Where)
		b.WriteByte('\n')
	}
	fks := slices.Clone(t.ForeignKeys)
	slices.SortStableFunc(fks, func(x, y *schema.ForeignKey) int { return strings.Compare(x.Name, y.Name) })
	for _, f := range fks {
		b.WriteString("  foreign_key " + strconv.Quote(f.Name))
		a.str("columns", strings.Join(f.Columns, ","))
		a.str("ref_table", f.RefTable)
		a.str("ref_columns", strings.Join(f.RefColumns, ","))
		a.str("on_update", string(f.OnUpdate))
		a.str("on_delete", string(f.OnDelete))
		a.flag("deferred", f.Deferred)
		b.WriteByte('\n')
	}
	checks := slices.Clone(t.Checks)
	slices.SortStableFunc(checks, func(x, y *schema.Check) int {
		return strings.Compare(x.Name+"\x00"+x.Expr, y.Name+"\x00"+y.Expr)
	})
	for _, c := range checks {
		b.WriteString("  check " + strconv.Quote(c.Name))
		a.str("expr", c.Expr)
		a.flag("not_enforced", !c.Enforced)
		b.WriteByte('\n')
	}
}

func writeIndexAttrs(a attrs, i *schema.Index) {
	a.str("parts", describe.Parts(i.Parts))
	a.str("type", i.Type)
	a.str("parser", i.Parser)
	a.str("comment", i.Comment)
}
