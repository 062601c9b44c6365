package planner

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Rename is a rename hint given outside the HCL (plan --rename), with the
// same meaning as renamed_from on the object: the object called To in the
// desired schema was called From.
type Rename struct {
	// Kind is "table", "column" or "index".
	Kind string
	// Table is the table of a column or index, by its desired name or by
	// the name it is renamed from.
	Table    string
	From, To string
}

// String writes r in the syntax ParseRename reads.
func (r Rename) String() string {
	if r.Kind == "table" {
		return fmt.Sprintf("table.%s=%s", r.From, r.To)
	}
	return fmt.Sprintf("table.%s.%s.%s=%s", r.Table, r.Kind, r.From, r.To)
}

// ParseRename reads the --rename syntax: table.OLD=NEW,
// table.T.column.OLD=NEW or table.T.index.OLD=NEW. Names cannot contain
// "." or "=".
func ParseRename(s string) (Rename, error) {
	lhs, to, ok := strings.Cut(s, "=")
	bad := fmt.Errorf("bad rename %q: want table.OLD=NEW, table.T.column.OLD=NEW or table.T.index.OLD=NEW", s)
	if !ok || to == "" || strings.Contains(to, "=") {
		return Rename{}, bad
	}
	parts := strings.Split(lhs, ".")
	for _, p := range parts {
		if p == "" {
			return Rename{}, bad
		}
	}
	switch {
	case len(parts) == 2 && parts[0] == "table":
		return Rename{Kind: "table", From: parts[1], To: to}, nil
	case len(parts) == 4 && parts[0] == "table" && (parts[2] == "column" || parts[2] == "index"):
		return Rename{Kind: parts[2], Table: parts[1], From: parts[3], To: to}, nil
	}
	return Rename{}, bad
}

// WithRenames returns a copy of desired in which each rename is set as the
// renamed_from hint of its object. The object must be declared under its
// new name, and may not carry another renamed_from. desired is not changed.
func WithRenames(desired *schema.Realm, renames []Rename) (*schema.Realm, error) {
	if len(renames) == 0 {
		return desired, nil
	}
	if desired == nil || len(desired.Schemas) != 1 {
		return nil, fmt.Errorf("--rename needs a schema with exactly one database")
	}
	s := *desired.Schemas[0]
	s.Tables = make([]*schema.Table, len(desired.Schemas[0].Tables))
	for i, t := range desired.Schemas[0].Tables {
		s.Tables[i] = cloneTable(t)
	}
	// Table renames first, so that a column rename may name its table by
	// either name.
	for _, r := range renames {
		if r.Kind != "table" {
			continue
		}
		t, ok := s.Table(r.To)
		if !ok {
			return nil, fmt.Errorf("--rename %s: the schema has no table %q", r, r.To)
		}
		if err := setHint(&t.RenamedFrom, r); err != nil {
			return nil, err
		}
	}
	for _, r := range renames {
		switch r.Kind {
		case "table":
			continue
		case "column", "index":
		default:
			return nil, fmt.Errorf("--rename %s: unknown kind %q", r, r.Kind)
		}
		t, ok := s.Table(r.Table)
		if !ok {
			for _, c := range s.Tables {
				if c.RenamedFrom == r.Table {
					t, ok = c, true
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("--rename %s: the schema has no table %q", r, r.Table)
		}
		var hint *string
		if r.Kind == "column" {
			if c, ok := t.Column(r.To); ok {
				hint = &c.RenamedFrom
			}
		} else if i, ok := t.Index(r.To); ok {
			hint = &i.RenamedFrom
		}
		if hint == nil {
			return nil, fmt.Errorf("--rename %s: table %q has no %s %q", r, t.Name, r.Kind, r.To)
		}
		if err := setHint(hint, r); err != nil {
			return nil, err
		}
	}
	return &schema.Realm{Schemas: []*schema.Schema{&s}}, nil
}

func setHint(hint *string, r Rename) error {
	if *hint != "" && !strings.EqualFold(*hint, r.From) {
		return fmt.Errorf("--rename %s: the schema says renamed_from = %q", r, *hint)
	}
	*hint = r.From
	return nil
}
