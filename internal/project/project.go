// Package project reads the project file, schemactl.hcl (or Atlas's
// atlas.hcl), and evaluates one of its env blocks into the values the
// command line would otherwise give: database URL, dev database, schema
// paths, migration directory and lint settings.
//
// An env is evaluated only when it is named: the file may describe
// production, and nothing here picks an env for the caller.
package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The project files, in the order they are looked for.
const (
	FileName      = "schemactl.hcl"
	AtlasFileName = "atlas.hcl"
)

// Env is one evaluated env block. Empty fields were not set.
type Env struct {
	Name string
	File string // the project file it comes from

	// URLs are the target databases: one, or several (url = [...] or
	// for_each), which only the fleet commands may run on.
	URLs    []string
	ForEach bool
	Dev     string
	Src     []string
	Dir     string
	Lint    Lint
}

// Lint is the lint block of an env.
type Lint struct {
	Latest int    // lint.latest; 0 when not set
	Base   string // lint.git.base
}

// Several reports whether the env names more than one target database.
func (e *Env) Several() bool { return e.ForEach || len(e.URLs) > 1 }

// Find returns the project file of dir: schemactl.hcl, else atlas.hcl, else
// "" when there is none.
func Find(dir string) (string, error) {
	for _, name := range []string{FileName, AtlasFileName} {
		p := filepath.Join(dir, name)
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return "", nil
}

// Load reads the project file of dir and evaluates its env called name.
// vars are the values of --var name=value, several for a list variable.
func Load(dir, name string, vars map[string][]string) (*Env, error) {
	path, err := Find(dir)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("--env %s: no %s (or %s) in %s; schemactl init writes one", name, FileName, AtlasFileName, dir)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), src, dir, name, vars)
}

// Parse is Load on the contents of a project file called filename, whose
// relative paths are relative to dir.
func Parse(filename string, src []byte, dir, name string, vars map[string][]string) (*Env, error) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	p := &parser{file: filename, dir: dir, atlas: filename == AtlasFileName}
	body := f.Body.(*hclsyntax.Body)
	if err := p.structure(body); err != nil {
		return nil, err
	}
	ctx, err := p.evalContext(vars)
	if err != nil {
		return nil, err
	}
	b, ok := p.envs[name]
	if !ok {
		return nil, fmt.Errorf("--env %s: %s has no env %q%s", name, filename, name, p.known())
	}
	env, err := p.env(ctx, b)
	if err != nil {
		return nil, err
	}
	env.File = filename
	return env, nil
}

// parser holds a project file's blocks while it is read.
type parser struct {
	file  string
	dir   string
	atlas bool
	vars  []*hclsyntax.Block
	envs  map[string]*hclsyntax.Block
}

func (p *parser) known() string {
	if len(p.envs) == 0 {
		return " (it defines none)"
	}
	names := make([]string, 0, len(p.envs))
	for n := range p.envs {
		names = append(names, n)
	}
	sort.Strings(names)
	return " (it defines " + strings.Join(names, ", ") + ")"
}

// structure checks the shape of the whole file, not only the env asked
// for: a misspelt block in another env is an error now, not on the day
// that env is used.
func (p *parser) structure(body *hclsyntax.Body) error {
	p.envs = map[string]*hclsyntax.Block{}
	for _, a := range sortedAttrs(body.Attributes) {
		return p.unsupported(a.SrcRange, "top-level argument %q", a.Name)
	}
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if len(b.Labels) != 1 {
				return p.errorf(b.TypeRange, "a variable block has one label, its name: variable \"name\" { … }")
			}
			if err := p.only(b, "variable", []string{"type", "default", "description"}, nil); err != nil {
				return err
			}
			p.vars = append(p.vars, b)
		case "env":
			if len(b.Labels) != 1 {
				return p.errorf(b.TypeRange, "an env block has one label, its name: env \"dev\" { … }")
			}
			if prev, ok := p.envs[b.Labels[0]]; ok {
				return p.errorf(b.TypeRange, "second env %q (the first is at line %d)", b.Labels[0], prev.TypeRange.Start.Line)
			}
			if err := p.envShape(b); err != nil {
				return err
			}
			p.envs[b.Labels[0]] = b
		default:
			return p.unsupported(b.TypeRange, "block %q", b.Type)
		}
	}
	return nil
}

func (p *parser) envShape(b *hclsyntax.Block) error {
	what := fmt.Sprintf("env %q", b.Labels[0])
	if err := p.only(b, what, []string{"url", "dev", "src", "for_each"}, []string{"migration", "lint"}); err != nil {
		return err
	}
	for _, inner := range b.Body.Blocks {
		var err error
		switch inner.Type {
		case "migration":
			err = p.only(inner, what+" migration", []string{"dir"}, nil)
		case "lint":
			if err = p.only(inner, what+" lint", []string{"latest"}, []string{"git"}); err == nil {
				for _, g := range inner.Body.Blocks {
					if err = p.only(g, what+" lint git", []string{"base"}, nil); err != nil {
						break
					}
				}
			}
		}
		if err != nil {
			return err
		}
		if len(inner.Labels) != 0 {
			return p.errorf(inner.TypeRange, "%s: block %q takes no label", what, inner.Type)
		}
	}
	return nil
}

// only refuses, by name, any argument or block of b that is not listed.
func (p *parser) only(b *hclsyntax.Block, what string, attrs, blocks []string) error {
	for _, a := range sortedAttrs(b.Body.Attributes) {
		if !contains(attrs, a.Name) {
			return p.unsupported(a.SrcRange, "%s: argument %q", what, a.Name)
		}
	}
	for _, inner := range b.Body.Blocks {
		if !contains(blocks, inner.Type) {
			return p.unsupported(inner.TypeRange, "%s: block %q", what, inner.Type)
		}
	}
	return nil
}

// unsupported is the error for a part of the file schemactl does not read.
// Atlas's file has many such parts; they are named, never ignored, since
// ignoring a policy (a lint rule, a diff skip) would weaken it silently.
func (p *parser) unsupported(r hcl.Range, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...) + " is not supported by schemactl"
	if p.atlas {
		msg += " (" + AtlasFileName + " is read only for the parts that mean the same in schemactl; see docs/project.md)"
	}
	return p.errorf(r, "%s", msg)
}

// errorf is an error at r, as file:line:col.
func (p *parser) errorf(r hcl.Range, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: %s", r.Filename, r.Start.Line, r.Start.Column, fmt.Sprintf(format, args...))
}

func sortedAttrs(m hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// diagError is the first error of diags as file:line:col, the form of
// every other error here, instead of HCL's file:line,col-col.
func diagError(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + d.Detail
		}
		if d.Subject == nil {
			return errors.New(msg)
		}
		return fmt.Errorf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, msg)
	}
	return diags
}
