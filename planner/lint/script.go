package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Script is one migration file as File lints it: the schema before it
// and the schema after each of its statements, read from a scratch database
// where the statements ran one by one.
type Script struct {
	File   string        // the file's path, as findings name it
	Before *schema.Realm // the schema before the file's first statement
	Steps  []Step
	// Online is set when the file asks to run online (a
	// "-- schemactl:online" header line): its statements are checked
	// against the online path (OL101).
	Online bool
}

// Step is one statement of a Script.
type Step struct {
	Line int // where the statement starts in File
	// Comment is the text of the comment lines right above the statement,
	// without their dashes, lines joined by "\n": a line
	// "schemactl:nolint CODE…" silences the findings of those codes.
	Comment string
	SQL     string        // the statement, as it ran
	After   *schema.Realm // the schema once the statement ran
}

// File lints a migration file. The file's net effect is diffed as a
// whole (Before against the last step), so that a table rebuild (create
// new_t, copy, drop t, rename) reads as the change of t it makes, not as a
// dropped table; renames are recognised statement by statement (a drop and
// an add of the same definition in one statement, or a CHANGE/RENAME
// statement) and become rename hints of that diff. Each finding is then
// placed at the statement that made its change, and dropped when a
// nolint directive above that statement names its code.
func File(s *Script, d Dialect, opts Options) ([]Finding, error) {
	w, final, rebuilt, changes, err := follow(s, d)
	if err != nil {
		return nil, err
	}
	l := linter{d: d, opts: opts}
	if s.Before != nil && len(s.Before.Schemas) == 1 {
		_, l.rewrites = d.(planner.ObjectRenamer)
		// Only the views and triggers the file leaves in place: one it
		// drops or re-creates is the fix BC103 asks for.
		kept := map[string]bool{}
		if final != nil && len(final.Schemas) == 1 {
			for _, r := range readersOf(final.Schemas[0], d) {
				kept[r.o.Kind+"\x00"+r.o.Name] = true
			}
		}
		for _, r := range readersOf(s.Before.Schemas[0], d) {
			if kept[r.o.Kind+"\x00"+r.o.Name] {
				l.readers = append(l.readers, r)
			}
		}
	}
	findings := l.run(changes)
	for _, lin := range rebuilt {
		if slices.ContainsFunc(findings, func(f Finding) bool { return f.Code == CodeTableCopy && f.Table == lin.name }) {
			continue
		}
		if f, ok := l.tableCopyFinding(lin.name, lin.from.origin); ok {
			findings = append(findings, f.Finding)
		}
	}
	var out []Finding
	for _, f := range findings {
		f.File = s.File
		f.Fix = strings.Replace(f.Fix, allowFix, "a -- schemactl:nolint "+f.Code+" line above the statement to go ahead", 1)
		if i, ok := w.place(f); ok && i < len(s.Steps) {
			f.Line = s.Steps[i].Line
			if d, ok := directiveFor(s.Steps[i].Comment, f.Code); ok {
				f.Silenced, f.Reason = true, d.Reason
			}
		}
		out = append(out, f)
	}
	out = append(out, unknownCodes(s)...)
	out = append(out, onlineRefusals(s, d)...)
	slices.SortStableFunc(out, func(a, b Finding) int { return a.Line - b.Line })
	return out, nil
}

// Changes is what the statements of s do, as one diff from Before to the
// last step, renames included: what a reviewer reads a file for, beside
// its findings.
func Changes(s *Script, d Dialect) ([]schema.Change, error) {
	_, _, _, changes, err := follow(s, d)
	return changes, err
}

