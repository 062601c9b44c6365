package executor

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// An applied migration is pinned to the statements that ran: the history row
// of its latest successful up run (not reverted since) keeps a hash of each
// executable statement of both sections, and apply, downgrade and status
// compare them with the file the directory has under that version now. The
// file's checksum alone would stop every environment for a comment fix; a
// renumbered file (a branch merge) or a re-hashed edit would pass the sum
// file, which only says the directory is as it was last hashed.

// Accept is the history direction of a row that records, after review, the
// statements of an applied migration's file as the ones it is pinned to
// (apply --accept-edited). It runs nothing.
const Accept Direction = "accept"

// ErrEdited is wrapped by every *EditedError.
var ErrEdited = errors.New("an applied migration differs from its file")

// pinHash identifies a statement by its tokens, as lx reads them: blanks
// and comments do not count, except the comments the server runs (MySQL's
// /*! … */). Without a lexer, or for text it cannot read, it is the hash of
// the text. 64 bits are plenty to notice an edit.
func pinHash(sql string, lx Lexer) string {
	canon := sql
	if lx != nil {
		var b strings.Builder
		sc := lx.Scanner(sql)
		for sc.Scan() {
			t := sc.Token()
			switch t.Kind {
			case sqltext.Space, sqltext.Newline, sqltext.Comment:
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Text)
		}
		if sc.Err() == nil {
			canon = b.String()
		}
	}
	sum := sha256.Sum256([]byte(strings.ReplaceAll(canon, "\r\n", "\n")))
	return hex.EncodeToString(sum[:8])
}

// pins is what a migration is pinned to: the hashes of its statements,
// section by section. It is stored as text, "up H H …; down H …", with
// "irreversible" for a file without a down section.
type pins struct {
	up, down     []string
	irreversible bool
}

func pinsOf(m *Migration, lx Lexer) pins {
	p := pins{irreversible: m.Irreversible}
	for _, s := range m.Up {
		p.up = append(p.up, pinHash(s.SQL, lx))
	}
	for _, s := range m.Down {
		p.down = append(p.down, pinHash(s.SQL, lx))
	}
	return p
}

func (p pins) String() string {
	var b strings.Builder
	b.WriteString("up")
	for _, h := range p.up {
		b.WriteString(" " + h)
	}
	if p.irreversible {
		b.WriteString("; irreversible")
		return b.String()
	}
	b.WriteString("; down")
	for _, h := range p.down {
		b.WriteString(" " + h)
	}
	return b.String()
}

// parsePins reads what String wrote; ok is false for anything else.
func parsePins(s string) (p pins, ok bool) {
	upPart, downPart, found := strings.Cut(s, "; ")
	if !found {
		return pins{}, false
	}
	up := strings.Fields(upPart)
	if len(up) == 0 || up[0] != "up" {
		return pins{}, false
	}
	p.up = up[1:]
	down := strings.Fields(downPart)
	switch {
	case len(down) == 1 && down[0] == "irreversible":
		p.irreversible = true
	case len(down) >= 1 && down[0] == "down":
		p.down = down[1:]
	default:
		return pins{}, false
	}
	return p, true
}

// Edit is one applied migration whose file differs from what ran.
type Edit struct {
	Version string
	File    string // the directory's file for Version now
	// Applied is the history row the version is pinned to: its latest
	// successful up run, or the latest acceptance since.
	Applied Record
	// What says what differs: "up statement 2 of 3", "the down section", ….
	What string
	// MovedTo is another file of the directory whose statements are the
	// ones applied as Version (a renumbering after a branch merge); "" when
	// none is.
	MovedTo string
}

func (d *Edit) String() string {
	s := fmt.Sprintf("%s: %s differs from what this database applied as %s on %s",
		d.File, d.What, d.Version, d.Applied.FinishedAt.Format("2006-01-02 15:04:05"))
	if d.MovedTo != "" {
		s += fmt.Sprintf("; the statements applied as %s are those of %s now: the directory was renumbered after this database applied them", d.Version, d.MovedTo)
	}
	return s
}

// EditedError refuses a run on a database whose applied migrations are not
// the directory's files any more: the directory no longer describes the
// database, and running on would skip a migration or revert with
// statements that never ran forward.
type EditedError struct {
	Edits []*Edit
	Dir   string // the directory's path, "" for one that is not on disk
}

func (e *EditedError) Error() string {
	var b strings.Builder
	for i, d := range e.Edits {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.String())
	}
	versions := make([]string, len(e.Edits))
	for i, d := range e.Edits {
		versions[i] = "--accept-edited " + d.Version
	}
	restore := "restore the applied file"
	if e.Dir != "" {
		restore += fmt.Sprintf(" (git log -p -- %s)", filepath.ToSlash(filepath.Join(e.Dir, e.Edits[0].File)))
	}
	fmt.Fprintf(&b, ": %s, or, after a review shows the database is what the directory's file gives, run again with %s",
		restore, strings.Join(versions, " "))
	return b.String()
}

// Is makes errors.Is(err, ErrEdited) true.
func (e *EditedError) Is(target error) bool { return target == ErrEdited }

// pinState is what the history pins the applied versions to.
type pinState struct {
	ref map[string]*Record // version → its reference row
}

// readPins finds each version's reference row in rs (oldest first): the
// latest successful up run, or acceptance after it, not reverted since.
// Stamps pin nothing: a version a stamp passed over has no row.
func readPins(rs []Record) pinState {
	st := pinState{ref: map[string]*Record{}}
	for i := range rs {
		r := &rs[i]
		if !r.Succeeded() {
			continue
		}
		switch r.Direction {
		case Up:
			st.ref[r.Version] = r
		case Accept:
			if _, ok := st.ref[r.Version]; ok {
				st.ref[r.Version] = r
			}
		case Down:
			delete(st.ref, r.Version)
		}
	}
	return st
}

