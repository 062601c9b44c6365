package planner

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// result is one diff: the ordered changes, remarks for the reader, the
// state the changes lead to, and the current state with its rename hints
// turned around, from which the reverse plan is computed.
type result struct {
	changes       []schema.Change
	notes         []string
	applied       *schema.Realm
	reverseTarget *schema.Realm
}

// pair is a current table matched with the desired table it becomes, with
// the rename hints that hold inside it.
type pair struct {
	cur, des *schema.Table
	cols     map[string]string // lower(old column) → new column name
	indexes  map[string]string // lower(old index) → new index name
	view     *schema.Table     // cur as it looks after every rename
}

// differ holds the state of one diff of two schemas.
type differ struct {
	cur, des *schema.Schema
	tables   map[string]string // old table name → new, for renamed tables
	pairs    []*pair           // sorted by desired name
	byCur    map[string]*pair  // current table name → its pair
	added    []*schema.Table   // desired tables without a current one, sorted
	dropped  []*schema.Table   // views of current tables without a desired one, sorted
	notes    []string
	facts    engineFacts
	// retyped holds "table\x00column" (desired names, column lower case)
	// for every column whose type the plan changes.
	retyped map[string]bool
	// rewritten is the text of the triggers and views the renames
	// rewrite, by name.
	rewritten map[string]string
}

// engineFacts are the few engine behaviours that change the shape of a
// plan, found through optional Dialect interfaces.
type engineFacts struct {
	// inlineCycles: a CREATE TABLE may reference a table created later, so a
	// foreign key cycle of new tables needs no split (see order).
	inlineCycles bool
	// pinTypes: the engine refuses to change the type of a column that a
	// foreign key uses, so such keys are dropped and added around it.
	pinTypes bool
	// renameObjects rewrites trigger and view text for the plan's renames;
	// nil when the engine never rewrites them.
	renameObjects func(*schema.Schema, map[string]string, map[string]map[string]string) (map[string]string, error)
	// foldName is the form in which the engine compares table names;
	// nil when it compares them exactly.
	foldName func(string) string
}

func factsOf(d Dialect) engineFacts {
	var f engineFacts
	if x, ok := d.(ForwardReferencer); ok {
		f.inlineCycles = x.ForwardReferences()
	}
	if x, ok := d.(ForeignKeyTypePinner); ok {
		f.pinTypes = x.ForeignKeysPinTypes()
	}
	if x, ok := d.(ObjectRenamer); ok {
		f.renameObjects = x.RenameInObjects
	}
	if x, ok := d.(NameFolder); ok {
		f.foldName = x.FoldName
	}
	return f
}

// diffRealms diffs two realms, shaping the plan by the engine's facts.
func diffRealms(current, desired *schema.Realm, facts engineFacts) (*result, error) {
	cs, err := onlySchema("current", current)
	if err != nil {
		return nil, err
	}
	ds, err := onlySchema("desired", desired)
	if err != nil {
		return nil, err
	}
	d := &differ{cur: cs, des: ds, byCur: make(map[string]*pair), facts: facts}
	if err := d.matchTables(); err != nil {
		return nil, err
	}
	if err := d.matchInsideTables(); err != nil {
		return nil, err
	}
	d.buildViews()
	return d.plan(), nil
}

func onlySchema(side string, r *schema.Realm) (*schema.Schema, error) {
	if r == nil {
		return nil, fmt.Errorf("%s realm is nil", side)
	}
	if n := len(r.Schemas); n != 1 {
		return nil, fmt.Errorf("%s realm has %d schemas, want exactly 1", side, n)
	}
	s := r.Schemas[0]
	if s == nil {
		return nil, errors.New(side + " schema is nil")
	}
	// Tables are matched by name: a duplicate would silently lose one.
	seen := make(map[string]bool, len(s.Tables))
	for _, t := range s.Tables {
		if t == nil {
			return nil, fmt.Errorf("%s schema has a nil table", side)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("%s schema has two tables named %q", side, t.Name)
		}
		seen[t.Name] = true
	}
	return s, nil
}