// follow walks the statements of s and returns the walk, the final schema
// with the renames it saw as hints, the tables rebuilt, and the changes from
// Before to it.
func follow(s *Script, d Dialect) (w *walk, final *schema.Realm, rebuilt []*lineage, changes []schema.Change, err error) {
	w = &walk{cur: map[string]*lineage{}, graveyard: map[string]*lineage{}}
	w.lx, _ = d.(codeLexer)
	w.start(s.Before)
	prev := s.Before
	for i, st := range s.Steps {
		step, err := diff(prev, st.After, d)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s:%d: %w", s.File, st.Line, err)
		}
		w.step(i, st.SQL, step)
		prev = st.After
	}
	final, rebuilt = w.hints(prev)
	changes, err = diff(s.Before, final, d)
	if err != nil {
		// A hint the walk got wrong must not stop the lint: without hints
		// renames read as drops, which errs on the safe side.
		if changes, err = diff(s.Before, prev, d); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: %w", s.File, err)
		}
	}
	return w, final, rebuilt, changes, nil
}

// diff is the difference a file's statements made. A file is read for what
// it did, not planned: the engine facts that shape a plan (keys dropped
// around a retyped column, cycles created inline) would add changes the
// file does not make, so the diff sees d without them.
func diff(current, desired *schema.Realm, d Dialect) ([]schema.Change, error) {
	return planner.Diff(current, desired, factless{d})
}

// factless is a dialect without its optional engine facts: only the methods
// of planner.Dialect are promoted.
type factless struct{ planner.Dialect }

// A nolint directive is a comment line right above a statement:
//
//	-- schemactl:nolint [CODE[,CODE…]] [reason]
//
// The codes are the leading words that have a code's shape (two letters,
// three digits), separated by blanks or commas; the first other word starts
// the reason, so a reason that mentions a code does not silence it. Without
// codes the directive silences every finding of the statement.
type Directive struct {
	Codes  []string // upper case; empty: every code
	Reason string
}

// nolintRE matches a directive line: "schemactl:nolint" and the rest.
var nolintRE = regexp.MustCompile(`^\s*schemactl:nolint(?:\s+(.*?))?\s*$`)

// codeShape is what a word must look like to be read as a code.
var codeShape = regexp.MustCompile(`^[A-Za-z]{2}[0-9]{3}$`)

// ParseDirective reads a nolint directive from one comment line.
func ParseDirective(line string) (Directive, bool) {
	m := nolintRE.FindStringSubmatch(line)
	if m == nil {
		return Directive{}, false
	}
	var d Directive
	rest := m[1]
	for rest != "" {
		word, after, _ := strings.Cut(rest, " ")
		word = strings.TrimSpace(word)
		var codes []string
		for _, c := range strings.Split(word, ",") {
			if c == "" {
				continue
			}
			if !codeShape.MatchString(c) {
				codes = nil
				break
			}
			codes = append(codes, strings.ToUpper(c))
		}
		if len(codes) == 0 && strings.Trim(word, ",") != "" {
			break
		}
		d.Codes = append(d.Codes, codes...)
		rest = strings.TrimLeft(after, " \t,")
	}
	d.Reason = strings.TrimSpace(rest)
	return d, true
}

// Silences reports whether d silences code.
func (d Directive) Silences(code string) bool {
	return len(d.Codes) == 0 || slices.Contains(d.Codes, strings.ToUpper(code))
}

// directiveFor finds, in the comment above a statement, the directive that
// silences code.
func directiveFor(comment, code string) (Directive, bool) {
	for _, line := range strings.Split(comment, "\n") {
		if d, ok := ParseDirective(line); ok && d.Silences(code) {
			return d, true
		}
	}
	return Directive{}, false
}

// OnlineRefuser is implemented by dialects with an online path (MySQL and
// MariaDB, through pt-online-schema-change): OnlineRefusal is why it
// refuses stmt whatever the database holds, from its text alone; "" when
// the text does not refuse it.
type OnlineRefuser interface {
	OnlineRefusal(stmt string) string
}

