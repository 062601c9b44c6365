package executor

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/schemactl/schemactl/internal/safetext"
	"github.com/schemactl/schemactl/schema"
)

// SumFile is the name of the integrity file in a migration directory.
const SumFile = "schemactl.sum"

// Dir is a migration directory: numbered .sql files and schemactl.sum,
// on disk (OpenDir) or in a file system such as one embedded in a program
// (OpenFS), which is read-only.
type Dir struct {
	path string // "" for a directory that is not on disk
	fsys fs.FS
	// parsed keeps the last reading of each file: a workflow reads the
	// directory several times (head, verify, write), and lexing a migration
	// of thousands of statements costs more than reading it again, which
	// is what tells whether it changed.
	mu     sync.Mutex
	parsed map[string]parsedFile
	// Lexer reads the files' SQL under the rules of the engine it is
	// written for (the dialect's Lex): it decides where statements end, and
	// where Write puts a semicolon. Reading or writing migration files needs
	// it. An Executor whose Driver is also a Lexer reads with the Driver.
	// Files that Write writes record the engine the Lexer is for, when it
	// has a Name (the dialects do), in their -- dialect: line.
	Lexer Lexer
}

// parsedFile is a file as Parse read it with lexer.
type parsedFile struct {
	data  []byte
	lexer Lexer
	m     *Migration
}

// OpenDir opens the migration directory at path. It may not exist yet:
// Next reads it as empty and Write creates it, for the first migration;
// every other read of a directory that does not exist is an error that
// wraps ErrNoDir, so that a misspelled path is not "nothing to do".
func OpenDir(path string) (*Dir, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("open migration directory: %w", err)
	case !fi.IsDir():
		return nil, fmt.Errorf("open migration directory: %s is not a directory", path)
	}
	return &Dir{path: path, fsys: os.DirFS(path)}, nil
}

// OpenFS opens the migration directory at the root of fsys, such as an
// embed.FS (use fs.Sub for a subfolder). It is read-only: Write and
// WriteSum refuse. A root that exists and holds no migrations is an empty
// directory; one that does not exist (fs.Sub of a path the program does
// not embed) is an error that wraps ErrNoDir.
func OpenFS(fsys fs.FS) *Dir { return &Dir{fsys: fsys} }

// Path is the directory's path as given to OpenDir; "" for OpenFS.
func (d *Dir) Path() string { return d.path }

// String names the directory in messages: its path, or what it is when it
// has none (OpenFS), so that no message reads "ahead of , whose head …".
func (d *Dir) String() string {
	if d.path == "" {
		return "the embedded migration directory"
	}
	return d.path
}

// errReadOnly refuses to write into a directory that is not on disk.
var errReadOnly = errors.New("the migration directory is read-only (embedded in the program)")

// Dialect is the engine the directory's files record in their
// -- dialect: lines: "" when none does (files written by hand, or by a
// schemactl before the line existed). Files that record different engines
// are an error. It reads only the files' headers, so it needs no Lexer:
// it is how a directory read without a database finds its lexer.
func (d *Dir) Dialect() (string, error) {
	files, err := d.list()
	if errors.Is(err, ErrNoDir) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var found, from string
	for _, f := range files {
		data, err := fs.ReadFile(d.fsys, f.name)
		if err != nil {
			return "", fmt.Errorf("read migration: %w", err)
		}
		name, line := headerDialect(data)
		switch {
		case name == "" || name == found:
		case found == "":
			found, from = name, f.name
		default:
			return "", &ParseError{File: f.name, Line: line, Msg: fmt.Sprintf("records dialect %s, but %s records %s; a directory holds the migrations of one engine", name, from, found)}
		}
	}
	return found, nil
}

// dirFile is a migration file found in the directory.
type dirFile struct {
	name    string
	version string
}

// Stat checks that the directory exists: an error wrapping ErrNoDir when
// it does not, nil when it does.
func (d *Dir) Stat() error {
	_, err := fs.Stat(d.fsys, ".")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if d.path == "" {
			return fmt.Errorf("%w: the embedded file system has no such directory (is the fs.Sub path right?)", ErrNoDir)
		}
		return fmt.Errorf("%w at %s", ErrNoDir, d.path)
	case err != nil:
		return fmt.Errorf("read migration directory: %w", err)
	}
	return nil
}

