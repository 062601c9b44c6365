package schemahcl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// MaxEvaluated caps the size of one evaluated local, variable or attribute,
// counted as elements plus string bytes. Values may share structure, so
// that a few lines could otherwise describe an exponential value
// (local.x2 = [local.x1, local.x1], forty times); a schema needs far less.
const MaxEvaluated = 1 << 20

// valueDecl is a local (an attribute of a locals block) or a variable
// block, evaluated once every file is read.
type valueDecl struct {
	kind  string // "local" or "var", the root of a reference to it
	name  string
	rng   hcl.Range            // the local's name, the variable's label
	expr  hclsyntax.Expression // the local's value, the variable's default; nil when none
	typ   cty.Type             // a variable's type constraint
	val   cty.Value
	size  int
	state evalState
}

type evalState int

const (
	unvisited evalState = iota
	evaluating
	evaluated
	failed
)

func (v *valueDecl) ref() string { return v.kind + "." + v.name }

// localsBlock records the attributes of a locals block.
func (d *decoder) localsBlock(b *hclsyntax.Block) {
	if !d.labels(b, 0, 0) {
		return
	}
	for _, blk := range b.Body.Blocks {
		d.errorf(&blk.TypeRange, "Unsupported block type", "%q blocks are not allowed in locals; write name = value", blk.Type)
	}
	for _, a := range sortedAttrs(b.Body) {
		d.values = append(d.values, &valueDecl{kind: "local", name: a.Name, rng: a.NameRange, expr: a.Expr})
	}
}

// variableBlock records a variable block: type, default and description,
// as Atlas has them.
func (d *decoder) variableBlock(b *hclsyntax.Block) {
	if !d.labels(b, 1, 1) {
		return
	}
	v := &valueDecl{kind: "var", name: label(b, 0), rng: b.LabelRanges[0], typ: cty.DynamicPseudoType}
	if !hclsyntax.ValidIdentifier(v.name) {
		d.errorf(&v.rng, "Invalid variable name", "variable %q: a name is a letter followed by letters, digits, underscores and dashes", v.name)
		return
	}
	for _, blk := range b.Body.Blocks {
		d.errorf(&blk.TypeRange, "Unsupported block type", "%q blocks are not allowed in variable %q", blk.Type, v.name)
	}
	for _, a := range sortedAttrs(b.Body) {
		switch a.Name {
		case "type":
			t, diags := typeexpr.TypeConstraint(a.Expr)
			d.diags = append(d.diags, diags...)
			if diags.HasErrors() {
				return
			}
			v.typ = t
		case "default":
			v.expr = a.Expr
		case "description":
		default:
			d.errorf(&a.NameRange, "Unsupported attribute", "%q in variable %q; a variable has type, default and description", a.Name, v.name)
		}
	}
	d.values = append(d.values, v)
}

// refersToValues reports whether a block refers to a local or a variable
// anywhere, so that its decoding must wait for every file.
func refersToValues(body *hclsyntax.Body) bool {
	for _, a := range body.Attributes {
		for _, t := range hclsyntax.Variables(a.Expr) {
			if isValueRoot(t.RootName()) {
				return true
			}
		}
	}
	for _, b := range body.Blocks {
		if refersToValues(b.Body) {
			return true
		}
	}
	return false
}

func isValueRoot(name string) bool { return name == "local" || name == "var" }

// evaluator evaluates the locals and variables of a document.
type evaluator struct {
	d      *decoder
	byRef  map[string]*valueDecl
	failed bool
	// suggestions counts the "did you mean" searches, each a pass over
	// every name: past maxSuggestions (more than are printed) there are
	// none, so that many undeclared references do not take quadratic time.
	suggestions int
}

const maxSuggestions = 50

// evaluate evaluates every local and variable, then puts the values in
// place of the references in the deferred blocks and decodes them. It
// reports false when something failed: the document is then not decoded
// further, since every table using the value would add a follow-on error.
func (d *decoder) evaluate() bool {
	if len(d.values) == 0 && len(d.deferred) == 0 && len(d.opts.Vars) == 0 {
		return true
	}
	ev := &evaluator{d: d, byRef: map[string]*valueDecl{}}
	for _, v := range d.values {
		if first, ok := ev.byRef[v.ref()]; ok {
			d.errorf(&v.rng, "Duplicate "+kindName(v.kind), "%s is declared twice (first at %s)", v.ref(), at(first.rng))
			ev.failed = true
			continue
		}
		ev.byRef[v.ref()] = v
	}
	ev.variables()
	for _, v := range d.values {
		if v.kind == "local" {
			ev.local(v, nil)
		}
	}
	// A block whose values are missing is not decoded: it would only add
	// follow-on errors. The others are, for their own errors.
	for _, b := range d.deferred {
		if ev.substituteBody(b.Body) {
			d.decodeBlock(b)
		}
	}
	return !ev.failed
}

