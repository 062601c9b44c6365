package planner

import (
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// diffTable compares the view of a current table (every rename applied)
// with its desired table. It returns the ModifyTable (nil when nothing
// differs) and the table as it is once the changes have run: the desired
// table, with the options it leaves to the server and the names the server
// gave to its unnamed constraints taken from the current table.
//
// retyped (nil unless the engine pins foreign key column types) names the
// columns of the whole plan whose type changes; a foreign key over one of
// them is dropped and added again even when it is itself unchanged.
func diffTable(p *pair, retyped map[string]bool) (*schema.ModifyTable, *schema.Table) {
	v := p.view
	after := afterTable(p)
	var ch changeList

	for _, c := range p.des.Columns {
		if c.RenamedFrom == "" || rename(p.cols, c.RenamedFrom) != c.Name {
			continue
		}
		old, _ := p.cur.Column(c.RenamedFrom)
		ch.renames = append(ch.renames, &schema.RenameColumn{From: old.Name, To: c.Name})
	}
	for _, i := range sortedIndexes(p.des.Indexes) {
		if i.RenamedFrom == "" || rename(p.indexes, i.RenamedFrom) != i.Name {
			continue
		}
		old, _ := p.cur.Index(i.RenamedFrom)
		ch.renames = append(ch.renames, &schema.RenameIndex{From: old.Name, To: i.Name})
	}

	diffForeignKeys(&ch, v, after, func(f *schema.ForeignKey) bool { return pinned(retyped, after.Name, f) })
	diffChecks(&ch, v, after)
	diffIndexes(&ch, v, after)
	diffColumns(&ch, v, after)
	if !equalPrimaryKey(v.PrimaryKey, after.PrimaryKey) {
		ch.pk = &schema.ModifyPrimaryKey{From: v.PrimaryKey, To: after.PrimaryKey}
	}
	if k := tableOptionsChange(v, after); k != 0 {
		ch.options = &schema.ModifyTableOptions{From: v, To: after, Kind: k}
	}
	changes := ch.list()
	if len(changes) == 0 {
		return nil, after
	}
	return &schema.ModifyTable{From: p.cur, To: after, Changes: changes}, after
}

// changeList collects the changes of one table by kind, and lists them in
// the order they apply: renames first (later changes use the new names),
// then what goes away, what changes, and what comes.
type changeList struct {
	renames          []schema.Change
	dropFKs, addFKs  []schema.Change
	dropChecks       []schema.Change
	addChecks        []schema.Change
	dropIdx, addIdx  []schema.Change
	dropCols, modify []schema.Change
	addCols          []schema.Change
	pk               *schema.ModifyPrimaryKey
	options          *schema.ModifyTableOptions
}

func (l *changeList) list() []schema.Change {
	var all []schema.Change
	for _, s := range [][]schema.Change{l.renames, l.dropFKs, l.dropChecks, l.dropIdx, l.dropCols, l.modify, l.addCols} {
		all = append(all, s...)
	}
	if l.pk != nil {
		all = append(all, l.pk)
	}
	for _, s := range [][]schema.Change{l.addIdx, l.addChecks, l.addFKs} {
		all = append(all, s...)
	}
	if l.options != nil {
		all = append(all, l.options)
	}
	return all
}

// afterTable returns the desired table without rename hints, with
// unmanaged options filled in from the current table and the current
// triggers, which a rebuild must re-create. It is a deep copy only when
// something must be filled in: copying every column of every table of a
// large schema was the bulk of the memory a plan allocated.
func afterTable(p *pair) *schema.Table {
	v := p.view
	if asAfter(p.des, v) {
		// A shallow copy: matching unnamed checks and foreign keys puts
		// the current ones in place of the desired ones in these two
		// lists, which must not be the caller's.
		a := *p.des
		a.Checks = slices.Clone(p.des.Checks)
		a.ForeignKeys = slices.Clone(p.des.ForeignKeys)
		return &a
	}
	a := cloneTable(p.des)
	a.RenamedFrom = ""
	for _, c := range a.Columns {
		c.RenamedFrom = ""
	}
	for _, i := range a.Indexes {
		i.RenamedFrom = ""
	}
	if a.PrimaryKey != nil {
		a.PrimaryKey.RenamedFrom = ""
	}
	if a.Charset == "" {
		a.Charset = v.Charset
	}
	if a.Collate == "" {
		a.Collate = v.Collate
	}
	if a.Engine == "" {
		a.Engine = v.Engine
	}
	// AUTO_INCREMENT is only ever raised: absent or lower leaves the
	// counter where it is.
	a.AutoIncrement = max(a.AutoIncrement, v.AutoIncrement)
	a.Triggers = v.Triggers
	return a
}

// asAfter reports whether afterTable would change nothing of des.
func asAfter(des, v *schema.Table) bool {
	if des.RenamedFrom != "" || des.PrimaryKey != nil && des.PrimaryKey.RenamedFrom != "" ||
		des.Charset == "" && v.Charset != "" || des.Collate == "" && v.Collate != "" ||
		des.Engine == "" && v.Engine != "" || des.AutoIncrement < v.AutoIncrement ||
		len(des.Triggers) > 0 || len(v.Triggers) > 0 {
		return false
	}
	for _, c := range des.Columns {
		if c.RenamedFrom != "" {
			return false
		}
	}
	for _, i := range des.Indexes {
		if i.RenamedFrom != "" {
			return false
		}
	}
	return true
}

func tableOptionsChange(v, a *schema.Table) schema.ChangeKind {
	var k schema.ChangeKind
	if v.Comment != a.Comment {
		k |= schema.ChangeComment
	}
	if v.Charset != a.Charset {
		k |= schema.ChangeCharset
	}
	if v.Collate != a.Collate {
		k |= schema.ChangeCollate
	}
	if v.Engine != a.Engine {
		k |= schema.ChangeEngine
	}
	if v.AutoIncrement != a.AutoIncrement {
		k |= schema.ChangeAutoIncrement
	}
	if v.Strict != a.Strict {
		k |= schema.ChangeStrict
	}
	if v.WithoutRowID != a.WithoutRowID {
		k |= schema.ChangeWithoutRowID
	}
	return k
}

func diffColumns(ch *changeList, v, a *schema.Table) {
	for i, c := range a.Columns {
		old, ok := columnAt(v, i, c.Name)
		if !ok {
			ch.addCols = append(ch.addCols, &schema.AddColumn{C: c})
			continue
		}
		if k := ColumnChange(old, c); k != 0 {
			ch.modify = append(ch.modify, &schema.ModifyColumn{From: old, To: c, Kind: k})
		}
	}
	for i, c := range v.Columns {
		if _, ok := columnAt(a, i, c.Name); !ok {
			ch.dropCols = append(ch.dropCols, &schema.DropColumn{C: c})
		}
	}
}

// columnAt is t.Column(name), looking first at position i: columns mostly
// keep their places, and searching every column for every column was a
// third of the time of diffing a large schema.
func columnAt(t *schema.Table, i int, name string) (*schema.Column, bool) {
	if i < len(t.Columns) && strings.EqualFold(t.Columns[i].Name, name) {
		return t.Columns[i], true
	}
	return t.Column(name)
}

// diffIndexes matches indexes by name. Any difference in definition is a
// drop and a create: neither engine alters an index in place.
func diffIndexes(ch *changeList, v, a *schema.Table) {
	for _, i := range sortedIndexes(v.Indexes) {
		if n, ok := a.Index(i.Name); !ok || !equalIndex(i, n) {
			ch.dropIdx = append(ch.dropIdx, &schema.DropIndex{I: i})
		}
	}
	for _, i := range sortedIndexes(a.Indexes) {
		if o, ok := v.Index(i.Name); !ok || !equalIndex(o, i) {
			ch.addIdx = append(ch.addIdx, &schema.AddIndex{I: i})
		}
	}
}

func sortedIndexes(is []*schema.Index) []*schema.Index {
	type keyed struct {
		key string
		i   *schema.Index
	}
	ks := make([]keyed, len(is))
	for j, i := range is {
		ks[j] = keyed{strings.ToLower(i.Name), i}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	s := make([]*schema.Index, len(ks))
	for j, k := range ks {
		s[j] = k.i
	}
	return s
}

// diffForeignKeys matches foreign keys by name; a desired foreign key
// without a name matches any current one with the same definition, whose
// server-given name it then takes in a. A changed foreign key is dropped and
// added again.
func diffForeignKeys(ch *changeList, v, a *schema.Table, pin func(*schema.ForeignKey) bool) {
	drops, adds := matchNamed(v.ForeignKeys, a.ForeignKeys,
		func(f *schema.ForeignKey) string { return f.Name },
		func(x, y *schema.ForeignKey) bool { return equalForeignKey(x, y) && !pin(y) })
	for _, f := range drops {
		ch.dropFKs = append(ch.dropFKs, &schema.DropForeignKey{F: f})
	}
	for _, f := range adds {
		ch.addFKs = append(ch.addFKs, &schema.AddForeignKey{F: f})
	}
}

// diffChecks works as diffForeignKeys, by name or, for an unnamed desired
// check, by expression.
func diffChecks(ch *changeList, v, a *schema.Table) {
	drops, adds := matchNamed(v.Checks, a.Checks,
		func(c *schema.Check) string { return c.Name }, equalCheck)
	for _, c := range drops {
		ch.dropChecks = append(ch.dropChecks, &schema.DropCheck{C: c})
	}
	for _, c := range adds {
		ch.addChecks = append(ch.addChecks, &schema.AddCheck{C: c})
	}
}

// matchNamed pairs current and desired constraints and returns those to drop
// and to add, each sorted by name. Named ones pair by name; an unnamed
// desired one pairs with the first unpaired current one of equal
// definition, and des[i] is replaced by it so that the state after the plan
// carries the server's name. des must be the caller's own slice.
func matchNamed[T any](cur, des []*T, name func(*T) string, equal func(a, b *T) bool) (drops, adds []*T) {
	used := make(map[*T]bool)
	find := func(ok func(*T) bool) *T {
		for _, c := range cur {
			if !used[c] && ok(c) {
				used[c] = true
				return c
			}
		}
		return nil
	}
	for _, d := range des {
		if name(d) == "" {
			continue
		}
		c := find(func(c *T) bool { return name(c) == name(d) })
		switch {
		case c == nil:
			adds = append(adds, d)
		case !equal(c, d):
			drops, adds = append(drops, c), append(adds, d)
		}
	}
	for i, d := range des {
		if name(d) != "" {
			continue
		}
		if c := find(func(c *T) bool { return equal(c, d) }); c != nil {
			des[i] = c
		} else {
			adds = append(adds, d)
		}
	}
	for _, c := range cur {
		if !used[c] {
			drops = append(drops, c)
		}
	}
	byName := func(a, b *T) int { return strings.Compare(name(a), name(b)) }
	slices.SortStableFunc(drops, byName)
	slices.SortStableFunc(adds, byName)
	return drops, adds
}
