package schemahcl

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// registry indexes a dialect's types by their HCL and their SQL spelling.
type registry struct {
	byHCL map[string]*schema.TypeSpec
	bySQL map[string]*schema.TypeSpec
	names []string // HCL spellings, in the dialect's order, for suggestions
}

func newRegistry(lang *schema.Language) *registry {
	r := &registry{byHCL: map[string]*schema.TypeSpec{}, bySQL: map[string]*schema.TypeSpec{}}
	for i := range lang.Types {
		s := &lang.Types[i]
		r.byHCL[hclName(s)] = s
		r.bySQL[s.Name] = s
		r.names = append(r.names, hclName(s))
	}
	return r
}

// hclName is the HCL spelling of a type: its words joined by underscores,
// unsigned_big_int.
func hclName(s *schema.TypeSpec) string { return strings.ReplaceAll(s.Name, " ", "_") }

// classOf returns the class of a decoded type; raw types are ClassOther.
func (r *registry) classOf(t schema.Type) schema.TypeClass {
	if t.Raw != "" {
		return schema.ClassOther
	}
	if s, ok := r.bySQL[t.Name]; ok {
		return s.Class
	}
	return schema.ClassOther
}

// usage is how a type is written, for messages: varchar(n), decimal, enum("…").
func usage(s *schema.TypeSpec) string {
	switch {
	case s.Values:
		return hclName(s) + `("…")`
	case s.MinArgs == 1:
		return hclName(s) + "(n)"
	}
	return hclName(s)
}

// isString reports whether values of the class are character strings.
func isString(c schema.TypeClass) bool { return c == schema.ClassChar || c == schema.ClassText }

// isBinary reports whether values of the class are byte strings.
func isBinary(c schema.TypeClass) bool { return c == schema.ClassBinary || c == schema.ClassBlob }

// decodeType interprets a type expression: a bare name, a type call or
// sql("…"). The type is returned with ok false when it is invalid; errors
// are reported.
func (d *decoder) decodeType(e hclsyntax.Expression) (schema.Type, bool) {
	rng := e.Range()
	if raw, isSQL, valid := d.sqlCall(e, "type"); isSQL {
		return schema.Type{Raw: raw}, valid
	}
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) == 1 {
			return d.namedType(e.Traversal.RootName(), nil, rng)
		}
	case *hclsyntax.FunctionCallExpr:
		return d.namedType(e.Name, e, e.NameRange)
	case *hclsyntax.TemplateExpr:
		if s, ok := stringLit(e); ok {
			d.errorf(&rng, "Invalid value", "type must be a type such as int or varchar(255), not a string; write it without quotes, or sql(%q) for a declared type", s)
			return schema.Type{}, false
		}
	}
	if msg := scopeProblem(e, true); msg != "" {
		d.errorf(&rng, "Unsupported construct", "%s", msg)
		return schema.Type{}, false
	}
	d.errorf(&rng, "Invalid value", "type must be a type such as int, varchar(255) or sql(\"…\"), got %s", kindOf(e))
	return schema.Type{}, false
}

// namedType decodes a bare type name (call nil) or a type call.
// rng is the name; errors about arguments point at the whole call.
func (d *decoder) namedType(name string, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	s, ok := d.types.byHCL[name]
	if !ok {
		if hint, foreign := d.lang.ForeignTypes[strings.ReplaceAll(name, "_", " ")]; foreign {
			if hint != "" {
				hint += ", or sql(\"…\")"
			} else {
				hint = "write sql(\"…\") with the declared type"
			}
			d.errorf(&rng, "Type not available", "%s is not a %s type; %s", name, d.lang.Engine, hint)
			return schema.Type{}, false
		}
		msg := fmt.Sprintf("unknown type %q for %s", name, d.lang.Engine)
		if sug := suggest(name, d.types.names); sug != "" {
			msg += fmt.Sprintf("; did you mean %s?", usage(d.types.byHCL[sug]))
		} else {
			msg += "; write sql(\"…\") for a type outside the list"
		}
		d.errorf(&rng, "Unknown type", "%s", msg)
		return schema.Type{}, false
	}
	t := schema.Type{Name: s.Name}
	if call == nil {
		switch {
		case s.Values:
			d.errorf(&rng, "Invalid type arguments", "%s needs its values: %s(\"a\", \"b\")", name, name)
			return t, false
		case s.MinArgs > 0:
			d.errorf(&rng, "Invalid type arguments", "%s needs a length: %s", name, usage(s))
			return t, false
		}
		return t, true
	}
	rng = hcl.RangeBetween(call.NameRange, call.CloseParenRange)
	if call.ExpandFinal {
		d.errorf(&rng, "Invalid type arguments", "%s: argument expansion (...) is not supported", name)
		return t, false
	}
	if s.Values {
		return d.typeValues(s, t, call, rng)
	}
	return d.typeArgs(s, t, call, rng)
}