// sortedTables returns the tables sorted by name, without touching s.
func sortedTables(ts []*schema.Table) []*schema.Table {
	s := slices.Clone(ts)
	slices.SortStableFunc(s, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// matchTables resolves table rename hints and pairs current with desired
// tables.
func (d *differ) matchTables() error {
	des := sortedTables(d.des.Tables)
	var names []string
	var hints []hint
	for _, t := range des {
		names = append(names, t.Name)
		hints = append(hints, hint{name: t.Name, from: t.RenamedFrom})
	}
	exists := func(n string) bool { _, ok := d.cur.Table(n); return ok }
	renames, notes, err := resolveHints(hintScope{kind: "table", declared: names, exists: exists}, hints)
	if err != nil {
		return err
	}
	d.tables, d.notes = renames, notes
	// By name through a map: Schema.Table walks the list, which made
	// matching quadratic (0.8 s at 10,000 tables). Names are unique here.
	cur := make(map[string]*schema.Table, len(d.cur.Tables))
	for _, t := range d.cur.Tables {
		cur[t.Name] = t
	}
	folded := d.foldedTables(des)
	for _, t := range des {
		var c *schema.Table
		if t.RenamedFrom != "" && renames[t.RenamedFrom] == t.Name {
			c = cur[t.RenamedFrom]
		} else {
			c = cur[t.Name]
		}
		if c == nil && t.RenamedFrom == "" && folded != nil {
			// The engine takes the two names for one: the table is
			// the same, and only the case of its name changes.
			if c = folded[d.facts.foldName(t.Name)]; c != nil {
				if d.tables == nil {
					d.tables = map[string]string{}
				}
				d.tables[c.Name] = t.Name
			}
		}
		if c == nil {
			d.added = append(d.added, t)
			continue
		}
		p := &pair{cur: c, des: t}
		d.pairs = append(d.pairs, p)
		d.byCur[c.Name] = p
	}
	return nil
}

// foldedTables maps the folded names of the current tables that no
// desired table names exactly, renamed_from hints included, to those
// tables; nil when the engine compares names exactly.
func (d *differ) foldedTables(des []*schema.Table) map[string]*schema.Table {
	if d.facts.foldName == nil {
		return nil
	}
	taken := make(map[string]bool, len(des))
	for _, t := range des {
		taken[t.Name] = true
		if t.RenamedFrom != "" {
			taken[t.RenamedFrom] = true
		}
	}
	folded := make(map[string]*schema.Table)
	for _, c := range d.cur.Tables {
		if !taken[c.Name] {
			folded[d.facts.foldName(c.Name)] = c
		}
	}
	return folded
}

// matchInsideTables resolves column and index rename hints of every pair.
// Hints are rare, so a table without any costs no more than a look at each
// name.
func (d *differ) matchInsideTables() error {
	for _, p := range d.pairs {
		owner := fmt.Sprintf("table %q: ", p.des.Name)
		if hinted(p.des.Columns, func(c *schema.Column) string { return c.RenamedFrom }) {
			var names []string
			var hints []hint
			for _, c := range p.des.Columns {
				names = append(names, c.Name)
				hints = append(hints, hint{name: c.Name, from: c.RenamedFrom})
			}
			exists := func(n string) bool { _, ok := p.cur.Column(n); return ok }
			cols, notes, err := resolveHints(hintScope{kind: "column", owner: owner, fold: true, declared: names, exists: exists}, hints)
			if err != nil {
				return err
			}
			p.cols = cols
			d.notes = append(d.notes, notes...)
		}
		if !hinted(p.des.Indexes, func(i *schema.Index) string { return i.RenamedFrom }) {
			continue
		}
		var names []string
		var hints []hint
		for _, i := range sortedIndexes(p.des.Indexes) {
			names = append(names, i.Name)
			hints = append(hints, hint{name: i.Name, from: i.RenamedFrom})
		}
		exists := func(n string) bool { _, ok := p.cur.Index(n); return ok }
		idx, notes, err := resolveHints(hintScope{kind: "index", owner: owner, fold: true, declared: names, exists: exists}, hints)
		if err != nil {
			return err
		}
		d.notes = append(d.notes, notes...)
		// An index renamed and redefined at once is dropped and created
		// under its new name: there is nothing to keep.
		for old, name := range idx {
			ci, _ := p.cur.Index(old)
			di, _ := p.des.Index(name)
			mapped := cloneIndex(ci)
			renameParts(mapped.Parts, p.cols)
			if !equalIndex(mapped, di) {
				delete(idx, old)
			}
		}
		p.indexes = idx
	}
	return nil
}

// hinted reports whether any of objs has a renamed_from hint.
func hinted[T any](objs []T, renamedFrom func(T) string) bool {
	for _, o := range objs {
		if renamedFrom(o) != "" {
			return true
		}
	}
	return false
}

// rename returns the new name of old under renames (keyed by lower case),
// or old itself.
func rename(renames map[string]string, old string) string {
	if n, ok := renames[strings.ToLower(old)]; ok {
		return n
	}
	return old
}

func renameParts(parts []schema.IndexPart, cols map[string]string) {
	for i := range parts {
		if parts[i].Column != "" {
			parts[i].Column = rename(cols, parts[i].Column)
		}
	}
}

// buildViews computes every current table as it looks once all renames have
// run: the engines carry renames of tables and columns into keys, indexes
// and the foreign keys of other tables.
func (d *differ) buildViews() {
	d.rewritten = d.renamedObjects()
	for _, c := range sortedTables(d.cur.Tables) {
		v := d.view(c)
		if changesTriggers(c, d.rewritten) {
			if v == c {
				v = cloneTable(c)
			}
			v.Triggers = make([]*schema.Object, len(c.Triggers))
			for i, tr := range c.Triggers {
				o := *d.rewrite(tr)
				if n, ok := d.tables[o.Table]; ok {
					o.Table = n
				}
				v.Triggers[i] = &o
			}
		}
		if p := d.byCur[c.Name]; p != nil {
			p.view = v
		} else {
			d.dropped = append(d.dropped, v)
		}
	}
}

// rewrite returns o as the plan's renames leave it: a copy with the text
// the engine rewrote, or o itself.
func (d *differ) rewrite(o *schema.Object) *schema.Object {
	text, ok := d.rewritten[o.Name]
	if !ok {
		return o
	}
	c := *o
	c.SQL = text
	return &c
}

// renamedObjects asks the engine for the text of the triggers and views
// the plan's renames rewrite; see ObjectRenamer.
func (d *differ) renamedObjects() map[string]string {
	if d.facts.renameObjects == nil {
		return nil
	}
	columns := map[string]map[string]string{}
	for _, p := range d.pairs {
		if len(p.cols) > 0 {
			columns[p.cur.Name] = p.cols
		}
	}
	if len(columns) == 0 && len(d.tables) == 0 {
		return nil
	}
	rewritten, err := d.facts.renameObjects(d.cur, d.tables, columns)
	if err != nil {
		// The engine refuses the renames on a copy of the schema, so it
		// will refuse them in the database too (a view or trigger that
		// reads something gone): the plan goes on, and says why.
		d.notes = append(d.notes, fmt.Sprintf("the renames could not be tried on a copy of the schema, and the database will likely refuse them too: %v", err))
		return nil
	}
	return rewritten
}

func changesTriggers(t *schema.Table, rewritten map[string]string) bool {
	for _, tr := range t.Triggers {
		if _, ok := rewritten[tr.Name]; ok {
			return true
		}
	}
	return false
}

func (d *differ) view(c *schema.Table) *schema.Table {
	var cols, idx map[string]string
	if p := d.byCur[c.Name]; p != nil {
		cols, idx = p.cols, p.indexes
	}
	// A table no rename reaches is its own view. The planner never writes
	// to the tables it is given, and copying every table twice per diff
	// was a third of the time and memory of planning a large schema.
	if len(cols) == 0 && len(idx) == 0 && !d.renameReaches(c) {
		return c
	}
	v := cloneTable(c)
	if n, ok := d.tables[c.Name]; ok {
		v.Name = n
	}
	for _, col := range v.Columns {
		col.Name = rename(cols, col.Name)
	}
	if v.PrimaryKey != nil {
		renameParts(v.PrimaryKey.Parts, cols)
	}
	for _, i := range v.Indexes {
		i.Name = rename(idx, i.Name)
		renameParts(i.Parts, cols)
	}
	for _, f := range v.ForeignKeys {
		for j := range f.Columns {
			f.Columns[j] = rename(cols, f.Columns[j])
		}
		var refCols map[string]string
		if p := d.byCur[f.RefTable]; p != nil {
			refCols = p.cols
		}
		for j := range f.RefColumns {
			f.RefColumns[j] = rename(refCols, f.RefColumns[j])
		}
		if n, ok := d.tables[f.RefTable]; ok {
			f.RefTable = n
		}
	}
	return v
}

// renameReaches reports whether a table rename, or a column rename of a
// table its foreign keys refer to, changes how t looks after the plan.
func (d *differ) renameReaches(t *schema.Table) bool {
	if _, ok := d.tables[t.Name]; ok {
		return true
	}
	for _, f := range t.ForeignKeys {
		if _, ok := d.tables[f.RefTable]; ok {
			return true
		}
		if p := d.byCur[f.RefTable]; p != nil && len(p.cols) > 0 {
			return true
		}
	}
	return false
}

// plan diffs the matched objects, orders the changes and computes the state
// they lead to and the reverse target.
func (d *differ) plan() *result {
	var top []schema.Change
	ms, schemaAfter := diffSchema(d.cur, d.des)
	if ms != nil {
		top = append(top, ms)
	}
	var renames []schema.Change
	for _, p := range d.pairs {
		if p.cur.Name != p.des.Name {
			renames = append(renames, &schema.RenameTable{From: p.cur.Name, To: p.des.Name})
		}
	}
	top = append(top, renames...)

	after := make(map[*schema.Table]*schema.Table)
	var mods []modification
	if d.facts.pinTypes {
		d.retyped = retypedColumns(d.pairs)
	}
	for _, p := range d.pairs {
		m, a := diffTable(p, d.retyped)
		after[p.des] = a
		if m != nil {
			mods = append(mods, modification{m: m, view: p.view})
		}
	}
	top = append(top, order(d.added, mods, d.dropped, d.facts.inlineCycles)...)

	applied := *schemaAfter
	applied.Tables = nil
	for _, t := range d.des.Tables {
		if a, ok := after[t]; ok {
			applied.Tables = append(applied.Tables, a)
		} else {
			applied.Tables = append(applied.Tables, t)
		}
	}
	applied.Objects = d.cur.Objects
	if len(d.rewritten) > 0 {
		applied.Objects = make([]*schema.Object, len(d.cur.Objects))
		for i, o := range d.cur.Objects {
			applied.Objects[i] = d.rewrite(o)
		}
	}
	return &result{
		changes:       top,
		notes:         d.notes,
		applied:       &schema.Realm{Schemas: []*schema.Schema{&applied}},
		reverseTarget: d.reverseTarget(),
	}
}

// reverseTarget returns a copy of the current schema whose rename hints
// undo the renames of this diff: a table, column or index renamed O → N
// carries renamed_from N under its name O.
func (d *differ) reverseTarget() *schema.Realm {
	s := *d.cur
	s.Tables = make([]*schema.Table, len(d.cur.Tables))
	for i, c := range d.cur.Tables {
		if p := d.byCur[c.Name]; hintFree(c) && (p == nil || p.cur.Name == p.des.Name && len(p.cols) == 0 && len(p.indexes) == 0) {
			s.Tables[i] = c // nothing to clear or turn around (see view)
			continue
		}
		t := cloneTable(c)
		t.RenamedFrom = ""
		for _, col := range t.Columns {
			col.RenamedFrom = ""
		}
		for _, idx := range t.Indexes {
			idx.RenamedFrom = ""
		}
		if p := d.byCur[c.Name]; p != nil {
			if p.cur.Name != p.des.Name {
				t.RenamedFrom = p.des.Name
			}
			for _, col := range t.Columns {
				if n := rename(p.cols, col.Name); n != col.Name {
					col.RenamedFrom = n
				}
			}
			for _, idx := range t.Indexes {
				if n := rename(p.indexes, idx.Name); n != idx.Name {
					idx.RenamedFrom = n
				}
			}
		}
		s.Tables[i] = t
	}
	return &schema.Realm{Schemas: []*schema.Schema{&s}}
}

// hintFree reports whether t, its columns and its indexes carry no
// renamed_from hint.
func hintFree(t *schema.Table) bool {
	if t.RenamedFrom != "" {
		return false
	}
	for _, c := range t.Columns {
		if c.RenamedFrom != "" {
			return false
		}
	}
	for _, i := range t.Indexes {
		if i.RenamedFrom != "" {
			return false
		}
	}
	return true
}

// diffSchema compares schema options. An empty desired charset or collation
// is left to the server and never changes. It returns the change (or nil)
// and the schema options after it.
func diffSchema(cur, des *schema.Schema) (*schema.ModifySchema, *schema.Schema) {
	after := *des
	if after.Charset == "" {
		after.Charset = cur.Charset
	}
	if after.Collate == "" {
		after.Collate = cur.Collate
	}
	var k schema.ChangeKind
	if after.Charset != cur.Charset {
		k |= schema.ChangeCharset
	}
	if after.Collate != cur.Collate {
		k |= schema.ChangeCollate
	}
	if after.Comment != cur.Comment {
		k |= schema.ChangeComment
	}
	if k == 0 {
		return nil, &after
	}
	return &schema.ModifySchema{From: cur, To: &after, Kind: k}, &after
}

// retypedColumns lists the columns whose type changes, by desired table and
// column name.
func retypedColumns(pairs []*pair) map[string]bool {
	out := map[string]bool{}
	for _, p := range pairs {
		for _, c := range p.des.Columns {
			if v, ok := p.view.Column(c.Name); ok && !v.Type.Equal(c.Type) {
				out[p.des.Name+"\x00"+strings.ToLower(c.Name)] = true
			}
		}
	}
	return out
}

// pinned reports whether foreign key f of table must be dropped and added
// again because a column on either end changes type.
func pinned(retyped map[string]bool, table string, f *schema.ForeignKey) bool {
	for _, c := range f.Columns {
		if retyped[table+"\x00"+strings.ToLower(c)] {
			return true
		}
	}
	for _, c := range f.RefColumns {
		if retyped[f.RefTable+"\x00"+strings.ToLower(c)] {
			return true
		}
	}
	return false
}
