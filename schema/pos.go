package schema

// Position is a place in a source file: Line and Column count from 1
// (Column in characters), Byte from 0.
type Position struct {
	Line, Column, Byte int
}

// Range is the part of a source file an object was declared in, from Start
// up to but not including End. The model keeps ranges of its own, instead
// of the decoder's type, so that it depends on nothing outside the
// standard library.
type Range struct {
	Filename   string
	Start, End Position
}