func (d *decoder) typeValues(s *schema.TypeSpec, t schema.Type, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	if len(call.Args) == 0 {
		d.errorf(&rng, "Invalid type arguments", "%s needs at least one value: %s(\"a\", \"b\")", hclName(s), hclName(s))
		return t, false
	}
	ok := true
	seen := map[string]bool{}
	t.Values = []string{}
	for _, a := range call.Args {
		v, isStr := stringLit(a)
		arng := a.Range()
		switch {
		case !isStr:
			d.errorf(&arng, "Invalid type arguments", "%s values must be strings, got %s", hclName(s), kindOf(a))
			ok = false
			continue
		case seen[strings.ToLower(v)]:
			d.errorf(&arng, "Invalid type arguments", "duplicate %s value %q", hclName(s), v)
			ok = false
		case s.Class == schema.ClassSet && strings.Contains(v, ","):
			d.errorf(&arng, "Invalid type arguments", "set value %q contains a comma", v)
			ok = false
		}
		seen[strings.ToLower(v)] = true
		t.Values = append(t.Values, v)
	}
	return t, ok
}

func (d *decoder) typeArgs(s *schema.TypeSpec, t schema.Type, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	n := len(call.Args)
	switch {
	case s.MaxArgs == 0:
		d.errorf(&rng, "Invalid type arguments", "type %s does not accept arguments", hclName(s))
		return t, false
	case n == 0:
		d.errorf(&rng, "Invalid type arguments", "%s() has empty parentheses; write %s", hclName(s), usage(s))
		return t, false
	case n < s.MinArgs || n > s.MaxArgs:
		want := fmt.Sprintf("%d", s.MaxArgs)
		if s.MinArgs != s.MaxArgs {
			want = fmt.Sprintf("%d to %d", max(s.MinArgs, 1), s.MaxArgs)
		}
		d.errorf(&rng, "Invalid type arguments", "%s takes %s arguments, got %d", hclName(s), want, n)
		return t, false
	}
	t.Args = []int{}
	for _, a := range call.Args {
		f, isNum := numberLit(a)
		arng := a.Range()
		if !isNum {
			d.errorf(&arng, "Invalid type arguments", "%s arguments must be integers, got %s", hclName(s), kindOf(a))
			return t, false
		}
		i, acc := f.Int64()
		if !f.IsInt() || acc != big.Exact || i < 0 || i > 1<<32 {
			d.errorf(&arng, "Invalid type arguments", "%s arguments must be non-negative integers, got %s", hclName(s), f.Text('g', 10))
			return t, false
		}
		t.Args = append(t.Args, int(i))
	}
	if s.Check != nil {
		if msg := s.Check(hclName(s), t.Args); msg != "" {
			d.errorf(&rng, "Invalid type arguments", "%s", msg)
			return t, false
		}
	}
	return t, true
}

// validArgs reports whether a model type fits its registry entry, so that
// the encoder can write it with the HCL spelling.
func validArgs(s *schema.TypeSpec, t schema.Type) bool {
	if s.Values {
		if len(t.Values) == 0 || t.Args != nil {
			return false
		}
		seen := map[string]bool{}
		for _, v := range t.Values {
			if seen[strings.ToLower(v)] || (s.Class == schema.ClassSet && strings.Contains(v, ",")) {
				return false
			}
			seen[strings.ToLower(v)] = true
		}
		return true
	}
	if t.Values != nil {
		return false
	}
	if t.Args == nil {
		return s.MinArgs == 0
	}
	if len(t.Args) < max(s.MinArgs, 1) || len(t.Args) > s.MaxArgs {
		return false
	}
	for _, a := range t.Args {
		if a < 0 || a > 1<<32 {
			return false
		}
	}
	return s.Check == nil || s.Check(hclName(s), t.Args) == ""
}
