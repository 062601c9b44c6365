package mysql

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// modifyTable renders a ModifyTable as one ALTER TABLE whose clauses are
// joined by commas, in the order of the changes. The server applies the
// clauses of one statement together, which has consequences:
//
//   - clauses name columns by their old names, so a column that is renamed
//     and changed is one CHANGE COLUMN old new <definition>;
//   - a foreign key or check cannot be dropped and added under the same
//     name in one statement, so those drops go first, in a statement of
//     their own;
//   - plain column renames go first, in a statement of their own (see
//     alter.renames), so later clauses name columns by their new names;
//   - when the table's default charset changes, the character columns that
//     inherit it are modified in the same statement to name the new one,
//     since a table's default applies only to columns created later.
func (d *Dialect) modifyTable(m *schema.ModifyTable) ([]string, error) {
	t := m.To
	a := &alter{d: d, t: t, from: m.From, readded: readded(m.Changes), addedIdx: map[string]bool{}, addedCk: map[string]bool{}, early: map[string]string{}}
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.AddIndex:
			a.addedIdx[strings.ToLower(c.I.Name)] = true
		case *schema.AddCheck:
			a.addedCk[strings.ToLower(c.C.Name)] = true
		}
	}
	explicit := false
	for _, c := range m.Changes {
		if o, ok := c.(*schema.ModifyTableOptions); ok && (o.Kind.Is(schema.ChangeCharset) || o.Kind.Is(schema.ChangeCollate)) {
			explicit = true
		}
	}
	a.explicit = explicit
	changed := map[string]*schema.ModifyColumn{}
	for _, c := range m.Changes {
		if mc, ok := c.(*schema.ModifyColumn); ok {
			changed[strings.ToLower(mc.To.Name)] = mc
		}
	}
	done := map[*schema.ModifyColumn]bool{}
	for _, c := range m.Changes {
		if err := a.change(c, changed, done); err != nil {
			return nil, fmt.Errorf("table %q: %w", t.Name, err)
		}
	}
	if explicit {
		if err := a.inheritingColumns(m.Changes); err != nil {
			return nil, fmt.Errorf("table %q: %w", t.Name, err)
		}
	}
	if !slices.ContainsFunc(slices.Concat(a.first, a.clauses), func(c string) bool { return !strings.HasPrefix(c, "RENAME INDEX ") }) {
		// Renames of indexes run in place as well: one statement.
		a.clauses = append(a.renames, a.clauses...)
		a.renames = nil
	}
	var stmts []string
	for i, clauses := range [][]string{a.renames, a.first, a.clauses} {
		if i == 1 {
			stmts = append(stmts, d.fillNulls(t, m.Changes)...)
			stmts = append(stmts, a.before...)
		}
		if len(clauses) == 0 {
			continue
		}
		sep := " "
		if len(clauses) > 1 {
			sep = "\n  "
		}
		stmts = append(stmts, "ALTER TABLE "+quoteIdent(t.Name)+sep+strings.Join(clauses, ","+sep))
	}
	return stmts, nil
}

// fillNulls returns, for every column that becomes NOT NULL and has a
// default, an UPDATE that gives its NULLs the default first: the server
// would refuse the MODIFY ("Data truncated") instead of filling them, and
// SQLite's rebuild fills them too (IFNULL), so the same HCL means the same
// on both engines. The column still has its old name here: a column that
// is renamed and changed is renamed by the CHANGE COLUMN that follows.
func (d *Dialect) fillNulls(t *schema.Table, changes []schema.Change) []string {
	var stmts []string
	for _, c := range changes {
		mc, ok := c.(*schema.ModifyColumn)
		if !ok || !d.FillsNulls(mc.From, mc.To) {
			continue
		}
		col := quoteIdent(mc.From.Name)
		stmts = append(stmts, fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL",
			quoteIdent(t.Name), col, d.defaultSQL(mc.To.Default, mc.To.Type), col))
	}
	return stmts
}

// FillsNulls reports whether making a column NOT NULL fills its NULLs with
// the new default (see fillNulls) instead of failing on them; lint then
// does not warn (MF104).
func (*Dialect) FillsNulls(from, to *schema.Column) bool {
	// A generated column cannot be written: one that becomes plain is
	// filled by materialize.
	return from != nil && to != nil && from.Null && !to.Null && to.Default != nil && to.Generated == nil && from.Generated == nil
}