// onlineRefusals reports, for a file that asks to run online, the
// statements apply would refuse before the migration starts, or the
// whole file on an engine without an online path.
func onlineRefusals(s *Script, d Dialect) []Finding {
	if !s.Online {
		return nil
	}
	o, ok := d.(OnlineRefuser)
	if !ok {
		line := 0
		if len(s.Steps) > 0 {
			line = s.Steps[0].Line
		}
		return []Finding{{Code: CodeOnlineRefused, Severity: SeverityError, File: s.File, Line: line,
			Message: "the file asks to run online (-- schemactl:online), and this engine has no online path: apply refuses it before anything runs",
			Fix:     "remove the -- schemactl:online line (then schemactl hash)"}}
	}
	var out []Finding
	for _, st := range s.Steps {
		why := o.OnlineRefusal(st.SQL)
		if why == "" {
			continue
		}
		// No nolint silences it: apply refuses the file whatever lint says.
		out = append(out, Finding{Code: CodeOnlineRefused, Severity: SeverityError, File: s.File, Line: st.Line,
			Message: "the online path refuses this statement: " + why + "; apply stops before the migration starts",
			Fix:     "move the statement to a migration without -- schemactl:online"})
	}
	return out
}

// unknownCodes reports the directives of s that name a code lint does not
// have.
func unknownCodes(s *Script) []Finding {
	var out []Finding
	for _, st := range s.Steps {
		for _, line := range strings.Split(st.Comment, "\n") {
			d, ok := ParseDirective(line)
			if !ok {
				continue
			}
			for _, c := range d.Codes {
				if !slices.Contains(Codes, c) {
					out = append(out, Finding{Code: CodeUnknownNolint, Severity: SeverityWarning, File: s.File, Line: st.Line,
						Message: fmt.Sprintf("nolint names %s, which is not a lint code: it silences nothing", c),
						Fix:     "correct the code (the README lists them), or remove it"})
				}
			}
		}
	}
	return out
}

// lineage is one table followed through the statements of a file, across
// renames.
type lineage struct {
	name   string          // its name now
	origin string          // its name before the file; "" if the file created it
	names  map[string]bool // every name it had
	// cols maps the lower-case name of each column now to its name before
	// the file ("" for a column the file added).
	cols    map[string]string
	dropped bool
	// from is the table this one replaced under the same name: a rebuild.
	from *lineage
	// copied maps the lower-case name of each column a statement
	// "INSERT INTO this (…) SELECT … FROM copiedFrom" filled to the column
	// of copiedFrom it took its values from: a rebuild that renames a
	// column copies it under its new name.
	copied     map[string]string
	copiedFrom string
}

// touch is something a statement did to a table.
type touch struct {
	step    int
	lin     *lineage
	kind    string          // "add table", "drop column", "add index", "pk", "add fk", "check", "options", …
	objects map[string]bool // lower-case names of the columns, indexes, keys involved
}

type walk struct {
	cur       map[string]*lineage // by current name
	graveyard map[string]*lineage // tables dropped, by the name they had
	all       []*lineage
	touches   []touch
	rebuilt   []*lineage // tables the file rebuilt (see inherit)
	lx        codeLexer  // the dialect's lexer, for copies; nil without one
}

func (w *walk) start(r *schema.Realm) {
	for _, s := range r.Schemas {
		for _, t := range s.Tables {
			lin := w.newLineage(t, t.Name)
			for _, c := range t.Columns {
				lin.cols[strings.ToLower(c.Name)] = c.Name
			}
		}
	}
}

func (w *walk) newLineage(t *schema.Table, origin string) *lineage {
	lin := &lineage{name: t.Name, origin: origin, names: map[string]bool{t.Name: true}, cols: map[string]string{}}
	for _, c := range t.Columns {
		lin.cols[strings.ToLower(c.Name)] = ""
	}
	w.cur[t.Name] = lin
	w.all = append(w.all, lin)
	return lin
}

func (w *walk) touch(step int, lin *lineage, kind string, objects ...string) {
	t := touch{step: step, lin: lin, kind: kind, objects: map[string]bool{}}
	for _, o := range objects {
		t.objects[strings.ToLower(o)] = true
	}
	w.touches = append(w.touches, t)
}

