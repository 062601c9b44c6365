package lint

import (
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// DefaultApproval is the reason Approve writes when none is given: fixed,
// so that the same plan gives the same file on every machine.
const DefaultApproval = "allowed with --allow-destructive"

// Approve writes, above every up statement that carries out a destructive
// change of p, the nolint directive that silences its codes, with reason
// (DefaultApproval when empty): a plan made with --allow-destructive then
// passes lint as it was written, and the file says who allowed what only
// in the review that approved it. Every statement of the change gets the
// directive, since lint places a finding at the statement of the change
// that made it (a SQLite rebuild has several).
func (p *Plan) Approve(reason string) {
	if reason == "" {
		reason = DefaultApproval
	}
	codes := map[int][]string{} // change index → codes
	for _, f := range p.Destructive {
		j := changeIndex(p.Changes, f.Change)
		if j < 0 {
			continue // a finding of the down section (DS107)
		}
		// Lint follows a table through its renames and rebuilds: the
		// finding may be placed at any change of the same table (the
		// RENAME before it, or a rebuild that drops a foreign key before
		// the table is dropped).
		for _, k := range append(sameTable(p.Changes, p.Changes[j]), j) {
			if !slices.Contains(codes[k], f.Code) {
				codes[k] = append(codes[k], f.Code)
			}
		}
	}
	for i := range p.Up {
		st := &p.Up[i]
		cs, ok := codes[st.Change]
		if !ok {
			continue
		}
		slices.Sort(cs)
		line := "schemactl:nolint " + strings.Join(cs, ",") + " " + reason
		if st.Comment == "" {
			st.Comment = line
		} else {
			st.Comment += "\n" + line
		}
	}
}

// changeIndex finds the top-level change of changes that is c or holds c.
func changeIndex(changes []schema.Change, c schema.Change) int {
	for j, top := range changes {
		if top == c {
			return j
		}
		if m, ok := top.(*schema.ModifyTable); ok && slices.Contains(m.Changes, c) {
			return j
		}
	}
	return -1
}

// sameTable finds the changes of changes that touch a table that c
// touches, under any of its names.
func sameTable(changes []schema.Change, c schema.Change) []int {
	names := tableNames(c)
	var out []int
	for k, other := range changes {
		if slices.ContainsFunc(tableNames(other), func(n string) bool { return slices.Contains(names, n) }) {
			out = append(out, k)
		}
	}
	return out
}

// tableNames are the names of the table a change touches.
func tableNames(c schema.Change) []string {
	switch c := c.(type) {
	case *schema.AddTable:
		return []string{c.T.Name}
	case *schema.DropTable:
		return []string{c.T.Name}
	case *schema.RenameTable:
		return []string{c.From, c.To}
	case *schema.ModifyTable:
		names := []string{c.To.Name}
		if c.From != nil && c.From.Name != c.To.Name {
			names = append(names, c.From.Name)
		}
		return names
	}
	return nil
}