// alter collects the clauses of one ALTER TABLE.
type alter struct {
	d        *Dialect
	t        *schema.Table
	from     *schema.Table // the table before the change, names before renames
	explicit bool          // name the charset of character columns
	readded  map[string]bool
	addedIdx map[string]bool   // lower-case names of indexes the change adds
	addedCk  map[string]bool   // lower-case names of checks the change adds
	early    map[string]string // lower-case old → new name of the columns renamed in a.renames
	// renames are plain column renames, run in a statement of their own
	// before the others unless those only rename indexes: a clause that
	// makes the server copy the table
	// (a new foreign key or check, a dropped column) cannot go with the
	// rename of a column of a foreign key ("ALGORITHM=COPY is not
	// supported. Reason: Columns participating in a foreign key are
	// renamed"), while a rename alone runs in place.
	renames []string
	// before are whole statements that run before the ALTER of the other
	// clauses (see materialize).
	before  []string
	first   []string // drops that must run before their re-adds
	clauses []string
}

// readded returns the names (kind:name) of foreign keys and checks that
// are dropped and added in the same change.
func readded(changes []schema.Change) map[string]bool {
	dropped, both := map[string]bool{}, map[string]bool{}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.DropForeignKey:
			dropped["fk:"+c.F.Name] = true
		case *schema.DropCheck:
			dropped["ck:"+c.C.Name] = true
		}
	}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddForeignKey:
			if dropped["fk:"+c.F.Name] {
				both["fk:"+c.F.Name] = true
			}
		case *schema.AddCheck:
			if c.C.Name != "" && dropped["ck:"+c.C.Name] {
				both["ck:"+c.C.Name] = true
			}
		}
	}
	return both
}

func (a *alter) add(clause string) { a.clauses = append(a.clauses, clause) }

func (a *alter) change(c schema.Change, changed map[string]*schema.ModifyColumn, done map[*schema.ModifyColumn]bool) error {
	d, t := a.d, a.t
	switch c := c.(type) {
	case *schema.RenameColumn:
		return a.renameColumn(c, changed, done)
	case *schema.RenameIndex:
		return a.renameIndex(c)
	case *schema.DropForeignKey:
		clause := "DROP FOREIGN KEY " + quoteIdent(c.F.Name)
		if a.readded["fk:"+c.F.Name] {
			a.first = append(a.first, clause)
		} else {
			a.add(clause)
		}
	case *schema.DropCheck:
		clause := d.Flavor.DropCheckClause() + " " + quoteIdent(c.C.Name)
		if a.readded["ck:"+c.C.Name] {
			a.first = append(a.first, clause)
		} else {
			a.add(clause)
		}
	case *schema.DropIndex:
		a.add("DROP INDEX " + quoteIdent(c.I.Name))
	case *schema.DropColumn:
		a.add("DROP COLUMN " + quoteIdent(c.C.Name))
	case *schema.ModifyColumn:
		if done[c] {
			return nil
		}
		def, err := d.columnDef(t, c.To, a.explicit)
		if err != nil {
			return err
		}
		if regenerates(c) {
			return a.replaceColumn(c.To, def)
		}
		if materializes(c) {
			return a.materialize(c, def)
		}
		a.add("MODIFY COLUMN " + def)
	case *schema.AddColumn:
		def, err := d.columnDef(t, c.C, a.explicit)
		if err != nil {
			return err
		}
		a.add("ADD COLUMN " + def)
	case *schema.ModifyPrimaryKey:
		if c.From != nil {
			a.add("DROP PRIMARY KEY")
		}
		if c.To != nil {
			def, err := d.keyDef(t, c.To, true)
			if err != nil {
				return err
			}
			a.add("ADD " + def)
		}
	case *schema.AddIndex:
		def, err := d.keyDef(t, c.I, false)
		if err != nil {
			return err
		}
		a.add("ADD " + def)
	case *schema.AddCheck:
		a.add("ADD " + d.checkDef(c.C))
	case *schema.AddForeignKey:
		a.add("ADD " + d.foreignKeyDef(c.F))
	case *schema.ModifyTableOptions:
		for _, o := range d.tableOptions(c.From, c.To, c.Kind) {
			a.add(o)
		}
	default:
		return fmt.Errorf("unsupported table change %T", c)
	}
	return nil
}

