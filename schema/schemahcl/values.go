package schemahcl

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// isNull reports whether e is the literal null.
func isNull(e hclsyntax.Expression) bool {
	lit, ok := e.(*hclsyntax.LiteralValueExpr)
	return ok && lit.Val.IsNull()
}

// stringLit returns the value of a quoted string or heredoc without
// interpolation.
func stringLit(e hclsyntax.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", false
	}
	for _, p := range t.Parts {
		if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
			return "", false
		}
	}
	v, diags := t.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

func boolLit(e hclsyntax.Expression) (bool, bool) {
	lit, ok := e.(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.IsNull() || lit.Val.Type() != cty.Bool {
		return false, false
	}
	return lit.Val.True(), true
}

// numberLit returns the value of a number literal, possibly negated.
func numberLit(e hclsyntax.Expression) (*big.Float, bool) {
	neg := false
	if u, ok := e.(*hclsyntax.UnaryOpExpr); ok && u.Op == hclsyntax.OpNegate {
		neg, e = true, u.Val
	}
	lit, ok := e.(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.IsNull() || lit.Val.Type() != cty.Number {
		return nil, false
	}
	f := new(big.Float).Copy(lit.Val.AsBigFloat())
	if neg {
		f.Neg(f)
	}
	return f, true
}

var numberRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// numberText returns a number literal as written: "4.99", "-1", "1e3".
func (d *decoder) numberText(e hclsyntax.Expression) (string, bool) {
	f, ok := numberLit(e)
	if !ok {
		return "", false
	}
	if d.evaluated[e] {
		return f.Text('f', -1), true
	}
	sign := ""
	if u, ok := e.(*hclsyntax.UnaryOpExpr); ok {
		sign, e = "-", u.Val
	}
	r := e.Range()
	src := d.src[r.Filename]
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return "", false
	}
	text := sign + strings.TrimSpace(string(src[r.Start.Byte:r.End.Byte]))
	if !numberRe.MatchString(text) {
		return "", false
	}
	return text, true
}

// keywordLit returns the name of a bare identifier such as CASCADE.
func keywordLit(e hclsyntax.Expression) (string, bool) {
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 1 {
		return "", false
	}
	return st.Traversal.RootName(), true
}

// sqlCall returns the argument of sql("…"), with ok false when e is not a
// call of sql. A call with a bad argument is reported and returns ok true
// and valid false.
func (d *decoder) sqlCall(e hclsyntax.Expression, what string) (text string, ok, valid bool) {
	call, isCall := e.(*hclsyntax.FunctionCallExpr)
	if !isCall || call.Name != "sql" {
		return "", false, false
	}
	rng := hcl.RangeBetween(call.NameRange, call.CloseParenRange)
	if len(call.Args) != 1 || call.ExpandFinal {
		d.errorf(&rng, "Invalid sql() call", "sql takes exactly one string argument, got %d", len(call.Args))
		return "", true, false
	}
	s, isStr := stringLit(call.Args[0])
	if !isStr {
		d.badValue(call.Args[0], "the argument of sql()", "a string")
		return "", true, false
	}
	if strings.TrimSpace(s) == "" {
		d.errorf(&rng, "Invalid sql() call", "%s: sql() needs non-empty SQL text", what)
		return "", true, false
	}
	return s, true, true
}

// kindOf describes an expression for "got …" messages.
func kindOf(e hclsyntax.Expression) string {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		switch {
		case e.Val.IsNull():
			return "null"
		case e.Val.Type() == cty.Bool:
			return "bool"
		case e.Val.Type() == cty.Number:
			return "number"
		}
	case *hclsyntax.UnaryOpExpr:
		if _, ok := numberLit(e); ok {
			return "number"
		}
	case *hclsyntax.TemplateExpr, *hclsyntax.TemplateWrapExpr:
		return "string"
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) == 1 {
			return fmt.Sprintf("the identifier %s", e.Traversal.RootName())
		}
		return "a reference"
	case *hclsyntax.FunctionCallExpr:
		return fmt.Sprintf("%s(…)", e.Name)
	case *hclsyntax.TupleConsExpr:
		return "list"
	case *hclsyntax.ObjectConsExpr:
		return "object"
	}
	return "expression"
}

