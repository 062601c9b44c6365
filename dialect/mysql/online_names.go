package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// restoreNames renames, on each table of objs, the foreign keys and
// indexes whose definition want has under another name that the table
// lacks: what pt-online-schema-change renamed (a leading underscore added
// or removed, a name cut at 64 characters). With foreign_key_checks off
// the server does it in place, without copying or blocking writes.
func (t *OnlineTool) restoreNames(ctx context.Context, conn *sql.Conn, objs []sqltext.Object, want string) (err error) {
	wanted := map[string]string{} // image head → SHOW CREATE text
	for _, l := range strings.Split(want, "\n") {
		head, text, _ := strings.Cut(l, ": ")
		wanted[head+": "] = strings.NewReplacer(`\n`, "\n", `\\`, `\`).Replace(text)
	}
	var current sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&current); err != nil {
		return fmt.Errorf("read current database: %w", err)
	}
	var alters []string
	for _, o := range objs {
		db := o.Schema
		if db == "" {
			db = current.String
		}
		w, ok := wanted[imageHead("table", db, o.Name)]
		if !ok {
			continue
		}
		now, err := objectImage(ctx, conn, db, o)
		if err != nil {
			return err
		}
		if clauses := renames(now, w); len(clauses) > 0 {
			alters = append(alters, fmt.Sprintf("ALTER TABLE %s.%s %s, ALGORITHM=INPLACE, LOCK=NONE",
				quoteIdent(db), quoteIdent(o.Name), strings.Join(clauses, ", ")))
		}
	}
	if len(alters) == 0 {
		return nil
	}
	var fkc int
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.foreign_key_checks").Scan(&fkc); err != nil {
		return fmt.Errorf("read foreign_key_checks: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	defer func() {
		_, rerr := conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION foreign_key_checks = "+strconv.Itoa(fkc))
		err = errors.Join(err, rerr)
	}()
	for _, q := range alters {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// keyLine is a foreign key or index line of SHOW CREATE TABLE: its name,
// and the line without it (its definition).
type keyLine struct {
	fk         bool
	name, def  string
	constraint string // for a foreign key, the line after its name
}

// keyLines reads the foreign key and index lines of a SHOW CREATE TABLE
// text.
func keyLines(text string) []keyLine {
	var out []keyLine
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(strings.TrimSpace(l), ",")
		var prefix string
		fk := false
		switch {
		case strings.HasPrefix(l, "CONSTRAINT `") && strings.Contains(l, " FOREIGN KEY "):
			prefix, fk = "CONSTRAINT ", true
		case strings.HasPrefix(l, "KEY `"):
			prefix = "KEY "
		case strings.HasPrefix(l, "UNIQUE KEY `"):
			prefix = "UNIQUE KEY "
		case strings.HasPrefix(l, "FULLTEXT KEY `"):
			prefix = "FULLTEXT KEY "
		case strings.HasPrefix(l, "SPATIAL KEY `"):
			prefix = "SPATIAL KEY "
		default:
			continue
		}
		name, rest, ok := backtickName(l[len(prefix):])
		if !ok {
			continue
		}
		out = append(out, keyLine{fk: fk, name: name, def: prefix + rest, constraint: strings.TrimSpace(rest)})
	}
	return out
}

