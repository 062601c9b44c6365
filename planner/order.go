package planner

import (
	"cmp"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Ordering. Tables are created, changed and dropped in an order the engines
// accept: a table is created (or gets the columns and keys a foreign key
// points at) before a foreign key refers to it, and a foreign key is dropped
// before the table, column or index it refers to goes away. Among tables
// free to go in any order, creations come first, then changes, then drops,
// each sorted by name.
//
// A cycle of foreign keys (a → b → a) cannot be created in one go. Inside
// each strongly connected group of tables the foreign keys between
// different tables of the group are split off: they are added by a
// ModifyTable after everything else is in place, or dropped by a ModifyTable
// before anything else runs. A self-reference never needs splitting. Engines
// that accept references to tables created later in the same migration
// (SQLite) need no split for a cycle made only of new tables: those tables
// are created with their foreign keys inline, in name order.

const (
	rankAdd = iota
	rankModify
	rankDrop
)

// node is one table's main change in the plan.
type node struct {
	rank int
	name string // name after the plan (dropped tables: the current name)
	// table is the table to create (rankAdd) or to drop (rankDrop, its view).
	table *schema.Table
	// mod and view are the change and the current table with renames
	// applied (rankModify).
	mod  *schema.ModifyTable
	view *schema.Table
}

type modification struct {
	m    *schema.ModifyTable
	view *schema.Table
}

// order returns the table-level changes in dependency order.
func order(added []*schema.Table, mods []modification, dropped []*schema.Table, inlineCycles bool) []schema.Change {
	var nodes []*node
	for _, t := range added {
		nodes = append(nodes, &node{rank: rankAdd, name: t.Name, table: t})
	}
	for _, m := range mods {
		nodes = append(nodes, &node{rank: rankModify, name: m.m.To.Name, mod: m.m, view: m.view})
	}
	for _, t := range dropped {
		nodes = append(nodes, &node{rank: rankDrop, name: t.Name, table: t})
	}
	slices.SortFunc(nodes, func(a, b *node) int { return strings.Compare(a.name, b.name) })
	byName := make(map[string]*node, len(nodes))
	for _, n := range nodes {
		byName[n.name] = n
	}

	var leading, trailing []schema.Change
	// inline maps each table of a cycle that is created whole to its
	// cycle's first table; edges inside such a cycle are ignored.
	inline := map[string]string{}
	for _, group := range components(nodes, byName, nil) {
		if len(group) < 2 {
			continue
		}
		if inlineCycles && allAdded(group) {
			for _, n := range group {
				inline[n.name] = group[0].name
			}
			continue
		}
		in := make(map[string]bool, len(group))
		for _, n := range group {
			in[n.name] = true
		}
		for _, n := range group {
			l, t := n.split(func(ref string) bool { return in[ref] && ref != n.name })
			if l != nil {
				leading = append(leading, l)
			}
			if t != nil {
				trailing = append(trailing, t)
			}
		}
	}

	var out []schema.Change
	out = append(out, leading...)
	sorted := topoSort(nodes, byName, func(from, to string) bool {
		c, ok := inline[from]
		return ok && inline[to] == c
	})
	last := -1
	for i, n := range sorted {
		if n.rank != rankDrop {
			last = i
		}
	}
	for i, n := range sorted {
		if c := n.change(); c != nil {
			out = append(out, c)
		}
		if i == last {
			out = append(out, trailing...)
		}
	}
	if last == -1 {
		out = append(out, trailing...)
	}
	return out
}

// touches reports whether the ModifyTable of n changes what a foreign key
// to the columns cols of n's table relies on: with adding, whether it
// creates or redefines such a column or a key over one (so the foreign key
// must be added after it); otherwise whether it drops or redefines one (so
// the foreign key must be dropped before it). Names are those after the
// plan's renames.
func (n *node) touches(cols []string, adding bool) bool {
	has := func(name string) bool {
		return slices.ContainsFunc(cols, func(c string) bool { return strings.EqualFold(c, name) })
	}
	keyHas := func(i *schema.Index) bool {
		return i != nil && slices.ContainsFunc(i.Parts, func(p schema.IndexPart) bool { return has(p.Column) })
	}
	for _, c := range n.mod.Changes {
		switch c := c.(type) {
		case *schema.ModifyColumn:
			if has(c.To.Name) {
				return true
			}
		case *schema.ModifyPrimaryKey:
			if adding && keyHas(c.To) || !adding && keyHas(c.From) {
				return true
			}
		case *schema.AddColumn:
			if adding && has(c.C.Name) {
				return true
			}
		case *schema.RenameColumn:
			if adding && has(c.To) {
				return true
			}
		case *schema.AddIndex:
			if adding && keyHas(c.I) {
				return true
			}
		case *schema.DropColumn:
			if !adding && has(c.C.Name) {
				return true
			}
		case *schema.DropIndex:
			if !adding && keyHas(c.I) {
				return true
			}
		}
	}
	return false
}

func (n *node) change() schema.Change {
	switch n.rank {
	case rankAdd:
		return &schema.AddTable{T: n.table}
	case rankDrop:
		return &schema.DropTable{T: n.table}
	}
	if len(n.mod.Changes) == 0 {
		return nil
	}
	return n.mod
}

// foreign keys the node creates and drops.
func (n *node) fks() (create, drop []*schema.ForeignKey) {
	switch n.rank {
	case rankAdd:
		return n.table.ForeignKeys, nil
	case rankDrop:
		return nil, n.table.ForeignKeys
	}
	for _, c := range n.mod.Changes {
		switch c := c.(type) {
		case *schema.AddForeignKey:
			create = append(create, c.F)
		case *schema.DropForeignKey:
			drop = append(drop, c.F)
		}
	}
	return create, drop
}

// allAdded reports whether every table of group is created by the plan.
func allAdded(group []*node) bool {
	for _, n := range group {
		if n.rank != rankAdd {
			return false
		}
	}
	return true
}

// graph returns, for every node, the names of the nodes that must come
// after it, sorted and without duplicates. Edges for which skip reports true
// are left out.
func graph(nodes []*node, byName map[string]*node, skip func(from, to string) bool) map[string][]string {
	g := make(map[string][]string, len(nodes))
	for _, n := range nodes {
		create, drop := n.fks()
		for _, f := range create {
			if r := byName[f.RefTable]; r != nil && r != n && (r.rank == rankAdd || r.rank == rankModify && r.touches(f.RefColumns, true)) {
				g[r.name] = append(g[r.name], n.name)
			}
		}
		for _, f := range drop {
			if r := byName[f.RefTable]; r != nil && r != n && (r.rank == rankDrop || r.rank == rankModify && r.touches(f.RefColumns, false)) {
				g[n.name] = append(g[n.name], r.name)
			}
		}
	}
	if skip != nil {
		for k, v := range g {
			g[k] = slices.DeleteFunc(v, func(to string) bool { return skip(k, to) })
		}
	}
	for k, v := range g {
		slices.Sort(v)
		g[k] = slices.Compact(v)
	}
	return g
}

// components returns the strongly connected components of the dependency
// graph (Tarjan), in a deterministic order.
func components(nodes []*node, byName map[string]*node, skip func(from, to string) bool) [][]*node {
	g := graph(nodes, byName, skip)
	index := make(map[string]int, len(nodes))
	low := make(map[string]int, len(nodes))
	onStack := make(map[string]bool, len(nodes))
	var stack []string
	var out [][]*node
	var visit func(v string)
	visit = func(v string) {
		index[v] = len(index)
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []*node
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, byName[w])
			if w == v {
				break
			}
		}
		slices.SortFunc(comp, func(a, b *node) int { return strings.Compare(a.name, b.name) })
		out = append(out, comp)
	}
	for _, n := range nodes {
		if _, seen := index[n.name]; !seen {
			visit(n.name)
		}
	}
	return out
}

// topoSort orders the nodes (Kahn), taking among the ready ones the lowest
// (rank, name). The graph less the skipped edges must be acyclic: split has
// removed every other cycle.
func topoSort(nodes []*node, byName map[string]*node, skip func(from, to string) bool) []*node {
	g := graph(nodes, byName, skip)
	indeg := make(map[string]int, len(nodes))
	for _, succ := range g {
		for _, s := range succ {
			indeg[s]++
		}
	}
	less := func(a, b *node) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.name, b.name))
	}
	var ready []*node
	push := func(n *node) {
		i, _ := slices.BinarySearchFunc(ready, n, less)
		ready = slices.Insert(ready, i, n)
	}
	for _, n := range nodes {
		if indeg[n.name] == 0 {
			push(n)
		}
	}
	var out []*node
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		out = append(out, n)
		for _, s := range g[n.name] {
			if indeg[s]--; indeg[s] == 0 {
				push(byName[s])
			}
		}
	}
	if len(out) < len(nodes) {
		// Unreachable while split removes every cycle; losing a change
		// would be worse than a misordered one.
		for _, n := range nodes {
			if indeg[n.name] > 0 {
				out = append(out, n)
			}
		}
	}
	return out
}
