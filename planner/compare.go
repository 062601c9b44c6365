package planner

import (
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// The comparisons below are plain value comparisons: the dialect has already
// normalised both sides (type spellings, default quoting, implied actions).
// Column names compare case-insensitively, as both engines treat them;
// source positions and rename hints never count.

// ColumnChange reports which parts of a column differ, as Diff compares
// them: the Kind of the ModifyColumn that turns from into to, or zero when
// they are the same. Names, rename hints and positions never count.
func ColumnChange(from, to *schema.Column) schema.ChangeKind {
	var k schema.ChangeKind
	if !from.Type.Equal(to.Type) {
		k |= schema.ChangeType
	}
	if from.Null != to.Null {
		k |= schema.ChangeNull
	}
	if !equalDefault(from.Default, to.Default) {
		k |= schema.ChangeDefault
	}
	if from.AutoIncrement != to.AutoIncrement {
		k |= schema.ChangeAutoIncrement
	}
	if from.OnUpdate != to.OnUpdate {
		k |= schema.ChangeOnUpdate
	}
	if from.Charset != to.Charset {
		k |= schema.ChangeCharset
	}
	if from.Collate != to.Collate {
		k |= schema.ChangeCollate
	}
	if from.Comment != to.Comment {
		k |= schema.ChangeComment
	}
	if !equalGenerated(from.Generated, to.Generated) {
		k |= schema.ChangeGenerated
	}
	return k
}

func equalDefault(a, b *schema.Default) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func equalGenerated(a, b *schema.Generated) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// equalIndex compares everything but the name.
func equalIndex(a, b *schema.Index) bool {
	return a.Unique == b.Unique && a.Where == b.Where && a.Type == b.Type &&
		a.Parser == b.Parser && a.Comment == b.Comment && equalParts(a.Parts, b.Parts)
}

// equalPrimaryKey compares key parts, method and comment; the name is
// "" or "PRIMARY" depending on who reports it and never counts.
func equalPrimaryKey(a, b *schema.Index) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Type == b.Type && a.Comment == b.Comment && equalParts(a.Parts, b.Parts)
}

func equalParts(a, b []schema.IndexPart) bool {
	return slices.EqualFunc(a, b, func(p, q schema.IndexPart) bool {
		return strings.EqualFold(p.Column, q.Column) && p.Expr == q.Expr && p.Desc == q.Desc && p.Prefix == q.Prefix
	})
}

// equalForeignKey compares everything but the name.
func equalForeignKey(a, b *schema.ForeignKey) bool {
	return a.RefTable == b.RefTable && a.OnUpdate == b.OnUpdate && a.OnDelete == b.OnDelete && a.Deferred == b.Deferred &&
		slices.EqualFunc(a.Columns, b.Columns, strings.EqualFold) &&
		slices.EqualFunc(a.RefColumns, b.RefColumns, strings.EqualFold)
}

// equalCheck compares everything but the name.
func equalCheck(a, b *schema.Check) bool {
	return a.Expr == b.Expr && a.Enforced == b.Enforced
}
