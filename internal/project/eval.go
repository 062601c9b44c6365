package project

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions are those of Atlas's project file that schemactl gives the
// same meaning: getenv reads the environment ("" when unset), toset and
// tolist shape for_each, urlsetpath names a database per target.
func functions() map[string]function.Function {
	return map[string]function.Function{
		"getenv": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "name", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.StringVal(os.Getenv(args[0].AsString())), nil
			},
		}),
		"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"urlsetpath": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "url", Type: cty.String}, {Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				u, err := url.Parse(args[0].AsString())
				if err != nil {
					// The parser's message quotes the URL, password and all.
					return cty.NilVal, fmt.Errorf("urlsetpath: the URL does not parse")
				}
				u.Path = "/" + strings.TrimPrefix(args[1].AsString(), "/")
				return cty.StringVal(u.String()), nil
			},
		}),
	}
}

// evalContext evaluates the variables: --var values first, then defaults.
func (p *parser) evalContext(given map[string][]string) (*hcl.EvalContext, error) {
	ctx := &hcl.EvalContext{Functions: functions()}
	declared := map[string]bool{}
	values := map[string]cty.Value{}
	for _, b := range p.vars {
		name := b.Labels[0]
		if declared[name] {
			return nil, p.errorf(b.TypeRange, "second variable %q", name)
		}
		declared[name] = true
		ty := cty.DynamicPseudoType
		if a, ok := b.Body.Attributes["type"]; ok {
			t, diags := typeexpr.TypeConstraint(a.Expr)
			if diags.HasErrors() {
				return nil, diagError(diags)
			}
			ty = t
		}
		var v cty.Value
		if raw, ok := given[name]; ok {
			v = fromFlag(raw, ty)
		} else if a, ok := b.Body.Attributes["default"]; ok {
			dv, diags := a.Expr.Value(&hcl.EvalContext{Functions: ctx.Functions})
			if diags.HasErrors() {
				return nil, diagError(diags)
			}
			v = dv
		} else {
			return nil, p.errorf(b.TypeRange, "variable %q has no value: pass --var %s=VALUE", name, name)
		}
		cv, err := convert.Convert(v, ty)
		if err != nil {
			return nil, p.errorf(b.TypeRange, "variable %q: the value is not a %s", name, ty.FriendlyName())
		}
		values[name] = cv
	}
	var unknown []string
	for name := range given {
		if !declared[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("--var %s: %s declares no variable %q", unknown[0], p.file, unknown[0])
	}
	ctx.Variables = map[string]cty.Value{"var": cty.ObjectVal(values)}
	return ctx, nil
}

// fromFlag is the value of repeated --var name=value flags: one string, or
// a list of them when the variable is a list or set.
func fromFlag(raw []string, ty cty.Type) cty.Value {
	if (ty.IsListType() || ty.IsSetType()) || len(raw) > 1 {
		vals := make([]cty.Value, len(raw))
		for i, s := range raw {
			vals[i] = cty.StringVal(s)
		}
		return cty.TupleVal(vals)
	}
	return cty.StringVal(raw[0])
}

// env evaluates one env block.
func (p *parser) env(ctx *hcl.EvalContext, b *hclsyntax.Block) (*Env, error) {
	e := &Env{Name: b.Labels[0]}
	attrs := b.Body.Attributes
	var err error
	if a, ok := attrs["for_each"]; ok {
		e.ForEach = true
		if e.URLs, err = p.forEach(ctx, e.Name, a, attrs["url"]); err != nil {
			return nil, err
		}
	} else if a, ok := attrs["url"]; ok {
		if e.URLs, err = p.strings(ctx, a); err != nil {
			return nil, err
		}
	}
	if a, ok := attrs["dev"]; ok {
		if e.Dev, err = p.string(ctx, a); err != nil {
			return nil, err
		}
		if strings.HasPrefix(strings.ToLower(e.Dev), "docker://") {
			return nil, p.errorf(a.SrcRange, "env %q: dev: docker:// URLs are not supported: schemactl starts no containers; give a database it can use as scratch, such as sqlite://file?mode=memory or mysql://root@localhost:3306/", e.Name)
		}
	}
	if a, ok := attrs["src"]; ok {
		srcs, err := p.strings(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, s := range srcs {
			path, err := p.path(a, "src", s)
			if err != nil {
				return nil, err
			}
			e.Src = append(e.Src, path)
		}
	}
	for _, inner := range b.Body.Blocks {
		switch inner.Type {
		case "migration":
			if err := p.migration(ctx, e, inner); err != nil {
				return nil, err
			}
		case "lint":
			if err := p.lint(ctx, e, inner); err != nil {
				return nil, err
			}
		}
	}
	return e, nil
}

// forEach evaluates Atlas's for_each: url once per element, with each.key
// and each.value set.
func (p *parser) forEach(ctx *hcl.EvalContext, env string, fe, u *hclsyntax.Attribute) ([]string, error) {
	coll, diags := fe.Expr.Value(ctx)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	if coll.IsNull() || !coll.CanIterateElements() {
		return nil, p.errorf(fe.SrcRange, "env %q: for_each must be a set, list or map, not %s", env, coll.Type().FriendlyName())
	}
	if u == nil {
		return nil, p.errorf(fe.SrcRange, "env %q: for_each without url: set url from each.value", env)
	}
	var urls []string
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if coll.Type().IsSetType() {
			k = v
		}
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
		s, err := p.string(child, u)
		if err != nil {
			return nil, err
		}
		urls = append(urls, s)
	}
	if len(urls) == 0 {
		return nil, p.errorf(fe.SrcRange, "env %q: for_each has no elements, so the env has no target", env)
	}
	return urls, nil
}

func (p *parser) migration(ctx *hcl.EvalContext, e *Env, b *hclsyntax.Block) error {
	a, ok := b.Body.Attributes["dir"]
	if !ok {
		return nil
	}
	s, err := p.string(ctx, a)
	if err != nil {
		return err
	}
	if e.Dir, err = p.path(a, "migration dir", s); err != nil {
		return err
	}
	if why := atlasDir(filepath.Join(p.dir, e.Dir)); why != "" {
		return p.errorf(a.SrcRange, "env %q: migration directory %s is in Atlas's format (%s): schemactl runs numbered files with -- +up and -- +down sections; plan a new directory from the schema instead (docs/project.md)", e.Name, e.Dir, why)
	}
	return nil
}

func (p *parser) lint(ctx *hcl.EvalContext, e *Env, b *hclsyntax.Block) error {
	if a, ok := b.Body.Attributes["latest"]; ok {
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return diagError(diags)
		}
		n, err := convert.Convert(v, cty.Number)
		if err != nil || n.IsNull() || !n.AsBigFloat().IsInt() || n.AsBigFloat().Sign() <= 0 {
			return p.errorf(a.SrcRange, "env %q: lint latest must be a whole number above 0", e.Name)
		}
		i, _ := n.AsBigFloat().Int64()
		e.Lint.Latest = int(i)
	}
	for _, g := range b.Body.Blocks {
		if a, ok := g.Body.Attributes["base"]; ok {
			s, err := p.string(ctx, a)
			if err != nil {
				return err
			}
			e.Lint.Base = s
		}
	}
	return nil
}