// renameColumn renames a column in place, or with CHANGE COLUMN and the
// new definition when the column also changes or the server has no RENAME
// COLUMN.
func (a *alter) renameColumn(c *schema.RenameColumn, changed map[string]*schema.ModifyColumn, done map[*schema.ModifyColumn]bool) error {
	col, ok := a.t.Column(c.To)
	if !ok {
		return fmt.Errorf("renamed column %q is not in the table", c.To)
	}
	mc := changed[strings.ToLower(c.To)]
	if mc != nil && (materializes(mc) || regenerates(mc)) {
		// The server cannot CHANGE such a column into its new definition:
		// it is renamed first, as it is (a server without RENAME COLUMN
		// takes a CHANGE to the same definition), then rebuilt under its
		// new name by the ModifyColumn.
		rename := fmt.Sprintf("RENAME COLUMN %s TO %s", quoteIdent(c.From), quoteIdent(c.To))
		if !a.d.Flavor.RenameColumn() {
			same := *mc.From
			same.Name = c.To
			def, err := a.d.columnDef(a.t, &same, a.explicit)
			if err != nil {
				return err
			}
			rename = "CHANGE COLUMN " + quoteIdent(c.From) + " " + def
		}
		a.renames = append(a.renames, rename)
		a.early[strings.ToLower(c.From)] = c.To
		return nil
	}
	if mc != nil {
		done[mc] = true
	} else if a.d.Flavor.RenameColumn() {
		a.renames = append(a.renames, fmt.Sprintf("RENAME COLUMN %s TO %s", quoteIdent(c.From), quoteIdent(c.To)))
		a.early[strings.ToLower(c.From)] = c.To
		return nil
	}
	def, err := a.d.columnDef(a.t, col, a.explicit)
	if err != nil {
		return err
	}
	a.add("CHANGE COLUMN " + quoteIdent(c.From) + " " + def)
	return nil
}

// renameIndex renames an index, or drops and adds it on servers without
// RENAME INDEX.
func (a *alter) renameIndex(c *schema.RenameIndex) error {
	if a.d.Flavor.RenameIndex() {
		a.add(fmt.Sprintf("RENAME INDEX %s TO %s", quoteIdent(c.From), quoteIdent(c.To)))
		return nil
	}
	idx, ok := a.t.Index(c.To)
	if !ok {
		return fmt.Errorf("renamed index %q is not in the table", c.To)
	}
	def, err := a.d.keyDef(a.t, idx, false)
	if err != nil {
		return err
	}
	a.add("DROP INDEX " + quoteIdent(c.From))
	a.add("ADD " + def)
	return nil
}

// inheritingColumns modifies the character columns that inherit the
// table's charset and that no other clause defines, so that they follow
// the table's new default.
func (a *alter) inheritingColumns(changes []schema.Change) error {
	defined := map[string]bool{}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.ModifyColumn:
			defined[strings.ToLower(c.To.Name)] = true
		case *schema.AddColumn:
			defined[strings.ToLower(c.C.Name)] = true
		case *schema.RenameColumn:
			defined[strings.ToLower(c.To)] = true
		}
	}
	for _, col := range a.t.Columns {
		cl := classOf(col.Type)
		if defined[strings.ToLower(col.Name)] || col.Charset != "" || col.Collate != "" || col.Generated != nil ||
			!hasCharset(cl) {
			continue
		}
		def, err := a.d.columnDef(a.t, col, true)
		if err != nil {
			return err
		}
		a.add("MODIFY COLUMN " + def)
	}
	return nil
}

// regenerates reports whether a column change is one the server refuses to
// MODIFY (error 1907): a generated column switching between VIRTUAL and
// STORED, or a plain column becoming VIRTUAL. The column is then dropped and
// added again in place; its values are computed, so nothing is lost.
func regenerates(c *schema.ModifyColumn) bool {
	from, to := c.From.Generated, c.To.Generated
	switch {
	case from != nil && to != nil:
		return from.Stored != to.Stored
	case from == nil && to != nil:
		return !to.Stored
	}
	return false
}

// materializes reports whether a VIRTUAL generated column becomes a plain
// one. The server refuses the MODIFY (error 1907), and the values, computed
// until now, must stay.
func materializes(c *schema.ModifyColumn) bool {
	return c.From.Generated != nil && !c.From.Generated.Stored && c.To.Generated == nil
}

// materialize turns a VIRTUAL column into a plain one with its values: a
// plain column is added beside it under a temporary name and filled from
// it, then the ALTER drops the generated column (and the indexes and checks
// over it, added again after) and gives the new one its name and place.
// The UPDATE writes every row: ON UPDATE columns are set to themselves so
// that their timestamps stay, but the table's UPDATE triggers fire.
func (a *alter) materialize(c *schema.ModifyColumn, def string) error {
	tmp := *c.To
	tmp.Name = temporaryName(c.To.Name)
	tmpDef, err := a.d.columnDef(a.t, &tmp, a.explicit)
	if err != nil {
		return err
	}
	table, col, tcol := quoteIdent(a.t.Name), quoteIdent(c.To.Name), quoteIdent(tmp.Name)
	value := col
	if !c.To.Null && c.To.Default != nil {
		value = fmt.Sprintf("COALESCE(%s, %s)", col, a.d.defaultSQL(c.To.Default, c.To.Type))
	}
	// The columns that have ON UPDATE when the UPDATE runs: those of the
	// table before the change, by their names after the renames that ran.
	set := []string{tcol + " = " + value}
	for _, o := range a.from.Columns {
		name := o.Name
		if n, ok := a.early[strings.ToLower(name)]; ok {
			name = n
		}
		if o.OnUpdate != "" && o.Generated == nil && !strings.EqualFold(name, c.To.Name) {
			set = append(set, quoteIdent(name)+" = "+quoteIdent(name))
		}
	}
	a.before = append(a.before,
		fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s AFTER %s", table, tmpDef, col),
		fmt.Sprintf("UPDATE %s SET %s", table, strings.Join(set, ", ")))
	keep := a.dropIndexesOver(c.To)
	checks := a.dropChecksOver(c.To)
	a.add("DROP COLUMN " + col)
	a.add("CHANGE COLUMN " + tcol + " " + def)
	for _, k := range checks {
		a.add("ADD " + a.d.checkDef(k))
	}
	return a.addIndexes(keep)
}