// inherit makes lin, a table the file created that now has the name of one
// the file dropped, which descends from a table before the file, that
// table rebuilt: its rows were copied by column name, or as a copy
// statement said. It is done when the name is taken, so that a table
// rebuilt twice in one file still leads back to the table before it.
func (w *walk) inherit(lin *lineage) {
	old := w.graveyard[lin.name]
	if lin.origin != "" || old == nil || old == lin || old.origin == "" {
		return
	}
	lin.from, lin.origin = old, old.origin
	for k, v := range lin.cols {
		if v != "" {
			continue
		}
		src := k
		if c, ok := lin.copied[k]; ok && strings.EqualFold(lin.copiedFrom, old.name) {
			src = c
		}
		lin.cols[k] = old.cols[src]
	}
	w.rebuilt = append(w.rebuilt, lin)
}

// codeLexer is implemented by dialects whose lexer lint may use to read a
// statement (every dialect has one): reading SQL by hand is not done here.
type codeLexer interface {
	Scanner(src string) *sqltext.Scanner
}

// copies records, for a statement that copies rows column by column into a
// table the file created — INSERT INTO new (a, b) SELECT x, f(y) FROM old,
// the copy of a rebuild as plan writes it and as people write it by hand —
// which column came from which: a target whose source is a bare column
// name takes that column's values (an expression maps nothing).
func (w *walk) copies(sql string) {
	if w.lx == nil {
		return
	}
	var toks []sqltext.Token
	sc := w.lx.Scanner(sql)
	for sc.ScanCode() {
		toks = append(toks, *sc.Token())
	}
	if sc.Err() != nil {
		return
	}
	c := copyReader{toks: toks}
	if !c.word("INSERT") || !c.word("INTO") {
		return
	}
	table, ok := c.name()
	if !ok || !c.op("(") {
		return
	}
	var to []string
	for {
		n, ok := c.name()
		if !ok {
			return
		}
		to = append(to, n)
		if c.op(")") {
			break
		}
		if !c.op(",") {
			return
		}
	}
	if !c.word("SELECT") {
		return
	}
	items, from, ok := c.selectList()
	if !ok || len(items) != len(to) {
		return
	}
	lin := w.cur[table]
	if lin == nil || lin.origin != "" {
		return
	}
	lin.copied, lin.copiedFrom = map[string]string{}, from
	for i, item := range items {
		if item != "" {
			lin.copied[strings.ToLower(to[i])] = strings.ToLower(item)
		}
	}
}

// copyReader reads the tokens of a copy statement.
type copyReader struct {
	toks []sqltext.Token
	i    int
}

func (c *copyReader) peek() *sqltext.Token {
	if c.i < len(c.toks) {
		return &c.toks[c.i]
	}
	return nil
}

func (c *copyReader) word(w string) bool {
	if t := c.peek(); t != nil && t.Kind == sqltext.Word && strings.EqualFold(t.Text, w) {
		c.i++
		return true
	}
	return false
}

func (c *copyReader) op(o string) bool {
	if t := c.peek(); t != nil && t.Kind == sqltext.Op && t.Text == o {
		c.i++
		return true
	}
	return false
}

// name reads a bare or quoted name.
func (c *copyReader) name() (string, bool) {
	t := c.peek()
	switch {
	case t == nil:
		return "", false
	case t.Kind == sqltext.Ident:
		c.i++
		return t.Value, true
	case t.Kind == sqltext.Word:
		c.i++
		return t.Text, true
	}
	return "", false
}

// selectList reads "item, item … FROM table" to the end of the statement:
// each item's column name when it is a bare one, else "".
func (c *copyReader) selectList() (items []string, from string, ok bool) {
	depth, start := 0, c.i
	for ; c.i < len(c.toks); c.i++ {
		t := &c.toks[c.i]
		switch {
		case t.Kind == sqltext.Op && t.Text == "(":
			depth++
		case t.Kind == sqltext.Op && t.Text == ")":
			depth--
		case depth == 0 && t.Kind == sqltext.Op && t.Text == ",":
			items = append(items, bareName(c.toks[start:c.i]))
			start = c.i + 1
		case depth == 0 && t.Kind == sqltext.Word && strings.EqualFold(t.Text, "FROM"):
			items = append(items, bareName(c.toks[start:c.i]))
			c.i++
			from, ok = c.name()
			return items, from, ok && c.i == len(c.toks)
		}
	}
	return nil, "", false
}