// backtickName reads a `quoted` name at the start of s and returns it
// and what follows.
func backtickName(s string) (name, rest string, ok bool) {
	if !strings.HasPrefix(s, "`") {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '`' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '`' {
			b.WriteByte('`')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", "", false
}

// renames are the ALTER TABLE clauses that give the keys of now the names
// want has for the same definitions.
func renames(now, want string) []string {
	have, wants := keyLines(now), keyLines(want)
	haveNames := map[string]bool{}
	for _, k := range have {
		haveNames[kindName(k)] = true
	}
	wantNames := map[string]bool{}
	for _, k := range wants {
		wantNames[kindName(k)] = true
	}
	used := map[int]bool{}
	var fks, idx []string
	for _, h := range have {
		if wantNames[kindName(h)] {
			continue
		}
		for j, w := range wants {
			if used[j] || w.fk != h.fk || w.def != h.def || haveNames[kindName(w)] {
				continue
			}
			used[j] = true
			if h.fk {
				fks = append(fks, fmt.Sprintf("DROP FOREIGN KEY %s, ADD CONSTRAINT %s %s", quoteIdent(h.name), quoteIdent(w.name), w.constraint))
			} else {
				idx = append(idx, fmt.Sprintf("RENAME INDEX %s TO %s", quoteIdent(h.name), quoteIdent(w.name)))
			}
			break
		}
	}
	return append(fks, idx...)
}

func kindName(k keyLine) string {
	if k.fk {
		return "fk " + strings.ToLower(k.name)
	}
	return "key " + strings.ToLower(k.name)
}

// clean removes what the tool leaves when it is killed: its triggers on
// the table and its altered copy (which holds no row that is not also in
// the table: the triggers copied every write). The table as it was
// before a swap is dropOld's. It returns what it removed.
func (t *OnlineTool) clean(ctx context.Context, conn *sql.Conn, a *onlineAlter) ([]string, error) {
	var out []string
	rows, err := conn.QueryContext(ctx, `SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
		WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME LIKE 'pt\_osc\_%' ORDER BY 1`, a.db, a.table)
	if err != nil {
		return nil, fmt.Errorf("read the tool's triggers on %s: %w", quoteIdent(a.table), err)
	}
	var triggers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		triggers = append(triggers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range triggers {
		if _, err := conn.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+quoteIdent(a.db)+"."+quoteIdent(n)); err != nil {
			return out, fmt.Errorf("drop the tool's trigger %s: %w", quoteIdent(n), err)
		}
		out = append(out, "removed trigger "+quoteIdent(n))
	}
	// Without the triggers, the copy stops receiving writes: it is dropped
	// only once they are gone.
	n := copyName(a.table)
	found, err := tableExists(ctx, conn, a.db, n)
	if err != nil || !found {
		return out, err
	}
	if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(a.db)+"."+quoteIdent(n)); err != nil {
		return out, fmt.Errorf("drop the tool's copy %s: %w", quoteIdent(n), err)
	}
	out = append(out, "removed the tool's unfinished copy "+quoteIdent(n))
	return out, nil
}

// OnlineResolution is what ResolveOnline decided about a statement in
// doubt that ran through the tool. It is an alias of a struct literal
// that the executor spells the same way.
type OnlineResolution = struct {
	// Known is set when the catalog tells; TookEffect is then the answer.
	Known, TookEffect bool
	// Why says how it was decided, or why it cannot be.
	Why string
	// Cleaned says what the tool had left, and was removed or found.
	Cleaned []string
}

// OnlineImage is the pre-image (see PreImage) of what an online run of
// stmt changes: the table and the tables whose foreign keys refer to it.
func (t *OnlineTool) OnlineImage(ctx context.Context, conn *sql.Conn, stmt string) (string, error) {
	a, ok, err := t.parseOnline(ctx, conn, stmt)
	if err != nil || !ok {
		return "", fmt.Errorf("online change: %q is not an ALTER TABLE the tool runs", stmt)
	}
	objs, err := t.related(ctx, conn, a)
	if err != nil {
		return "", err
	}
	return t.d.PreImage(ctx, conn, objs)
}

// ResolveOnline decides, under the migration lock, whether stmt took
// effect when a run died while the tool ran it; pre is OnlineImage's
// text from before it started. It first removes the tool's triggers and
// copy and puts back the key names the tool changed, then compares the
// catalog with pre and with what the plain statement makes of it.
func (t *OnlineTool) ResolveOnline(ctx context.Context, conn *sql.Conn, stmt, pre string) (OnlineResolution, error) {
	var res OnlineResolution
	a, ok, err := t.parseOnline(ctx, conn, stmt)
	if err != nil || !ok {
		res.Why = "the statement is not one the online path runs"
		return res, nil
	}
	if res.Cleaned, err = t.clean(ctx, conn, a); err != nil {
		return res, err
	}
	objs, err := t.related(ctx, conn, a)
	if err != nil {
		return res, err
	}
	now, err := t.d.PreImage(ctx, conn, objs)
	if err != nil {
		return res, err
	}
	if now == pre {
		res.Known, res.Why = true, "the tables are as they were before it"
		return res, nil
	}
	want, err := t.expected(ctx, conn, a, stmt, pre)
	if err != nil {
		var oe *OnlineError
		if errors.As(err, &oe) {
			res.Why = oe.Why
			return res, nil
		}
		return res, err
	}
	// The tool swapped the tables; the table as it was may still wait for
	// the check of what the copy made of its rows.
	old := oldName(a.table)
	found, err := tableExists(ctx, conn, a.db, old)
	if err != nil {
		return res, err
	}
	if found {
		if err := t.dropOld(ctx, conn, a, stmt); err != nil {
			res.Why = err.Error()
			return res, nil
		}
		res.Cleaned = append(res.Cleaned, "checked the copy against the table as it was, "+quoteIdent(old)+", and dropped it")
	}
	if err := t.restoreNames(ctx, conn, objs, want); err != nil {
		return res, fmt.Errorf("put back the names the tool changed: %w", err)
	}
	if now, err = t.d.PreImage(ctx, conn, objs); err != nil {
		return res, err
	}
	if now == want {
		res.Known, res.TookEffect, res.Why = true, true, "the tables show exactly its effect"
		return res, nil
	}
	res.Why = "the tables are neither as they were before it nor as it would have left them:\n\tbefore:   " +
		strings.ReplaceAll(pre, "\n", "\n\t          ") + "\n\tnow:      " + strings.ReplaceAll(now, "\n", "\n\t          ") +
		"\n\texpected: " + strings.ReplaceAll(want, "\n", "\n\t          ")
	return res, nil
}
