package schemahcl

import (
	"bytes"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format rewrites one file canonically: inside every known block the
// attributes come first, in the order Encode writes them (renamed_from
// first; for columns null and type first), unknown attributes after them in
// their original order, then the child blocks in their original order;
// spacing and alignment are hclwrite.Format's. Comments travel with the
// attribute or block they precede or end the line of. Format needs only
// valid syntax, not a valid schema, and Format(Format(x)) == Format(x).
func Format(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	if diags := checkSource(filename, src); diags.HasErrors() {
		return nil, diags
	}
	// Garbage parsed whole costs about 130 times its size; a large file
	// is parsed whole only once its blocks have parsed alone.
	if len(src) > MaxWholeParse {
		if diags := checkBlocks(filename, src); diags.HasErrors() {
			return nil, diags
		}
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	toks, lexDiags := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	if lexDiags.HasErrors() {
		return nil, lexDiags
	}
	f := &formatter{src: src, toks: toks}
	var out bytes.Buffer
	f.body(&out, file.Body.(*hclsyntax.Body), "", 0, len(src))
	return hclwrite.Format(out.Bytes()), diags
}

type formatter struct {
	src  []byte
	toks hclsyntax.Tokens
}

// specsByKind maps a block type to its spec, for attribute order.
var specsByKind = map[string]*bodySpec{
	"schema": schemaSpec, "table": tableSpec, "column": columnSpec, "as": asSpec,
	"primary_key": pkSpec, "index": indexSpec, "on": partSpec,
	"foreign_key": fkSpec, "check": checkSpec,
}

// childKinds says which block types nest where, so that a column block is
// only ordered as a column inside a table.
var childKinds = map[string][]string{
	"":            {"schema", "table"},
	"table":       {"column", "primary_key", "index", "foreign_key", "check"},
	"column":      {"as"},
	"primary_key": {"on"},
	"index":       {"on"},
}

// unit is one attribute or block with the comments and blank lines before
// it and the comments that end its line.
type unit struct {
	prefix, suffix []byte
	attr           *hclsyntax.Attribute
	block          *hclsyntax.Block
	rank           int
}

// body writes the bytes [from, to) of src that hold body b of a block of
// the given kind ("" for the file), with attributes put in order.
func (f *formatter) body(w *bytes.Buffer, b *hclsyntax.Body, kind string, from, to int) {
	spec := specsByKind[kind]
	var units []*unit
	for _, a := range b.Attributes {
		units = append(units, &unit{attr: a, rank: attrRank(spec, a.Name)})
	}
	for _, blk := range b.Blocks {
		units = append(units, &unit{block: blk, rank: 1 << 20})
	}
	sort.Slice(units, func(i, j int) bool { return units[i].start() < units[j].start() })
	pos := from
	for _, u := range units {
		end := min(max(f.lineEnd(u.end()), u.end()), to)
		u.prefix, u.suffix = f.src[pos:u.start()], f.src[u.end():end]
		pos = end
	}
	tail := f.src[pos:to]
	if spec != nil {
		sort.SliceStable(units, func(i, j int) bool { return units[i].rank < units[j].rank })
	}
	for _, u := range units {
		w.Write(u.prefix)
		if u.attr != nil {
			w.Write(f.src[u.start():u.end()])
		} else {
			f.block(w, u.block, childKind(kind, u.block.Type))
		}
		w.Write(u.suffix)
		if !bytes.HasSuffix(u.suffix, []byte("\n")) {
			w.WriteByte('\n')
		}
	}
	w.Write(tail)
}

func (f *formatter) block(w *bytes.Buffer, b *hclsyntax.Block, kind string) {
	start, end := b.TypeRange.Start.Byte, b.CloseBraceRange.End.Byte
	if b.OpenBraceRange.Start.Line == b.CloseBraceRange.Start.Line {
		w.Write(f.src[start:end]) // a one-line block holds at most one attribute
		return
	}
	bodyFrom := f.lineEnd(b.OpenBraceRange.End.Byte)
	closeAt := b.CloseBraceRange.Start.Byte
	if bodyFrom > closeAt {
		bodyFrom = closeAt
	}
	w.Write(f.src[start:bodyFrom])
	f.body(w, b.Body, kind, bodyFrom, closeAt)
	w.Write(f.src[closeAt:end])
}

func childKind(parent, typ string) string {
	if contains(childKinds[parent], typ) {
		return typ
	}
	return "-" // unknown: keep everything inside as it is
}

func attrRank(spec *bodySpec, name string) int {
	if spec == nil {
		return 0
	}
	for i, it := range spec.attrs {
		if it.name == name {
			return i
		}
	}
	return len(spec.attrs)
}

func (u *unit) start() int {
	if u.attr != nil {
		return u.attr.SrcRange.Start.Byte
	}
	return u.block.TypeRange.Start.Byte
}

func (u *unit) end() int {
	if u.attr != nil {
		return u.attr.SrcRange.End.Byte
	}
	return u.block.CloseBraceRange.End.Byte
}

// lineEnd returns the offset just past the end of the line that pos is on,
// taking in the comments that end that line.
func (f *formatter) lineEnd(pos int) int {
	i := sort.Search(len(f.toks), func(i int) bool { return f.toks[i].Range.Start.Byte >= pos })
	end := pos
	for ; i < len(f.toks); i++ {
		t := f.toks[i]
		switch t.Type {
		case hclsyntax.TokenNewline:
			return t.Range.End.Byte
		case hclsyntax.TokenComment:
			end = t.Range.End.Byte
			if bytes.HasSuffix(t.Bytes, []byte("\n")) {
				return end
			}
		default:
			return end
		}
	}
	return end
}
