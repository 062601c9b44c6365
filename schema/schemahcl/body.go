package schemahcl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"golang.org/x/text/unicode/norm"
)

// item is an attribute or a child block type a body accepts. An
// engine-specific one is valid only where the dialect's Language lists it,
// by its key "kind.name" ("table.engine").
type item struct {
	name   string
	engine bool
}

// bodySpec is what one kind of block may contain. Attributes are listed in
// the canonical order that Encode writes and Format restores.
type bodySpec struct {
	kind   string // "column"
	plural string // "columns", for "applies to MySQL columns"
	attrs  []item
	blocks []item
}

// Short names for the specs below.
const (
	common   = false
	specific = true // engine-specific
)

// The specs are fixed tables, never written to.
var (
	topSpec = &bodySpec{kind: "top level", blocks: []item{{name: "schema"}, {name: "table"}, {name: "locals"}, {name: "variable"}}}

	schemaSpec = &bodySpec{kind: "schema", plural: "schemas", attrs: []item{
		{"charset", specific}, {"collate", specific}, {"collation", specific}, {"comment", specific},
	}}

	tableSpec = &bodySpec{kind: "table", plural: "tables",
		attrs: []item{
			{"renamed_from", common}, {"schema", common}, {"comment", specific},
			{"charset", specific}, {"collate", specific}, {"collation", specific}, {"engine", specific}, {"auto_increment", specific},
			{"strict", specific}, {"without_rowid", specific},
		},
		blocks: []item{{name: "column"}, {name: "primary_key"}, {name: "index"}, {name: "foreign_key"}, {name: "check"}},
	}

	columnSpec = &bodySpec{kind: "column", plural: "columns",
		attrs: []item{
			{"renamed_from", common}, {"null", common}, {"type", common}, {"default", common}, {"auto_increment", common},
			// collate on SQLite is a schemactl extension: SQLite keeps a
			// column collation (NOCASE, RTRIM), and a rebuild must not lose it.
			{"unsigned", specific}, {"on_update", specific}, {"charset", specific}, {"collate", common}, {"collation", common},
			{"comment", specific}, {"as", common},
		},
		blocks: []item{{name: "as"}},
	}

	asSpec = &bodySpec{kind: "as", plural: "generated columns", attrs: []item{{"expr", common}, {"type", common}}}

	pkSpec = &bodySpec{kind: "primary_key", plural: "primary keys",
		attrs:  []item{{"columns", common}, {"type", specific}, {"comment", specific}},
		blocks: []item{{"on", specific}},
	}

	indexSpec = &bodySpec{kind: "index", plural: "indexes",
		attrs: []item{
			{"renamed_from", common}, {"unique", common}, {"columns", common},
			{"type", specific}, {"parser", specific}, {"comment", specific}, {"where", specific},
		},
		blocks: []item{{name: "on"}},
	}

	partSpec = &bodySpec{kind: "on", plural: "index parts",
		attrs: []item{{"column", common}, {"expr", common}, {"desc", common}, {"prefix", specific}},
	}

	// deferred on SQLite is a schemactl extension: DEFERRABLE INITIALLY
	// DEFERRED changes when the key is checked, and a rebuild must keep it.
	fkSpec = &bodySpec{kind: "foreign_key", plural: "foreign keys",
		attrs: []item{{"columns", common}, {"ref_columns", common}, {"on_update", common}, {"on_delete", common}, {"deferred", specific}},
	}

	checkSpec = &bodySpec{kind: "check", plural: "checks", attrs: []item{{"expr", common}, {"enforced", specific}}}

	// bodySpecs are the specs of every block with attributes.
	bodySpecs = []*bodySpec{schemaSpec, tableSpec, columnSpec, asSpec, pkSpec, indexSpec, partSpec, fkSpec, checkSpec}
)

// unsupportedTop are top-level blocks Atlas knows that schemactl v1 does not
// manage; they are rejected by name rather than as unknown.
var unsupportedTop = []string{
	"view", "materialized", "trigger", "function", "procedure", "sequence", "enum",
	"data", "env", "lint", "diff",
}

// content is the checked content of a body: attributes by name (null ones
// dropped, collation stored as collate) and child blocks in source order.
type content struct {
	attrs  map[string]*hclsyntax.Attribute
	blocks []*hclsyntax.Block
}

// content checks body against spec strictly: every attribute and block must
// be known to spec and apply to the dialect. where names the block in
// messages, e.g. `column "users"."email"`.
func (d *decoder) content(body *hclsyntax.Body, spec *bodySpec, where string) *content {
	c := &content{attrs: map[string]*hclsyntax.Attribute{}}
	for _, a := range sortedAttrs(body) {
		if !d.knownAttr(a, spec, where) {
			continue
		}
		if isNull(a.Expr) {
			continue // null means absent
		}
		name := a.Name
		if name == "collation" {
			name = "collate"
		}
		if prev, ok := c.attrs[name]; ok {
			d.errorf(&a.NameRange, "Duplicate attribute", "%s and %s are the same attribute (collation is an alias of collate); keep one, the other is at %s", a.Name, prev.Name, at(prev.NameRange))
			continue
		}
		c.attrs[name] = a
	}
	for _, b := range body.Blocks {
		if d.knownBlock(b, spec, where) {
			c.blocks = append(c.blocks, b)
		}
	}
	return c
}