func bareName(toks []sqltext.Token) string {
	if len(toks) != 1 {
		return ""
	}
	switch toks[0].Kind {
	case sqltext.Ident:
		return toks[0].Value
	case sqltext.Word:
		return toks[0].Text
	}
	return ""
}

// renameStmt matches statements that rename a column, possibly changing its
// definition too (MySQL CHANGE COLUMN).
var renameStmt = regexp.MustCompile(`(?i)\b(rename|change)\b`)

// step follows the changes of one statement, as an unhinted Diff reports
// them: renames appear as drops and adds.
func (w *walk) step(i int, sql string, changes []schema.Change) {
	w.copies(sql)
	var dropped, added []*schema.Table
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.DropTable:
			dropped = append(dropped, c.T)
		case *schema.AddTable:
			added = append(added, c.T)
		case *schema.ModifyTable:
			w.modify(i, sql, c)
		}
	}
	paired := map[*schema.Table]bool{}
	for _, d := range dropped {
		lin := w.cur[d.Name]
		var to *schema.Table
		for _, a := range added {
			if !paired[a] && sameColumns(d, a) {
				to = a
				break
			}
		}
		if to != nil && lin != nil {
			paired[to] = true
			delete(w.cur, d.Name)
			lin.name, lin.names[to.Name] = to.Name, true
			w.cur[to.Name] = lin
			w.touch(i, lin, "rename table")
			w.inherit(lin)
			continue
		}
		if lin != nil {
			delete(w.cur, d.Name)
			lin.dropped = true
			w.graveyard[d.Name] = lin
			w.touch(i, lin, "drop table")
		}
	}
	for _, a := range added {
		if !paired[a] {
			lin := w.newLineage(a, "")
			w.touch(i, lin, "add table")
			w.inherit(lin)
		}
	}
}

func (w *walk) modify(i int, sql string, m *schema.ModifyTable) {
	lin := w.cur[m.To.Name]
	if lin == nil {
		return
	}
	var drops, adds []*schema.Column
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.DropColumn:
			drops = append(drops, c.C)
		case *schema.AddColumn:
			adds = append(adds, c.C)
		case *schema.ModifyColumn:
			w.touch(i, lin, "modify column", c.To.Name)
		case *schema.AddIndex:
			w.touch(i, lin, "add index", c.I.Name)
		case *schema.DropIndex:
			w.touch(i, lin, "drop index", c.I.Name)
		case *schema.ModifyPrimaryKey:
			w.touch(i, lin, "pk")
		case *schema.AddForeignKey:
			w.touch(i, lin, "add fk", c.F.Name)
		case *schema.DropForeignKey:
			w.touch(i, lin, "drop fk", c.F.Name)
		case *schema.AddCheck, *schema.DropCheck:
			w.touch(i, lin, "check")
		case *schema.ModifyTableOptions:
			w.touch(i, lin, "options")
		}
	}
	used := map[*schema.Column]bool{}
	for _, d := range drops {
		var to *schema.Column
		for _, a := range adds {
			if !used[a] && planner.ColumnChange(d, a) == 0 {
				to = a
				break
			}
		}
		if to == nil && len(drops) == 1 && len(adds) == 1 && renameStmt.MatchString(sql) {
			to = adds[0]
		}
		dk := strings.ToLower(d.Name)
		if to == nil {
			delete(lin.cols, dk)
			w.touch(i, lin, "drop column", d.Name)
			continue
		}
		used[to] = true
		orig := lin.cols[dk]
		delete(lin.cols, dk)
		lin.cols[strings.ToLower(to.Name)] = orig
		w.touch(i, lin, "rename column", d.Name, to.Name)
		if planner.ColumnChange(d, to)&^schema.ChangeComment != 0 {
			w.touch(i, lin, "modify column", to.Name)
		}
	}
	for _, a := range adds {
		if !used[a] {
			lin.cols[strings.ToLower(a.Name)] = ""
			w.touch(i, lin, "add column", a.Name)
		}
	}
}