// list returns the migration files in version order. Two files with one
// number are an error; so is a .sql file whose name has no number, and a
// file that would be a migration but for the case of its extension
// (0006_x.SQL): ignoring it would skip a migration in silence.
func (d *Dir) list() ([]dirFile, error) {
	entries, err := fs.ReadDir(d.fsys, ".")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, d.Stat()
	}
	if err != nil {
		return nil, fmt.Errorf("read migration directory: %w", err)
	}
	var files []dirFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		if strings.ContainsAny(name, "\n\r") && strings.HasSuffix(strings.ToLower(name), ".sql") {
			// schemactl.sum holds a line per file: a name that breaks the
			// line would write a sum file that no command can read.
			return nil, &ParseError{File: safetext.Line(name), Msg: "a migration file's name holds a line break; rename it"}
		}
		if ext := filepath.Ext(name); ext != ".sql" {
			if strings.EqualFold(ext, ".sql") {
				return nil, &ParseError{File: name, Msg: fmt.Sprintf("a migration file's name ends in .sql, in lower case; rename it to %s.sql", strings.TrimSuffix(name, ext))}
			}
			continue
		}
		v, ok := fileVersion(name)
		if !ok {
			return nil, &ParseError{File: name, Msg: "not a migration file name; want a version number, \"_\" and a description, like 0002_add_power.sql"}
		}
		if !e.Type().IsRegular() {
			// A named pipe would block the read until something writes to
			// it; a symbolic link is followed.
			fi, err := fs.Stat(d.fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read migration directory: %w", err)
			}
			if !fi.Mode().IsRegular() {
				return nil, &ParseError{File: name, Msg: fmt.Sprintf("not a regular file (%s); a migration is a file", fileKind(fi.Mode()))}
			}
		}
		files = append(files, dirFile{name: name, version: v})
	}
	slices.SortFunc(files, func(a, b dirFile) int {
		if c := compareVersions(a.version, b.version); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	for i := 1; i < len(files); i++ {
		if compareVersions(files[i-1].version, files[i].version) == 0 {
			return nil, &ParseError{File: files[i].name, Msg: fmt.Sprintf("has the same number as %s; renumber one of them (two branches that both added a migration?)", files[i-1].name)}
		}
	}
	return files, nil
}

// compareVersions orders version numbers by value: "0010" after "0009",
// "10000" after "9999".
func compareVersions(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// Migrations reads, parses and orders the migrations. Each must revise the
// one before it.
func (d *Dir) Migrations() ([]*Migration, error) {
	return d.migrations(d.Lexer)
}

func (d *Dir) migrations(lx Lexer) ([]*Migration, error) {
	files, err := d.list()
	if err != nil {
		return nil, err
	}
	migs := make([]*Migration, 0, len(files))
	for _, f := range files {
		data, err := fs.ReadFile(d.fsys, f.name)
		if err != nil {
			return nil, fmt.Errorf("read migration: %w", err)
		}
		m, err := d.parse(f.name, data, lx)
		if err != nil {
			return nil, err
		}
		migs = append(migs, m)
	}
	for i, m := range migs {
		prev := ""
		if i > 0 {
			prev = migs[i-1].Version
		}
		if m.Revises == prev {
			continue
		}
		switch {
		case prev == "":
			return nil, &ParseError{File: m.File, Line: m.revisesLine, Msg: fmt.Sprintf("revises %s, but it is the first migration", m.Revises)}
		case m.Revises == "":
			return nil, &ParseError{File: m.File, Line: 1, Msg: fmt.Sprintf("has no -- revises: line, but follows %s", migs[i-1].File)}
		default:
			return nil, &ParseError{File: m.File, Line: m.revisesLine, Msg: fmt.Sprintf("revises %s, but the migration before it is %s", m.Revises, migs[i-1].File)}
		}
	}
	return migs, nil
}

// parse is Parse, or the migration an earlier call read from the same
// bytes with the same lexer. Migrations are never modified once read, so
// callers share them.
func (d *Dir) parse(name string, data []byte, lx Lexer) (*Migration, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if p, ok := d.parsed[name]; ok && sameLexer(p.lexer, lx) && bytes.Equal(p.data, data) {
		return p.m, nil
	}
	m, err := Parse(name, data, lx)
	if err != nil {
		return nil, err
	}
	if d.parsed == nil {
		d.parsed = map[string]parsedFile{}
	}
	d.parsed[name] = parsedFile{data: data, lexer: lx, m: m}
	return m, nil
}

// sameLexer reports whether a and b are one lexer. Lexers of a type that
// cannot be compared are never the same, rather than a panic.
func sameLexer(a, b Lexer) bool {
	t := reflect.TypeOf(a)
	return t != nil && t == reflect.TypeOf(b) && t.Comparable() && a == b
}

// Head is the version of the last migration; "" when there is none.
func (d *Dir) Head() (string, error) {
	migs, err := d.Migrations()
	if err != nil || len(migs) == 0 {
		return "", err
	}
	return migs[len(migs)-1].Version, nil
}

// Write adds the next migration, numbered after the last one (four digits at
// least) and named after message, and updates schemactl.sum. A directory
// that fails Verify is refused: rewriting its sum would bless the tampering.
// The down section is always written, so an empty down reverts by doing
// nothing.
func (d *Dir) Write(message string, up, down []Statement) (*Migration, error) {
	return d.WritePlanned(message, "", up, down)
}

// WritePlanned is Write for a planned migration: the file records, in a
// "-- planned-against:" header line, the fingerprint of the schema it was
// planned against, which Apply checks the live schema against (see
// Executor.CheckDrift). An empty fingerprint writes no such line.
func (d *Dir) WritePlanned(message, fingerprint string, up, down []Statement) (*Migration, error) {
	if d.path == "" {
		return nil, errReadOnly
	}
	m, data, err := d.Next(message, fingerprint, up, down)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(d.path, 0o755); err != nil {
		return nil, fmt.Errorf("create migration directory: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(d.path, m.File), data, false); err != nil {
		return nil, err
	}
	if err := d.WriteSum(); err != nil {
		return nil, err
	}
	return m, nil
}

// Next is the migration WritePlanned would add, numbered after the last
// one (four digits at least) and named after message, with the bytes of
// its file; nothing is written. The bytes are read back first: a statement
// that would not read back as given (an unclosed quote, a comment line that
// looks like a section marker) is refused instead of being written as
// something else.
func (d *Dir) Next(message, fingerprint string, up, down []Statement) (*Migration, []byte, error) {
	if d.Lexer == nil {
		return nil, nil, errNoLexer
	}
	if strings.ContainsAny(fingerprint, " \t\r\n") {
		return nil, nil, fmt.Errorf("bad fingerprint %q", fingerprint)
	}
	var migs []*Migration
	switch err := d.Stat(); {
	case errors.Is(err, ErrNoDir):
		// A directory that does not exist yet gets its first migration.
	case err != nil:
		return nil, nil, err
	default:
		if err := d.notAlembic(); err != nil {
			return nil, nil, err
		}
		if err := d.Verify(); err != nil {
			return nil, nil, err
		}
		if migs, err = d.Migrations(); err != nil {
			return nil, nil, err
		}
	}
	m := &Migration{Name: message, Version: "0001", Up: normalize(up), Down: normalize(down),
		PlannedAgainst: fingerprint, Dialect: lexerDialect(d.Lexer)}
	if n := len(migs); n > 0 {
		last := migs[n-1]
		m.Revises = last.Version
		m.Version = nextVersion(last.Version)
	}
	m.File = m.Version + ".sql"
	if s := Slug(message); s != "" {
		m.File = m.Version + "_" + s + ".sql"
	}
	for _, sec := range []struct {
		name  string
		stmts []Statement
	}{{"up", m.Up}, {"down", m.Down}} {
		for i, st := range sec.stmts {
			if st.SQL == "" {
				return nil, nil, fmt.Errorf("write %s: %s statement %d is empty", m.File, sec.name, i+1)
			}
		}
	}
	data := Format(m, d.Lexer)
	got, err := d.readBack(m, data)
	if err != nil {
		return nil, nil, err
	}
	return got, data, nil
}

// notAlembic refuses to write into an Alembic project's directory (its
// env.py, or its versions/ folder): schemactl's numbered files there would
// be a second history beside Alembic's, and neither tool would run the
// other's.
func (d *Dir) notAlembic() error {
	for _, name := range []string{"env.py", "versions"} {
		if _, err := fs.Stat(d.fsys, name); err == nil {
			return fmt.Errorf("%s holds Alembic's %s: schemactl keeps its migrations in a directory of its own; "+
				"pass --dir schemactl-migrations (or another new directory), and adopt the database with plan --dev-url and stamp (see docs/alembic.md)", d, name)
		}
	}
	return nil
}

// lexerDialect is the engine a Lexer is for, when it says (the dialects
// do): the name files record in their -- dialect: line.
func lexerDialect(lx Lexer) string {
	if n, ok := lx.(interface{ Name() schema.Dialect }); ok {
		return string(n.Name())
	}
	return ""
}

// nextVersion adds one to a version number, keeping its width (at least 4).
func nextVersion(v string) string {
	digits := []byte(v)
	i := len(digits) - 1
	for ; i >= 0; i-- {
		if digits[i] < '9' {
			digits[i]++
			break
		}
		digits[i] = '0'
	}
	if i < 0 {
		digits = append([]byte{'1'}, digits...)
	}
	s := string(digits)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// readBack parses what Write is about to write and checks that every
// statement reads back as given. A statement that would not (an unclosed
// quote, a comment line that looks like a section marker) is refused
// instead of being written as something else.
func (d *Dir) readBack(m *Migration, data []byte) (*Migration, error) {
	got, err := d.parse(m.File, data, d.Lexer)
	if err != nil {
		return nil, fmt.Errorf("write %s: the file would not read back: %w", m.File, err)
	}
	for _, sec := range []struct {
		name      string
		want, got []Statement
	}{{"up", m.Up, got.Up}, {"down", m.Down, got.Down}} {
		if len(sec.want) != len(sec.got) {
			return nil, fmt.Errorf("write %s: %d %s statements would read back as %d; is a quote or comment left open?", m.File, len(sec.want), sec.name, len(sec.got))
		}
		for i := range sec.want {
			w, g := sec.want[i], sec.got[i]
			if w.SQL != g.SQL || w.Comment != g.Comment {
				return nil, fmt.Errorf("write %s: %s statement %d would not read back as written: %q", m.File, sec.name, i+1, w.SQL)
			}
		}
	}
	return got, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place, so a reader never sees half a file. With replace false an
// existing file is an error.
func writeFileAtomic(path string, data []byte, replace bool) (err error) {
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("write %s: file exists", filepath.Base(path))
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}
