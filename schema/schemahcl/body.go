package schemahcl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
	"golang.org/x/text/unicode/norm"
)

// item is an attribute or a child block type a body accepts. only is the
// dialect it applies to, "" for both.
type item struct {
	name string
	only schema.Dialect
}

// bodySpec is what one kind of block may contain. Attributes are listed in
// the canonical order that Encode writes and Format restores.
type bodySpec struct {
	kind   string // "column"
	plural string // "columns", for "applies to MySQL columns"
	attrs  []item
	blocks []item
}

// Short names for the dialect column of the specs below.
const (
	my = schema.MySQL
	sq = schema.SQLite
)

// The specs are fixed tables, never written to.
var (
	topSpec = &bodySpec{kind: "top level", blocks: []item{{name: "schema"}, {name: "table"}}}

	schemaSpec = &bodySpec{kind: "schema", plural: "schemas", attrs: []item{
		{"charset", my}, {"collate", my}, {"collation", my}, {"comment", my},
	}}

	tableSpec = &bodySpec{kind: "table", plural: "tables",
		attrs: []item{
			{"renamed_from", ""}, {"schema", ""}, {"comment", ""},
			{"charset", my}, {"collate", my}, {"collation", my}, {"engine", my}, {"auto_increment", my},
			{"strict", sq}, {"without_rowid", sq},
		},
		blocks: []item{{name: "column"}, {name: "primary_key"}, {name: "index"}, {name: "foreign_key"}, {name: "check"}},
	}

	columnSpec = &bodySpec{kind: "column", plural: "columns",
		attrs: []item{
			{"renamed_from", ""}, {"null", ""}, {"type", ""}, {"default", ""}, {"auto_increment", ""},
			// collate on SQLite is a schemactl extension: SQLite keeps a
			// column collation (NOCASE, RTRIM), and a rebuild must not lose it.
			{"unsigned", my}, {"on_update", my}, {"charset", my}, {"collate", ""}, {"collation", ""},
			{"comment", ""}, {"as", ""},
		},
		blocks: []item{{name: "as"}},
	}

	asSpec = &bodySpec{kind: "as", plural: "generated columns", attrs: []item{{"expr", ""}, {"type", ""}}}

	pkSpec = &bodySpec{kind: "primary_key", plural: "primary keys",
		attrs:  []item{{"columns", ""}, {"type", my}, {"comment", my}},
		blocks: []item{{"on", my}},
	}

	indexSpec = &bodySpec{kind: "index", plural: "indexes",
		attrs: []item{
			{"renamed_from", ""}, {"unique", ""}, {"columns", ""},
			{"type", my}, {"parser", my}, {"comment", my}, {"where", sq},
		},
		blocks: []item{{name: "on"}},
	}

	partSpec = &bodySpec{kind: "on", plural: "index parts",
		attrs: []item{{"column", ""}, {"expr", ""}, {"desc", ""}, {"prefix", my}},
	}

	// deferred on SQLite is a schemactl extension: DEFERRABLE INITIALLY
	// DEFERRED changes when the key is checked, and a rebuild must keep it.
	fkSpec = &bodySpec{kind: "foreign_key", plural: "foreign keys",
		attrs: []item{{"columns", ""}, {"ref_columns", ""}, {"on_update", ""}, {"on_delete", ""}, {"deferred", sq}},
	}

	checkSpec = &bodySpec{kind: "check", plural: "checks", attrs: []item{{"expr", ""}, {"enforced", my}}}
)

// unsupportedTop are top-level blocks Atlas knows that schemactl v1 does not
// manage; they are rejected by name rather than as unknown.
var unsupportedTop = []string{
	"view", "materialized", "trigger", "function", "procedure", "sequence", "enum",
	"variable", "locals", "data", "env", "lint", "diff",
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
	if it.only != "" && it.only != d.opts.Dialect {
		d.errorf(&a.NameRange, "Attribute of another dialect", "%q applies to %s %s; the target is %s", a.Name, dialectName(it.only), spec.plural, d.dialectName())
		return false
	}
	return true
}

func (d *decoder) knownBlock(b *hclsyntax.Block, spec *bodySpec, where string) bool {
	for _, it := range spec.blocks {
		if it.name != b.Type {
			continue
		}
		if it.only != "" && it.only != d.opts.Dialect {
			d.errorf(&b.TypeRange, "Block of another dialect", "%q blocks in %s apply to %s; the target is %s", b.Type, spec.plural, dialectName(it.only), d.dialectName())
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
