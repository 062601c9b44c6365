package main

import (
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
)

// The document of inspect --format json (docs/output.md): the tables as
// the database reports them, in the words of the HCL.
type (
	inspectDoc struct {
		FormatVersion string          `json:"format_version"`
		Kind          string          `json:"kind"` // "inspect"
		Target        string          `json:"target"`
		Dialect       string          `json:"dialect"`
		Schemas       []inspectSchema `json:"schemas"`
	}
	inspectSchema struct {
		Name   string         `json:"name"`
		Tables []inspectTable `json:"tables"`
	}
	inspectTable struct {
		Name        string          `json:"name"`
		Columns     []inspectColumn `json:"columns"`
		PrimaryKey  []string        `json:"primary_key"`
		Indexes     []inspectIndex  `json:"indexes"`
		ForeignKeys []inspectFK     `json:"foreign_keys"`
		Checks      []inspectCheck  `json:"checks"`
	}
	inspectColumn struct {
		Name          string  `json:"name"`
		Type          string  `json:"type"`
		Null          bool    `json:"null"`
		Default       *string `json:"default"`
		AutoIncrement bool    `json:"auto_increment,omitempty"`
	}
	inspectIndex struct {
		Name    string   `json:"name"`
		Unique  bool     `json:"unique"`
		Columns []string `json:"columns"` // a functional part is its expression
	}
	inspectFK struct {
		Name       string   `json:"name"`
		Columns    []string `json:"columns"`
		RefTable   string   `json:"ref_table"`
		RefColumns []string `json:"ref_columns"`
		OnUpdate   string   `json:"on_update"`
		OnDelete   string   `json:"on_delete"`
	}
	inspectCheck struct {
		Name string `json:"name"`
		Expr string `json:"expr"`
	}
)

func inspectDocument(target string, d schema.Dialect, r *schema.Realm) *inspectDoc {
	doc := &inspectDoc{FormatVersion: report.JSONFormatVersion, Kind: "inspect", Target: target, Dialect: string(d), Schemas: []inspectSchema{}}
	for _, s := range r.Schemas {
		ds := inspectSchema{Name: s.Name, Tables: []inspectTable{}}
		for _, t := range s.Tables {
			ds.Tables = append(ds.Tables, inspectTableDoc(t))
		}
		doc.Schemas = append(doc.Schemas, ds)
	}
	return doc
}

func inspectTableDoc(t *schema.Table) inspectTable {
	dt := inspectTable{Name: t.Name, Columns: []inspectColumn{}, PrimaryKey: []string{}, Indexes: []inspectIndex{}, ForeignKeys: []inspectFK{}, Checks: []inspectCheck{}}
	for _, c := range t.Columns {
		dc := inspectColumn{Name: c.Name, Type: c.Type.String(), Null: c.Null, AutoIncrement: c.AutoIncrement}
		if c.Default != nil {
			v := c.Default.Value
			dc.Default = &v
		}
		dt.Columns = append(dt.Columns, dc)
	}
	if t.PrimaryKey != nil {
		dt.PrimaryKey = partNames(t.PrimaryKey.Parts)
	}
	for _, ix := range t.Indexes {
		dt.Indexes = append(dt.Indexes, inspectIndex{Name: ix.Name, Unique: ix.Unique, Columns: partNames(ix.Parts)})
	}
	for _, fk := range t.ForeignKeys {
		dt.ForeignKeys = append(dt.ForeignKeys, inspectFK{Name: fk.Name, Columns: fk.Columns, RefTable: fk.RefTable, RefColumns: fk.RefColumns,
			OnUpdate: string(fk.OnUpdate), OnDelete: string(fk.OnDelete)})
	}
	for _, ck := range t.Checks {
		dt.Checks = append(dt.Checks, inspectCheck{Name: ck.Name, Expr: ck.Expr})
	}
	return dt
}

func partNames(parts []schema.IndexPart) []string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p.Column != "" {
			out = append(out, p.Column)
		} else {
			out = append(out, p.Expr)
		}
	}
	return out
}