// path reads a local path, plain or as Atlas writes it (file://path).
// Other schemes (atlas:// for Atlas Cloud, env:// …) are refused.
func (p *parser) path(a *hclsyntax.Attribute, what, s string) (string, error) {
	if i := strings.Index(s, "://"); i > 0 {
		if s[:i] != "file" {
			return "", p.errorf(a.SrcRange, "%s: %s:// is not supported by schemactl: give a local path", what, s[:i])
		}
		s = s[i+3:]
		if strings.ContainsAny(s, "?#") {
			return "", p.errorf(a.SrcRange, "%s: parameters (?…) are not supported by schemactl: give a local path", what)
		}
	}
	if s == "" {
		return "", p.errorf(a.SrcRange, "%s is empty", what)
	}
	return s, nil
}

// string evaluates a to a string. Its value is never quoted in errors: it
// may be a URL holding a password.
func (p *parser) string(ctx *hcl.EvalContext, a *hclsyntax.Attribute) (string, error) {
	v, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		return "", diagError(diags)
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() || !s.IsKnown() {
		return "", p.errorf(a.SrcRange, "%s must be a string", a.Name)
	}
	return s.AsString(), nil
}

// strings evaluates a to a string or a list of strings.
func (p *parser) strings(ctx *hcl.EvalContext, a *hclsyntax.Attribute) ([]string, error) {
	v, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	if v.IsNull() {
		return nil, p.errorf(a.SrcRange, "%s is null", a.Name)
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}, nil
	}
	l, err := convert.Convert(v, cty.List(cty.String))
	if err != nil || !l.IsWhollyKnown() {
		return nil, p.errorf(a.SrcRange, "%s must be a string or a list of strings", a.Name)
	}
	var out []string
	for _, s := range l.AsValueSlice() {
		if s.IsNull() {
			return nil, p.errorf(a.SrcRange, "%s holds a null", a.Name)
		}
		out = append(out, s.AsString())
	}
	if len(out) == 0 {
		return nil, p.errorf(a.SrcRange, "%s is an empty list", a.Name)
	}
	return out, nil
}

// atlasName is an Atlas migration file name: a 14-digit timestamp version.
var atlasName = regexp.MustCompile(`^[0-9]{14}_.*\.sql$`)

// upMarker is the line that starts a schemactl migration's up section.
var upMarker = regexp.MustCompile(`(?m)^--\s*\+up\s*$`)

// atlasDir says why dir is an Atlas migration directory, or "" when it is
// not one (or does not exist yet): schemactl's executor would otherwise
// report its files one by one, without saying what they are.
func atlasDir(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, "atlas.sum")); err == nil {
		return "it holds atlas.sum"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, de := range entries {
		if !atlasName.MatchString(de.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err == nil && !upMarker.Match(b) {
			return de.Name() + " is a timestamped file without -- +up/-- +down"
		}
	}
	return ""
}
