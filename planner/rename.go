package planner

import (
	"fmt"
	"strings"
)

// hint is one renamed_from hint: the object declared as name says it was
// called from.
type hint struct {
	name, from string
}

// hintScope describes where a set of hints lives, for resolveHints.
type hintScope struct {
	kind     string // "table", "column", "index"
	owner    string // `table "hero": ` or "" for tables
	fold     bool   // names compare case-insensitively
	declared []string
	exists   func(name string) bool // in the current state
}

func (s hintScope) key(name string) string {
	if s.fold {
		return strings.ToLower(name)
	}
	return name
}

// resolveHints applies the renamed_from rules of hcl-language §13.1 to one
// scope: for an object N with renamed_from O it plans a rename O → N when the
// current state has O but not N, ignores the hint when it has N but not O
// (the rename was applied earlier), fails when it has both, and notes the
// hint when it has neither (N is created). It returns old → new names, keyed
// by s.key(old).
func resolveHints(s hintScope, hints []hint) (map[string]string, []string, error) {
	declared := make(map[string]bool, len(s.declared))
	for _, n := range s.declared {
		declared[s.key(n)] = true
	}
	renames := make(map[string]string)
	claimedBy := make(map[string]string)
	var notes []string
	for _, h := range hints {
		if h.from == "" {
			continue
		}
		what := fmt.Sprintf("%s%s %q", s.owner, s.kind, h.name)
		oldKey := s.key(h.from)
		switch {
		case oldKey == s.key(h.name):
			return nil, nil, fmt.Errorf("%s: renamed_from names the %s itself", what, s.kind)
		case declared[oldKey]:
			return nil, nil, fmt.Errorf("%s: renamed_from %q names a %s that is also declared", what, h.from, s.kind)
		case claimedBy[oldKey] != "":
			return nil, nil, fmt.Errorf("%s: renamed_from %q is also claimed by %s %q", what, h.from, s.kind, claimedBy[oldKey])
		}
		claimedBy[oldKey] = h.name
		hasNew, hasOld := s.exists(h.name), s.exists(h.from)
		switch {
		case hasNew && hasOld:
			return nil, nil, fmt.Errorf("%s: ambiguous renamed_from %q: both %s exist", what, h.from, plural(s.kind))
		case hasOld:
			renames[oldKey] = h.name
		case !hasNew:
			notes = append(notes, fmt.Sprintf("%s is renamed_from %q, but neither exists; it is created", what, h.from))
		}
	}
	return renames, notes, nil
}

func plural(kind string) string {
	if kind == "index" {
		return "indexes"
	}
	return kind + "s"
}
