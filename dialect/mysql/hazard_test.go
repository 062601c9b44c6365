package mysql

import (
	"testing"

	"github.com/schemactl/schemactl/schema"
)

func TestRebuilds(t *testing.T) {
	maria := New(ParseFlavor("10.11.19-MariaDB"))
	mysql57 := New(ParseFlavor("5.7.44"))
	col := func(ty schema.Type, null bool) *schema.Column {
		return &schema.Column{Name: "c", Type: ty, Null: null, Charset: "utf8mb4"}
	}
	vc := func(n int) schema.Type { return schema.Type{Name: "varchar", Args: []int{n}} }
	enum := func(v ...string) schema.Type { return schema.Type{Name: "enum", Values: v} }
	modify := func(from, to *schema.Column, k schema.ChangeKind) *schema.ModifyTable {
		return &schema.ModifyTable{Changes: []schema.Change{&schema.ModifyColumn{From: from, To: to, Kind: k}}}
	}
	tests := []struct {
		name string
		d    *Dialect
		m    *schema.ModifyTable
		want bool
	}{
		{"varchar grows under 256 bytes", maria, modify(col(vc(10), true), col(vc(60), true), schema.ChangeType), false},
		{"varchar crosses 256 bytes, MariaDB 10.11", maria, modify(col(vc(10), true), col(vc(100), true), schema.ChangeType), false},
		{"varchar crosses 256 bytes, MySQL 8.0", New(ParseFlavor("8.0.36")), modify(col(vc(10), true), col(vc(100), true), schema.ChangeType), true},
		{"varchar shrinks", maria, modify(col(vc(60), true), col(vc(10), true), schema.ChangeType), true},
		{"enum appends", maria, modify(col(enum("a", "b"), true), col(enum("a", "b", "c"), true), schema.ChangeType), false},
		{"enum reorders", maria, modify(col(enum("a", "b"), true), col(enum("b", "a"), true), schema.ChangeType), true},
		{"int to bigint", maria, modify(col(schema.Type{Name: "int"}, true), col(schema.Type{Name: "bigint"}, true), schema.ChangeType), true},
		{"not null", maria, modify(col(vc(10), true), col(vc(10), false), schema.ChangeNull), true},
		{"default only", maria, modify(col(vc(10), true), col(vc(10), true), schema.ChangeDefault), false},
		{"comment only", maria, modify(col(vc(10), true), col(vc(10), true), schema.ChangeComment), false},
		{"add column", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.AddColumn{C: col(vc(10), true)}}}, false},
		{"add stored generated", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.AddColumn{C: &schema.Column{Name: "g", Type: vc(10), Generated: &schema.Generated{Expr: "a", Stored: true}}}}}, true},
		{"drop column, MariaDB 10.11", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.DropColumn{C: col(vc(10), true)}}}, false},
		{"drop column, MySQL 5.7", mysql57, &schema.ModifyTable{Changes: []schema.Change{&schema.DropColumn{C: col(vc(10), true)}}}, true},
		{"primary key", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.ModifyPrimaryKey{}}}, true},
		{"engine", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.ModifyTableOptions{Kind: schema.ChangeEngine}}}, true},
		{"table comment", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.ModifyTableOptions{Kind: schema.ChangeComment}}}, false},
		{"add index", maria, &schema.ModifyTable{Changes: []schema.Change{&schema.AddIndex{I: &schema.Index{Name: "i"}}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Rebuilds(tt.m); got != tt.want {
				t.Errorf("Rebuilds = %v, want %v", got, tt.want)
			}
		})
	}
}
