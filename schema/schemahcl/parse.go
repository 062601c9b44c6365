package schemahcl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// Dialect is the engine a document is written for, as the language needs
// it: its types and attributes, and the rules it adds. dialect/sqlite and
// dialect/mysql implement it: sqlite.New(), and mysql.New(mysql.Flavor{})
// when there is no server to ask, as for schemactl validate.
type Dialect interface {
	// Language describes the engine's side of the language.
	Language() *schema.Language
	// Validate reports what the engine refuses in a decoded schema. It
	// skips the parts marked broken, whose errors were reported already.
	Validate(s *schema.Schema, broken schema.Broken) []schema.Problem
}

// Options tell the decoder which engine the document is meant for.
type Options struct {
	// Dialect decides which types and attributes are valid.
	Dialect Dialect
	// Database is the database named by the URL (MySQL); the schema
	// block's label must equal it. "" skips that check.
	Database string
	// OwnTables are the tables schemactl keeps its history in (the
	// version table and its _history table); a schema may not declare
	// them.
	OwnTables []string
	// ForeignTables are tables of other tools that inspection leaves out
	// (Alembic's alembic_version); a schema may not declare them either.
	ForeignTables []string
	// Vars are the values of variable blocks given on the command line
	// (--var name=value), converted to each variable's type.
	Vars map[string]string
}

// Source is one file of a document.
type Source struct {
	Filename string
	Bytes    []byte
}

// Files are parsed files by name, for rendering diagnostics.
type Files map[string]*hcl.File

// Parse decodes sources as one document, blocks merged across files, into a
// Realm with exactly one schema. The realm is nil when diags has errors;
// warnings come back with a realm.
func Parse(opts Options, srcs ...Source) (*schema.Realm, Files, hcl.Diagnostics) {
	if opts.Dialect == nil {
		return nil, Files{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown dialect",
			Detail:   "no dialect: Options.Dialect is nil",
		}}
	}
	d := newDecoder(opts)
	var syntax hcl.Diagnostics
	var syntaxErr bool
	files := Files{}
	for _, src := range srcs {
		if _, ok := d.src[src.Filename]; ok {
			continue // the same file named twice is one file
		}
		d.src[src.Filename] = src.Bytes
		if diags := checkSource(src.Filename, src.Bytes); diags.HasErrors() {
			files[src.Filename] = &hcl.File{Bytes: src.Bytes}
			syntax = append(syntax, diags...)
			syntaxErr = true
			continue
		}
		// Files are decoded in order as soon as they are parsed, large
		// ones block by block (see parseBlocks), until one has a syntax
		// error; the rest are only parsed, for their syntax errors.
		if !syntaxErr {
			m := d.mark()
			if f, ok := parseBlocks(src.Bytes, src.Filename, d.topLevel); ok {
				files[src.Filename] = f
				continue
			}
			d.reset(m)
		}
		if len(src.Bytes) > MaxWholeParse {
			files[src.Filename] = &hcl.File{Bytes: src.Bytes}
			if syntaxErr {
				if _, ok := parseBlocks(src.Bytes, src.Filename, func(*hclsyntax.Body) {}); ok {
					continue // no syntax error here
				}
			}
			syntax = append(syntax, largeFileDiags(src.Filename, src.Bytes)...)
			syntaxErr = true
			continue
		}
		f, diags := hclsyntax.ParseConfig(src.Bytes, src.Filename, hcl.InitialPos)
		files[src.Filename] = f
		syntax = append(syntax, diags...)
		if diags.HasErrors() || f == nil {
			syntaxErr = true
			continue
		}
		if !syntaxErr {
			d.topLevel(f.Body.(*hclsyntax.Body))
		}
	}
	switch {
	case syntaxErr:
		// A partial syntax tree would only add confusing follow-on errors
		// (dangling references to tables in the broken file), so what was
		// decoded is dropped.
		d.diags = syntax
	case len(srcs) == 0:
		d.errorf(nil, "No schema files", "no HCL files were given")
	default:
		d.diags = append(syntax, d.diags...)
	}
	var realm *schema.Realm
	if !syntaxErr && len(srcs) > 0 && d.evaluate() {
		realm = d.finish(srcs[0].Filename)
	}
	sortDiagnostics(d.diags)
	if d.diags.HasErrors() {
		return nil, files, d.diags
	}
	return realm, files, d.diags
}

// LoadPaths reads files and directories and calls Parse. A directory
// contributes its *.hcl files, sorted by name, not recursively.
func LoadPaths(opts Options, paths ...string) (*schema.Realm, Files, hcl.Diagnostics) {
	var srcs []Source
	var diags hcl.Diagnostics
	for _, p := range paths {
		names, err := expandPath(p)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read schema",
				Detail:   err.Error(),
			})
			continue
		}
		for _, name := range names {
			b, err := ReadSource(name)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Cannot read schema",
					Detail:   err.Error(),
				})
				continue
			}
			srcs = append(srcs, Source{Filename: name, Bytes: b})
		}
	}
	if diags.HasErrors() {
		return nil, Files{}, diags
	}
	return Parse(opts, srcs...)
}

func expandPath(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("stat schema path: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	names, err := filepath.Glob(filepath.Join(p, "*.hcl"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", p, err)
	}
	var files []string
	for _, n := range names {
		if st, err := os.Stat(n); err == nil && !st.IsDir() {
			files = append(files, n)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("directory %s holds no *.hcl files", p)
	}
	sort.Strings(files)
	return files, nil
}

// sortDiagnostics orders diagnostics by file, line and column; diagnostics
// without a position come first, in the order they were made.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		default:
			return a.Start.Column < b.Start.Column
		}
	})
}
