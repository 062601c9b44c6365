package schemahcl

import (
	"bytes"
	"runtime"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// parseBlocks parses one file one top-level block at a time, handing each
// block's body to decode as soon as it is parsed, and reports whether it
// could. The lexer holds every token of what it parses at once (about 115
// bytes a token: 560 MB for a 10,000-table schema), and a syntax tree kept
// whole until decoding is as large again, so a large file parsed whole
// needs gigabytes where one parsed and decoded block by block needs what
// the decoder keeps. It reports false, having perhaps decoded some blocks,
// when the file does not split cleanly into blocks (top-level attributes,
// heredocs, template sequences in strings) or a block does not parse alone:
// the caller then undoes the decoding and parses the file whole, so that it
// gets exactly the diagnostics of a whole parse. The file returned has the
// source but an empty body: the blocks are not kept.
func parseBlocks(src []byte, filename string, decode func(*hclsyntax.Body)) (*hcl.File, bool) {
	ends, _, ok := blockEnds(src)
	if !ok || len(ends) < 2 {
		return nil, false
	}
	starts := make([]hcl.Pos, len(ends))
	start := hcl.InitialPos
	for i, e := range ends {
		starts[i] = start
		start = hcl.Pos{Line: start.Line + bytes.Count(src[start.Byte:e], []byte{'\n'}), Column: 1, Byte: e}
	}
	// Blocks are parsed concurrently, a bounded window ahead of the
	// decoder, which takes them in file order: parsing is most of the
	// work of loading a large schema, and the window bounds the syntax
	// trees alive at once.
	results := make([]chan *hclsyntax.Body, len(ends))
	for i := range results {
		results[i] = make(chan *hclsyntax.Body, 1)
	}
	window := make(chan struct{}, 4*runtime.GOMAXPROCS(0))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := range ends {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			go func() { results[i] <- parseBlock(src[starts[i].Byte:ends[i]], filename, starts[i]) }()
		}
	}()
	var end hcl.Range
	for i := range ends {
		b := <-results[i]
		<-window
		if b == nil {
			return nil, false
		}
		decode(b)
		end = b.EndRange
	}
	body := &hclsyntax.Body{
		Attributes: hclsyntax.Attributes{},
		SrcRange:   hcl.Range{Filename: filename, Start: hcl.InitialPos, End: end.End},
		EndRange:   end,
	}
	return &hcl.File{Body: body, Bytes: src}, true
}

// parseBlock parses one block's source, which starts at pos in its file,
// and returns its body, or nil when it does not parse cleanly as blocks
// alone.
func parseBlock(src []byte, filename string, pos hcl.Pos) *hclsyntax.Body {
	f, diags := hclsyntax.ParseConfig(src, filename, pos)
	b, _ := f.Body.(*hclsyntax.Body)
	if len(diags) > 0 || b == nil || len(b.Attributes) > 0 {
		return nil
	}
	return b
}

// decoderMark is how far a decoder has got.
type decoderMark struct{ diags, schemas, tables, values, deferred, otherSchemas int }

func (d *decoder) mark() decoderMark {
	return decoderMark{len(d.diags), len(d.schemas), len(d.tables), len(d.values), len(d.deferred), len(d.otherSchemas)}
}

// reset takes the decoder back to m, forgetting what it decoded since.
// Decoding a block only appends to these lists: the checks across blocks
// run in finish.
func (d *decoder) reset(m decoderMark) {
	d.diags, d.schemas, d.tables = d.diags[:m.diags], d.schemas[:m.schemas], d.tables[:m.tables]
	d.values, d.deferred = d.values[:m.values], d.deferred[:m.deferred]
	d.otherSchemas = d.otherSchemas[:m.otherSchemas]
}

// blockEnds returns the offsets at which the top-level blocks of src end:
// just after the newline that follows each closing brace, the last one at
// the end of src. It reports false when it cannot tell for sure, and the
// caller then parses the file whole: on heredocs and template sequences
// (whose braces it does not track), an unterminated string or comment,
// unbalanced braces, or anything but blanks between a block's closing brace
// and the end of its line.
//
// When it reports false, the offset says where it gave up.
func blockEnds(src []byte) ([]int, int, bool) {
	var ends []int
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			n := bytes.Index(src[i+2:], []byte("*/"))
			if n < 0 {
				return nil, i, false
			}
			i += n + 3
		case c == '"':
			j, ok := stringEnd(src, i+1)
			if !ok {
				return nil, i, false
			}
			i = j
		case c == '<' && i+1 < len(src) && src[i+1] == '<':
			return nil, i, false
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth < 0 {
				return nil, i, false
			}
			if depth > 0 {
				continue
			}
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			switch {
			case j == len(src):
				ends = append(ends, j)
			case src[j] == '\n':
				ends = append(ends, j+1)
			default:
				return nil, j, false
			}
			i = j
		}
	}
	if depth != 0 || len(ends) == 0 {
		return nil, len(src), false
	}
	// Blanks and comments after the last block belong to it.
	ends[len(ends)-1] = len(src)
	return ends, 0, true
}

// stringEnd returns the offset of the quote that closes the string whose
// contents start at i. It reports false at a newline, at the end of src and
// at a template sequence (${ or %{), whose nesting it does not follow.
func stringEnd(src []byte, i int) (int, bool) {
	for ; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i, true
		case '\n':
			return 0, false
		case '$', '%':
			if i+1 < len(src) && src[i+1] == '{' {
				return 0, false
			}
		}
	}
	return 0, false
}