func (d *decoder) knownAttr(a *hclsyntax.Attribute, spec *bodySpec, where string) bool {
	switch a.Name {
	case "for_each", "depends_on", "count":
		d.errorf(&a.NameRange, "Unsupported construct", "%q is not supported by schemactl", a.Name)
		return false
	case "name":
		d.errorf(&a.NameRange, "Unsupported construct", "a name attribute that overrides the block label is not supported by schemactl; the label is the name")
		return false
	}
	it, ok := spec.attr(a.Name)
	if !ok {
		if spec == topSpec {
			d.errorf(&a.NameRange, "Unsupported attribute", "attribute %q is not allowed at the top level; only schema and table blocks are", a.Name)
			return false
		}
		d.errorf(&a.NameRange, "Unsupported attribute", "%q in %s%s", a.Name, where, didYouMean(a.Name, spec.attrNames()))
		return false
	}
	if owner, other := d.foreign(spec, it); other {
		d.errorf(&a.NameRange, "Attribute of another dialect", "%q applies to %s %s; the target is %s", a.Name, owner, spec.plural, d.lang.Engine)
		return false
	}
	return true
}

// foreign reports whether an item of spec belongs to other engines than
// the dialect's, and names them.
func (d *decoder) foreign(spec *bodySpec, it item) (owner string, other bool) {
	if !it.engine {
		return "", false
	}
	key := spec.kind + "." + it.name
	if d.has(key) || d.ignores(key) {
		return "", false
	}
	if owner, ok := d.lang.ForeignAttrs[key]; ok {
		return owner, true
	}
	return "other engines", true
}

func (d *decoder) knownBlock(b *hclsyntax.Block, spec *bodySpec, where string) bool {
	for _, it := range spec.blocks {
		if it.name != b.Type {
			continue
		}
		if owner, other := d.foreign(spec, it); other {
			d.errorf(&b.TypeRange, "Block of another dialect", "%q blocks in %s apply to %s; the target is %s", b.Type, spec.plural, owner, d.lang.Engine)
			return false
		}
		return true
	}
	switch {
	case spec == topSpec && contains(unsupportedTop, b.Type):
		d.errorf(&b.TypeRange, "Unsupported construct", "%q blocks are not supported by schemactl", b.Type)
	case spec == columnSpec && b.Type == "default":
		d.errorf(&b.TypeRange, "Unsupported construct", "named default blocks are not supported by schemactl; write default = value")
	case spec == topSpec:
		d.errorf(&b.TypeRange, "Unsupported block type", "%q blocks are not allowed at the top level%s", b.Type, didYouMean(b.Type, spec.blockNames()))
	default:
		d.errorf(&b.TypeRange, "Unsupported block type", "%q blocks are not allowed in %s%s", b.Type, where, didYouMean(b.Type, spec.blockNames()))
	}
	return false
}

func (s *bodySpec) attr(name string) (item, bool) {
	for _, it := range s.attrs {
		if it.name == name {
			return it, true
		}
	}
	return item{}, false
}

func (s *bodySpec) attrNames() []string {
	var names []string
	for _, it := range s.attrs {
		names = append(names, it.name)
	}
	return names
}

func (s *bodySpec) blockNames() []string {
	var names []string
	for _, it := range s.blocks {
		names = append(names, it.name)
	}
	return names
}

// sortedAttrs returns the attributes of body in source order.
func sortedAttrs(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := make([]*hclsyntax.Attribute, 0, len(body.Attributes))
	for _, a := range body.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	return attrs
}

// label returns label i of b. Labels are NFC-normalised like every HCL
// string value, so that column["é"] finds column "é" however it was typed.
func label(b *hclsyntax.Block, i int) string {
	return norm.NFC.String(b.Labels[i])
}

// labels checks the number of labels of b: between min and max.
func (d *decoder) labels(b *hclsyntax.Block, min, max int) bool {
	n := len(b.Labels)
	if n >= min && n <= max {
		return true
	}
	var want string
	switch {
	case max == min && min == 1:
		want = "1 label"
	case max == min:
		want = fmt.Sprintf("%d labels", min)
	case min == 0 && max == 1:
		want = "at most 1 label"
	default:
		want = fmt.Sprintf("%d or %d labels", min, max)
	}
	rng := b.DefRange()
	if n > max {
		rng = hcl.RangeBetween(b.LabelRanges[max], b.LabelRanges[n-1])
	}
	d.errorf(&rng, "Wrong number of labels", "%s block needs %s, got %d", b.Type, want, n)
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// didYouMean returns `; did you mean "x"?` when a candidate is close to
// given, else "".
func didYouMean(given string, candidates []string) string {
	if s := suggest(given, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// suggest returns the candidate closest to given: a case-insensitive match,
// else one within edit distance 2 (3 for long names), else "".
func suggest(given string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, given) {
			return c
		}
	}
	best, bestDist := "", 3
	if len(given) > 8 {
		bestDist = 4
	}
	for _, c := range candidates {
		if dist := levenshtein(strings.ToLower(given), strings.ToLower(c)); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