// scopeProblem returns a message when e uses a construct outside the v1
// language (variables, interpolation, functions other than sql), else "".
func scopeProblem(e hclsyntax.Expression, typeCalls bool) string {
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		switch e.Traversal.RootName() {
		case "var":
			return "variables (var.*) are not supported by schemactl"
		case "local":
			return "locals (local.*) are not supported by schemactl"
		case "data":
			return "data sources (data.*) are not supported by schemactl"
		}
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				return "string interpolation ${…} is not supported by schemactl; write $${ for a literal ${"
			}
		}
	case *hclsyntax.TemplateWrapExpr:
		return "string interpolation ${…} is not supported by schemactl; write $${ for a literal ${"
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "sql" && !typeCalls {
			return fmt.Sprintf("function %s() is not supported by schemactl; only sql(\"…\") is", e.Name)
		}
	case *hclsyntax.ForExpr:
		return "for expressions are not supported by schemactl"
	case *hclsyntax.ConditionalExpr:
		return "conditional expressions are not supported by schemactl"
	}
	return ""
}

// badValue reports e as a value of the wrong kind for name, which wants
// want ("a bool").
func (d *decoder) badValue(e hclsyntax.Expression, name, want string) {
	rng := e.Range()
	if msg := scopeProblem(e, false); msg != "" {
		d.errorf(&rng, "Unsupported construct", "%s", msg)
		return
	}
	d.errorf(&rng, "Invalid value", "%s must be %s, got %s", name, want, kindOf(e))
}

// str returns the string value of attribute a.
func (d *decoder) str(a *hclsyntax.Attribute) (string, bool) {
	s, ok := stringLit(a.Expr)
	if !ok {
		d.badValue(a.Expr, a.Name, "a string")
	}
	return s, ok
}

// nonEmpty returns the non-empty string value of attribute a.
func (d *decoder) nonEmpty(a *hclsyntax.Attribute) (string, bool) {
	s, ok := d.str(a)
	if ok && strings.TrimSpace(s) == "" {
		rng := a.Expr.Range()
		d.errorf(&rng, "Invalid value", "%s must not be empty", a.Name)
		return "", false
	}
	return s, ok
}

// boolean returns the bool value of attribute a.
func (d *decoder) boolean(a *hclsyntax.Attribute) (bool, bool) {
	b, ok := boolLit(a.Expr)
	if !ok {
		d.badValue(a.Expr, a.Name, "a bool")
	}
	return b, ok
}

// integer returns the integer value of attribute a, at least minimum.
func (d *decoder) integer(a *hclsyntax.Attribute, minimum int64) (int64, bool) {
	f, ok := numberLit(a.Expr)
	if !ok {
		d.badValue(a.Expr, a.Name, "an integer")
		return 0, false
	}
	rng := a.Expr.Range()
	i, acc := f.Int64()
	if !f.IsInt() || acc != big.Exact {
		d.errorf(&rng, "Invalid value", "%s must be an integer, got %s", a.Name, f.Text('g', 10))
		return 0, false
	}
	if i < minimum {
		d.errorf(&rng, "Invalid value", "%s must be at least %d, got %d", a.Name, minimum, i)
		return 0, false
	}
	return i, true
}

// keyword returns the keyword value of attribute a, written bare or quoted,
// as one of allowed (compared case-insensitively for quoted strings, with
// '_' and ' ' equivalent). It reports an error naming the allowed values.
func (d *decoder) keyword(a *hclsyntax.Attribute, allowed []string) (string, bool) {
	word, bare := keywordLit(a.Expr)
	if !bare {
		s, ok := stringLit(a.Expr)
		if !ok {
			if msg := scopeProblem(a.Expr, false); msg != "" {
				rng := a.Expr.Range()
				d.errorf(&rng, "Unsupported construct", "%s", msg)
				return "", false
			}
			rng := a.Expr.Range()
			d.errorf(&rng, "Unknown keyword", "%s must be one of %s, got %s", a.Name, strings.Join(allowed, ", "), kindOf(a.Expr))
			return "", false
		}
		for _, k := range allowed {
			if strings.EqualFold(strings.ReplaceAll(s, " ", "_"), k) {
				return k, true
			}
		}
		word = s
	} else {
		for _, k := range allowed {
			if word == k {
				return k, true
			}
		}
	}
	rng := a.Expr.Range()
	d.errorf(&rng, "Unknown keyword", "%s must be one of %s, got %q%s", a.Name, strings.Join(allowed, ", "), word, didYouMean(word, allowed))
	return "", false
}