// check compares the applied migrations with their reference rows and
// returns those that differ, and the versions no row pins (a stamp passed
// them, or they ran before the history was kept).
func (st pinState) check(c chain, applied []*Migration, lx Lexer) (edits []*Edit, notPinned []string) {
	for _, m := range applied {
		r, ok := st.ref[m.Version]
		if !ok {
			notPinned = append(notPinned, m.Version)
			continue
		}
		if r.Checksum == m.Checksum {
			continue
		}
		what, applied := differs(r, m, lx)
		if what == "" {
			continue
		}
		d := &Edit{Version: m.Version, File: m.File, Applied: *r, What: what}
		d.MovedTo = movedTo(c, m, applied, lx)
		edits = append(edits, d)
	}
	return edits, notPinned
}

// differs says what of m differs from what r records ("" when the
// statements are the same and only comments or blanks changed), and
// returns the up hashes r records, to look for the file they moved to.
// Rows of an older format have the raw hashes of the up statements that
// ran (MySQL), or nothing but the file's checksum (SQLite).
func differs(r *Record, m *Migration, lx Lexer) (what string, applied []string) {
	if p, ok := parsePins(r.Pins); ok {
		now := pinsOf(m, lx)
		if w := sectionDiffers("up", p.up, now.up); w != "" {
			return w, p.up
		}
		switch {
		case p.irreversible && !now.irreversible:
			return "the down section (added since)", p.up
		case !p.irreversible && now.irreversible:
			return "the down section (removed since)", p.up
		}
		return sectionDiffers("down", p.down, now.down), p.up
	}
	if len(r.StatementHashes) > 0 {
		now := make([]string, len(m.Up))
		for i, s := range m.Up {
			now[i] = stmtHash(s.SQL)
		}
		if w := sectionDiffers("up", r.StatementHashes, now); w != "" {
			return w, nil
		}
		return "", nil
	}
	return "the file (applied before schemactl pinned statements, so only its checksum is known)", nil
}

// sectionDiffers says how the hashes now of a section differ from those
// applied; "" when they are the same.
func sectionDiffers(section string, applied, now []string) string {
	for i := range min(len(applied), len(now)) {
		if applied[i] != now[i] {
			return fmt.Sprintf("%s statement %d of %d", section, i+1, len(now))
		}
	}
	if len(applied) != len(now) {
		return fmt.Sprintf("the %s section (%d statements, %d applied)", section, len(now), len(applied))
	}
	return ""
}

// movedTo finds another migration of c whose up statements are applied.
func movedTo(c chain, m *Migration, applied []string, lx Lexer) string {
	if len(applied) == 0 {
		return ""
	}
	for _, o := range c {
		if o == m || len(o.Up) != len(applied) {
			continue
		}
		if sectionDiffers("up", applied, pinsOf(o, lx).up) == "" {
			return o.File
		}
	}
	return ""
}

// readPins reads the history on conn, in the tables' format f, for what the
// applied versions are pinned to; none without a history table.
func (e *Executor) readPins(ctx context.Context, conn *sql.Conn, f int) (pinState, error) {
	ok, err := e.tableExists(ctx, conn, e.historyTable())
	if err != nil || !ok {
		return readPins(nil), err
	}
	rs, err := e.records(ctx, conn, f, false)
	if err != nil {
		return pinState{}, err
	}
	return readPins(rs), nil
}

// checkPins compares the migrations applied below position p of c with
// what ran, and sorts the edits into those e.AcceptEdited accepts and an
// *EditedError for the rest.
func (e *Executor) checkPins(c chain, p int, st pinState) (accepted []*Edit, err error) {
	accept := map[string]bool{}
	for _, v := range e.AcceptEdited {
		m := c.find(v)
		if m == nil {
			if q, rerr := c.resolve(v, p, Stamp); rerr == nil && q > 0 {
				m = c[q-1]
			}
		}
		if m == nil {
			return nil, fmt.Errorf("accept edited %q: no such migration in %s", v, e.Dir)
		}
		accept[m.Version] = true
	}
	edits, _ := st.check(c, c[:p], e.lexer())
	var refused []*Edit
	for _, d := range edits {
		if accept[d.Version] {
			accepted = append(accepted, d)
		} else {
			refused = append(refused, d)
		}
	}
	if len(refused) > 0 {
		return nil, &EditedError{Edits: refused, Dir: e.Dir.Path()}
	}
	return accepted, nil
}

// accept records, under the lock, that the files of the accepted edits are
// what their versions are pinned to from now on. An edit another run
// accepted meanwhile is not recorded twice.
func (e *Executor) accept(ctx context.Context, c chain, edits []*Edit) error {
	var (
		st       pinState
		recorded []*Edit
	)
	prepare := func(conn *sql.Conn) (err error) {
		st, err = e.readPins(ctx, conn, TablesFormat)
		return err
	}
	err := e.record(ctx, "record accepted edits", prepare, func(tx *sql.Tx, session string) error {
		for _, d := range edits {
			m := c.find(d.Version)
			if again, _ := st.check(c, []*Migration{m}, e.lexer()); len(again) == 0 {
				continue
			}
			now := time.Now()
			r := &Record{Version: m.Version, Direction: Accept, Checksum: m.Checksum, StartedAt: now, FinishedAt: now,
				Total: len(m.Up), Operator: operator(), Session: session, Pins: pinsOf(m, e.lexer()).String()}
			if err := e.insertRecord(ctx, tx, r); err != nil {
				return err
			}
			recorded = append(recorded, d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range recorded {
		e.emit(&EditAccepted{Edit: d})
	}
	return nil
}