func kindName(kind string) string {
	if kind == "var" {
		return "variable"
	}
	return "local"
}

// variables gives each variable its value: --var, else its default.
func (ev *evaluator) variables() {
	d := ev.d
	names := make([]string, 0, len(d.opts.Vars))
	for n := range d.opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if v, ok := ev.byRef["var."+n]; !ok || v.kind != "var" {
			d.errorf(nil, "Undeclared variable", "--var %s: the schema declares no variable %q", n, n)
			ev.failed = true
		}
	}
	for _, v := range d.values {
		if v.kind != "var" || ev.byRef[v.ref()] != v {
			continue
		}
		var val cty.Value
		if s, ok := d.opts.Vars[v.name]; ok {
			val = cty.StringVal(s)
		} else if v.expr != nil {
			dv, diags := v.expr.Value(nil)
			d.diags = append(d.diags, diags...)
			if diags.HasErrors() {
				v.state, ev.failed = failed, true
				continue
			}
			val = dv
		} else {
			d.errorf(&v.rng, "Missing variable value", "variable %q has no default; pass --var %s=VALUE", v.name, v.name)
			v.state, ev.failed = failed, true
			continue
		}
		cv, err := convert.Convert(val, v.typ)
		if err != nil {
			d.errorf(&v.rng, "Invalid variable value", "variable %q: %s", v.name, err)
			v.state, ev.failed = failed, true
			continue
		}
		v.val, v.state = cv, evaluated
		v.size = ev.measure(cv)
	}
}

// local evaluates a local after the values it refers to. path is the
// chain of locals being evaluated, to name a cycle.
func (ev *evaluator) local(v *valueDecl, path []*valueDecl) {
	d := ev.d
	switch v.state {
	case evaluated, failed:
		return
	case evaluating:
		var names []string
		start := 0
		for i, p := range path {
			if p == v {
				start = i
			}
		}
		for _, p := range path[start:] {
			names = append(names, p.ref())
		}
		names = append(names, v.ref())
		d.errorf(&v.rng, "Cycle in locals", "%s refers to itself: %s", v.ref(), strings.Join(names, " → "))
		v.state, ev.failed = failed, true
		return
	}
	v.state = evaluating
	path = append(path, v)
	deps, ok := ev.deps(v.expr, v.ref(), path)
	if !ok {
		if v.state != failed {
			v.state = failed
		}
		ev.failed = true
		return
	}
	if v.state == failed { // a cycle through v was reported
		return
	}
	val, size, ok := ev.eval(v.expr, v.ref(), deps)
	if !ok {
		v.state, ev.failed = failed, true
		return
	}
	v.val, v.size, v.state = val, size, evaluated
}

// deps returns the values expr refers to, evaluating the locals among
// them; what is the local or attribute it belongs to, for messages.
func (ev *evaluator) deps(expr hclsyntax.Expression, what string, path []*valueDecl) ([]*valueDecl, bool) {
	d := ev.d
	ok := true
	var deps []*valueDecl
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if f, isFor := n.(*hclsyntax.ForExpr); isFor {
			rng := f.OpenRange
			d.errorf(&rng, "Unsupported expression", "%s: for expressions are not supported in locals and schema attributes", what)
			ok = false
		}
		return nil
	})
	for _, t := range hclsyntax.Variables(expr) {
		rng := t.SourceRange()
		root := t.RootName()
		if !isValueRoot(root) {
			if path != nil {
				d.errorf(&rng, "Invalid reference", "%s: a local can refer only to local.NAME and var.NAME, not %q", what, root)
			} else {
				d.errorf(&rng, "Invalid reference", "%s: local and var values can be used whole or in a list, not mixed with %q references", what, root)
			}
			ok = false
			continue
		}
		attr, isAttr := traverseAttr(t)
		if !isAttr {
			d.errorf(&rng, "Invalid reference", "%s: write %s.NAME", what, root)
			ok = false
			continue
		}
		dep, found := ev.byRef[root+"."+attr]
		if !found {
			hint := ""
			if ev.suggestions++; ev.suggestions <= maxSuggestions {
				hint = didYouMean(attr, ev.names(root))
			}
			d.errorf(&rng, "Undeclared "+kindName(root), "%s: no %s %q is declared%s", what, kindName(root), attr, hint)
			ok = false
			continue
		}
		if dep.kind == "local" {
			ev.local(dep, path)
		}
		if dep.state != evaluated {
			ok = false // reported where it failed
			continue
		}
		deps = append(deps, dep)
	}
	return deps, ok
}

func traverseAttr(t hcl.Traversal) (string, bool) {
	if len(t) < 2 {
		return "", false
	}
	a, ok := t[1].(hcl.TraverseAttr)
	return a.Name, ok
}

