package planner

import "github.com/schemactl/schemactl/schema"

// split removes from n the foreign keys whose referenced table satisfies
// cut, and returns the ModifyTable that drops them before the plan's other
// table changes (leading) and the one that adds them after (trailing); either
// is nil when there is nothing to move. From and To of the three changes
// chain: leading.To is the main change's From, whose To is trailing.From.
func (n *node) split(cut func(ref string) bool) (leading, trailing *schema.ModifyTable) {
	switch n.rank {
	case rankAdd:
		moved := make(map[*schema.ForeignKey]bool)
		var adds []schema.Change
		for _, f := range n.table.ForeignKeys {
			if cut(f.RefTable) {
				moved[f] = true
				adds = append(adds, &schema.AddForeignKey{F: f})
			}
		}
		if len(adds) == 0 {
			return nil, nil
		}
		full := n.table
		n.table = withoutForeignKeys(full, moved)
		return nil, &schema.ModifyTable{From: n.table, To: full, Changes: adds}

	case rankDrop:
		moved := make(map[*schema.ForeignKey]bool)
		var drops []schema.Change
		for _, f := range n.table.ForeignKeys {
			if cut(f.RefTable) {
				moved[f] = true
				drops = append(drops, &schema.DropForeignKey{F: f})
			}
		}
		if len(drops) == 0 {
			return nil, nil
		}
		full := n.table
		n.table = withoutForeignKeys(full, moved)
		return &schema.ModifyTable{From: full, To: n.table, Changes: drops}, nil
	}
	return n.splitModify(cut)
}

// splitModify moves the cut foreign key changes of a ModifyTable. Dropped
// foreign keys are views of the current ones (same position in
// n.view.ForeignKeys as in From.ForeignKeys); the leading change drops the
// current ones before any rename in the table has run.
func (n *node) splitModify(cut func(ref string) bool) (leading, trailing *schema.ModifyTable) {
	m := n.mod
	dropped := make(map[*schema.ForeignKey]bool) // current (From) foreign keys
	added := make(map[*schema.ForeignKey]bool)   // desired (To) foreign keys
	var drops, adds, rest []schema.Change
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.AddForeignKey:
			if cut(c.F.RefTable) {
				added[c.F] = true
				adds = append(adds, c)
				continue
			}
		case *schema.DropForeignKey:
			if cut(c.F.RefTable) {
				cur := currentForeignKey(m.From, n.view, c.F)
				dropped[cur] = true
				drops = append(drops, &schema.DropForeignKey{F: cur})
				continue
			}
		}
		rest = append(rest, c)
	}
	if len(drops) == 0 && len(adds) == 0 {
		return nil, nil
	}
	main := &schema.ModifyTable{From: m.From, To: m.To, Changes: rest}
	if len(drops) > 0 {
		main.From = withoutForeignKeys(m.From, dropped)
		to := withoutForeignKeys(m.From, dropped)
		to.Name = m.To.Name
		leading = &schema.ModifyTable{From: m.From, To: to, Changes: drops}
	}
	if len(adds) > 0 {
		main.To = withoutForeignKeys(m.To, added)
		trailing = &schema.ModifyTable{From: main.To, To: m.To, Changes: adds}
	}
	n.mod = main
	return leading, trailing
}

// currentForeignKey returns the foreign key of cur that v (the view of cur)
// shows as f.
func currentForeignKey(cur, v *schema.Table, f *schema.ForeignKey) *schema.ForeignKey {
	for i, g := range v.ForeignKeys {
		if g == f {
			return cur.ForeignKeys[i]
		}
	}
	return f
}