// hints returns a copy of the final realm with the renames the walk saw as
// renamed_from hints, and the tables the file rebuilt.
func (w *walk) hints(final *schema.Realm) (*schema.Realm, []*lineage) {
	out := &schema.Realm{}
	for _, s := range final.Schemas {
		c := *s
		c.Tables = make([]*schema.Table, len(s.Tables))
		names := map[string]bool{}
		for _, t := range s.Tables {
			names[t.Name] = true
		}
		for i, t := range s.Tables {
			t = withColumnCopies(t)
			c.Tables[i] = t
			lin := w.cur[t.Name]
			if lin == nil {
				continue
			}
			if lin.origin != "" && lin.origin != t.Name && !names[lin.origin] {
				t.RenamedFrom = lin.origin
			}
			for _, col := range t.Columns {
				orig := lin.cols[strings.ToLower(col.Name)]
				if orig == "" || strings.EqualFold(orig, col.Name) {
					continue
				}
				if _, clash := t.Column(orig); !clash {
					col.RenamedFrom = orig
				}
			}
		}
		out.Schemas = append(out.Schemas, &c)
	}
	return out, w.rebuilt
}

// place returns the step a finding belongs to: the first statement that
// touched its object in the way the finding is about; else the first that
// created, dropped or renamed its table (a rebuild starts there); else the
// first that touched its table at all.
func (w *walk) place(f Finding) (int, bool) {
	lins := w.lineagesOf(f)
	if len(lins) == 0 {
		return 0, false
	}
	kind, objects := findingObject(f)
	match := func(t touch) bool { return slices.Contains(lins, t.lin) }
	if kind != "" {
		for _, t := range w.touches {
			if match(t) && t.kind == kind && (len(objects) == 0 || intersects(t.objects, objects)) {
				return t.step, true
			}
		}
	}
	for _, t := range w.touches {
		if match(t) && strings.HasSuffix(t.kind, " table") {
			return t.step, true
		}
	}
	for _, t := range w.touches {
		if match(t) {
			return t.step, true
		}
	}
	return 0, false
}

// lineagesOf returns the lineages a finding is about: the table it names,
// and the table it replaced when it was rebuilt.
func (w *walk) lineagesOf(f Finding) []*lineage {
	var lin *lineage
	switch c := f.Change.(type) {
	case *schema.DropTable:
		for _, l := range w.all {
			if l.origin == c.T.Name && (l.dropped || l.name != c.T.Name) {
				lin = l
				break
			}
		}
	default:
		lin = w.cur[f.Table]
	}
	if lin == nil {
		return nil
	}
	if lin.from != nil {
		return []*lineage{lin, lin.from}
	}
	return []*lineage{lin}
}

// findingObject says which kind of touch made a finding's change, and the
// names involved.
func findingObject(f Finding) (string, []string) {
	switch c := f.Change.(type) {
	case *schema.DropTable:
		return "drop table", nil
	case *schema.RenameTable:
		return "rename table", nil
	case *schema.DropColumn:
		return "drop column", []string{c.C.Name}
	case *schema.AddColumn:
		return "add column", []string{c.C.Name}
	case *schema.ModifyColumn:
		return "modify column", []string{c.From.Name, c.To.Name}
	case *schema.RenameColumn:
		return "rename column", []string{c.From, c.To}
	case *schema.AddIndex:
		return "add index", []string{c.I.Name}
	case *schema.ModifyPrimaryKey:
		return "pk", nil
	case *schema.AddForeignKey:
		return "add fk", []string{c.F.Name}
	}
	return "", nil
}

func intersects(set map[string]bool, names []string) bool {
	for _, n := range names {
		if set[strings.ToLower(n)] {
			return true
		}
	}
	return false
}

// withColumnCopies copies t and its columns, the parts hints sets rename
// hints on; the rest is shared, as the diff never writes to its inputs.
func withColumnCopies(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = make([]*schema.Column, len(t.Columns))
	for i, col := range t.Columns {
		v := *col
		c.Columns[i] = &v
	}
	return &c
}