// temporaryName names the temporary column of materialize: one no schema
// is expected to use, within MySQL's 64 characters.
func temporaryName(column string) string {
	name := "_schemactl_tmp_" + column
	if len(name) > 64 {
		sum := sha256.Sum256([]byte(column))
		name = "_schemactl_tmp_" + hex.EncodeToString(sum[:8])
	}
	return name
}

// dropChecksOver drops the checks that read column c and that the change
// keeps, and returns them to be added again once c is back: the server
// refuses to drop a column a check reads.
func (a *alter) dropChecksOver(c *schema.Column) []*schema.Check {
	var keep []*schema.Check
	for _, k := range a.t.Checks {
		if a.addedCk[strings.ToLower(k.Name)] || !exprReads(k.Expr, c.Name) {
			continue
		}
		keep = append(keep, k)
		if a.d.Flavor.MariaDB && strings.EqualFold(k.Name, c.Name) {
			// A check written on MariaDB's column definition is named
			// after the column and cannot be dropped by that name (error
			// 1091; IF EXISTS makes that a note): it goes with the
			// column. A table check of that name is dropped. Either way
			// it comes back as a table check of the same name and meaning.
			// DROP CONSTRAINT also drops a key or foreign key of that
			// name, so then the check is left to go with the column.
			if !a.namesKey(k.Name) {
				a.add("DROP CONSTRAINT IF EXISTS " + quoteIdent(k.Name))
			}
			continue
		}
		a.add(a.d.Flavor.DropCheckClause() + " " + quoteIdent(k.Name))
	}
	return keep
}

// namesKey reports whether an index or foreign key of the table before the
// change is called name.
func (a *alter) namesKey(name string) bool {
	for _, i := range a.from.Indexes {
		if strings.EqualFold(i.Name, name) {
			return true
		}
	}
	for _, f := range a.from.ForeignKeys {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// exprReads reports whether a MySQL expression names the column; when the
// expression does not lex, it says yes.
func exprReads(expr, column string) bool {
	toks, err := lex(expr)
	if err != nil {
		return true
	}
	for _, t := range toks {
		if (t.kind == tokWord || t.kind == tokIdent) && strings.EqualFold(t.val, column) {
			return true
		}
	}
	return false
}

// dropIndexesOver drops the indexes over column c that the change keeps,
// and returns them to be added again once c is back.
func (a *alter) dropIndexesOver(c *schema.Column) []*schema.Index {
	var keep []*schema.Index
	for _, i := range a.t.Indexes {
		if !a.addedIdx[strings.ToLower(i.Name)] && slices.ContainsFunc(i.Parts, func(p schema.IndexPart) bool { return strings.EqualFold(p.Column, c.Name) }) {
			keep = append(keep, i)
			a.add("DROP INDEX " + quoteIdent(i.Name))
		}
	}
	return keep
}

func (a *alter) addIndexes(is []*schema.Index) error {
	for _, i := range is {
		kd, err := a.d.keyDef(a.t, i, false)
		if err != nil {
			return err
		}
		a.add("ADD " + kd)
	}
	return nil
}

// replaceColumn drops column c and adds it again with definition def at the
// same position, in one statement. The indexes and checks over it that the
// change keeps are dropped and added again with it: the server would
// refuse to add an index under a name the dropped column's index still
// holds, and would drop a check over the column alone with it.
func (a *alter) replaceColumn(c *schema.Column, def string) error {
	keep := a.dropIndexesOver(c)
	checks := a.dropChecksOver(c)
	a.add("DROP COLUMN " + quoteIdent(c.Name))
	pos := " FIRST"
	if at := slices.IndexFunc(a.t.Columns, func(x *schema.Column) bool { return x == c }); at > 0 {
		pos = " AFTER " + quoteIdent(a.t.Columns[at-1].Name)
	}
	a.add("ADD COLUMN " + def + pos)
	for _, k := range checks {
		a.add("ADD " + a.d.checkDef(k))
	}
	return a.addIndexes(keep)
}