func (ev *evaluator) names(kind string) []string {
	var names []string
	for _, v := range ev.d.values {
		if v.kind == kind {
			names = append(names, v.name)
		}
	}
	return names
}

// eval evaluates expr with deps in scope. Before evaluating, it bounds the
// result: without function calls and for expressions, a value holds at
// most the expression's own text plus each value it refers to, once per
// reference.
func (ev *evaluator) eval(expr hclsyntax.Expression, what string, deps []*valueDecl) (cty.Value, int, bool) {
	d := ev.d
	r := expr.Range()
	bound := r.End.Byte - r.Start.Byte
	for _, dep := range deps {
		bound += dep.size
		if bound > MaxEvaluated {
			d.errorf(&r, "Value too large", "%s would hold more than %d elements and string bytes (it refers to %s, which holds %d); a schema needs far less", what, MaxEvaluated, dep.ref(), dep.size)
			return cty.NilVal, 0, false
		}
	}
	vars := map[string]map[string]cty.Value{"local": {}, "var": {}}
	for _, dep := range deps {
		vars[dep.kind][dep.name] = dep.val
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"local": cty.ObjectVal(vars["local"]),
		"var":   cty.ObjectVal(vars["var"]),
	}}
	val, diags := expr.Value(ctx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, 0, false
	}
	return val, ev.measure(val), true
}

// measure counts the elements and string bytes of v, stopping past
// MaxEvaluated.
func (ev *evaluator) measure(v cty.Value) int {
	n := 0
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if n > MaxEvaluated {
			return
		}
		n++
		switch {
		case v.IsNull() || !v.IsKnown():
		case v.Type() == cty.String:
			n += len(v.AsString())
		case v.CanIterateElements():
			for it := v.ElementIterator(); it.Next() && n <= MaxEvaluated; {
				_, e := it.Element()
				walk(e)
			}
		}
	}
	walk(v)
	return n
}

// substituteBody replaces, in every attribute of body and its blocks, the
// expressions that refer to locals or variables with their values.
// It reports false when one of them failed.
func (ev *evaluator) substituteBody(body *hclsyntax.Body) bool {
	ok := true
	for _, a := range sortedAttrs(body) {
		if e, subOK := ev.substitute(a.Expr, fmt.Sprintf("attribute %q", a.Name)); subOK {
			a.Expr = e
		} else {
			ok = false
		}
	}
	for _, b := range body.Blocks {
		if !ev.substituteBody(b.Body) {
			ok = false
		}
	}
	return ok
}

// substitute returns e with its values in place: e as a whole when it
// refers only to locals and variables, else the elements of a list.
func (ev *evaluator) substitute(e hclsyntax.Expression, what string) (hclsyntax.Expression, bool) {
	others, values := false, false
	for _, t := range hclsyntax.Variables(e) {
		if isValueRoot(t.RootName()) {
			values = true
		} else {
			others = true
		}
	}
	switch {
	case !values:
		return e, true
	case others:
		tup, ok := e.(*hclsyntax.TupleConsExpr)
		if !ok {
			break
		}
		out := *tup
		out.Exprs = make([]hclsyntax.Expression, len(tup.Exprs))
		for i, el := range tup.Exprs {
			sub, ok := ev.substitute(el, what)
			if !ok {
				return e, false
			}
			out.Exprs[i] = sub
		}
		return &out, true
	}
	deps, ok := ev.deps(e, what, nil)
	if !ok {
		ev.failed = true // reported, here or where the value failed
		return e, false
	}
	val, _, ok := ev.eval(e, what, deps)
	if !ok {
		ev.failed = true
		return e, false
	}
	out, err := ev.d.valueExpr(val, e.Range())
	if err != nil {
		rng := e.Range()
		ev.d.errorf(&rng, "Unsupported value", "%s: %s", what, err)
		ev.failed = true
		return e, false
	}
	return out, true
}

// valueExpr turns an evaluated value back into the literal syntax the
// decoder reads, placed at the source range of what it replaces.
func (d *decoder) valueExpr(v cty.Value, rng hcl.Range) (hclsyntax.Expression, error) {
	switch {
	case v.IsNull():
		return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: rng}, nil
	case v.Type() == cty.String:
		lit := &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}
		return &hclsyntax.TemplateExpr{Parts: []hclsyntax.Expression{lit}, SrcRange: rng}, nil
	case v.Type() == cty.Number, v.Type() == cty.Bool:
		lit := &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}
		d.evaluated[lit] = true
		return lit, nil
	case v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType():
		tup := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: rng}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			ex, err := d.valueExpr(e, rng)
			if err != nil {
				return nil, err
			}
			tup.Exprs = append(tup.Exprs, ex)
		}
		return tup, nil
	}
	return nil, fmt.Errorf("a value used in a schema is a string, number, bool or list, not %s", v.Type().FriendlyName())
}
