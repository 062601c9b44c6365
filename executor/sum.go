package executor

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// sumEntry is one line of schemactl.sum after the total.
type sumEntry struct {
	name string
	hash string // "h1:..."
}

// sumFile is schemactl.sum: a total over all entries, then one entry per
// migration file. Like Atlas's atlas.sum, one SHA-256 runs over the whole
// directory (each file's name, then its bytes) and each entry records the
// state after its file, so an entry covers every file before it. Two
// branches that each add a migration therefore change the same lines and
// conflict in git, and an edit to any file changes its line and all later
// ones.
type sumFile struct {
	total   string
	entries []sumEntry
}

func computeSum(d *Dir, files []dirFile) (*sumFile, error) {
	h := sha256.New()
	sf := &sumFile{}
	for _, f := range files {
		data, err := fs.ReadFile(d.fsys, f.name)
		if err != nil {
			return nil, fmt.Errorf("read migration: %w", err)
		}
		h.Write([]byte(f.name))
		h.Write(normalizeEOL(data))
		sf.entries = append(sf.entries, sumEntry{name: f.name, hash: "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))})
	}
	t := sha256.New()
	for _, e := range sf.entries {
		t.Write([]byte(e.name))
		t.Write([]byte(strings.TrimPrefix(e.hash, "h1:")))
	}
	sf.total = "h1:" + base64.StdEncoding.EncodeToString(t.Sum(nil))
	return sf, nil
}

func (sf *sumFile) bytes() []byte {
	var b bytes.Buffer
	b.WriteString(sf.total + "\n")
	for _, e := range sf.entries {
		b.WriteString(e.name + " " + e.hash + "\n")
	}
	return b.Bytes()
}

// The ways out of a checksum mismatch, by cause.
const (
	fixSum     = "review the directory, then run schemactl hash to rewrite " + SumFile
	fixAdded   = "review it, then run schemactl hash (if a database applied another file under its number, see status)"
	fixMissing = "restore it (git checkout), since a database may have applied it; if none has, run schemactl hash"
	fixEdited  = "restore it (git checkout), or after a review of the edit run schemactl hash; a database that applied it keeps what ran and refuses an edited statement"
)

// conflictMarker is the line of data holding a git conflict marker; 0
// when none does.
func conflictMarker(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range []string{"<<<<<<< ", ">>>>>>> ", "=======", "|||||||"} {
			if strings.HasPrefix(line, m) || line == strings.TrimSpace(m) {
				return i + 1
			}
		}
	}
	return 0
}

// parseSum reads schemactl.sum; errors name the line.
func parseSum(data []byte) (*sumFile, error) {
	sf := &sumFile{}
	if n := conflictMarker(data); n > 0 {
		return nil, &ChecksumError{File: SumFile, Line: n, Reason: "the file holds git conflict markers: two branches added or changed migrations",
			Fix: "keep the migrations a database has applied under their numbers, renumber the others (and their -- revises: line), then run schemactl hash"}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			if !strings.HasPrefix(line, "h1:") || strings.ContainsAny(line, " \t") {
				return nil, &ChecksumError{File: SumFile, Line: 1, Reason: "first line must be the total, h1:<hash>", Fix: fixSum}
			}
			sf.total = line
			continue
		}
		name, hash, ok := strings.Cut(line, " ")
		if !ok || name == "" || !strings.HasPrefix(hash, "h1:") || strings.ContainsAny(hash, " \t") {
			return nil, &ChecksumError{File: SumFile, Line: n, Reason: "malformed line; want <file> h1:<hash>", Fix: fixSum}
		}
		sf.entries = append(sf.entries, sumEntry{name: name, hash: hash})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", SumFile, err)
	}
	if n == 0 {
		return nil, &ChecksumError{File: SumFile, Line: 1, Reason: "file is empty", Fix: fixSum}
	}
	return sf, nil
}

// Verify checks the directory against schemactl.sum. It fails with a
// *ChecksumError when a migration was edited, added or removed without
// updating the sum, or when the sum file was edited. An empty directory
// without a sum file is fine.
func (d *Dir) Verify() error {
	files, err := d.list()
	if err != nil {
		return err
	}
	data, err := fs.ReadFile(d.fsys, SumFile)
	if errors.Is(err, fs.ErrNotExist) {
		if len(files) == 0 {
			return nil
		}
		return &ChecksumError{File: SumFile, Reason: "file is missing, but the directory holds migrations", Fix: "review the migrations, then run schemactl hash to write it"}
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", SumFile, err)
	}
	have, err := parseSum(data)
	if err != nil {
		return err
	}
	want, err := computeSum(d, files)
	if err != nil {
		return err
	}
	for i := 0; i < max(len(have.entries), len(want.entries)); i++ {
		line := i + 2 // the total is line 1
		switch {
		case i >= len(have.entries):
			return &ChecksumError{File: want.entries[i].name, Reason: "file is not in " + SumFile + "; it was added by hand, or by a branch that was merged without regenerating the sum", Fix: fixAdded}
		case i >= len(want.entries):
			return &ChecksumError{File: have.entries[i].name, Line: line, Reason: "file is listed in " + SumFile + " but missing", Fix: fixMissing}
		case have.entries[i].name != want.entries[i].name:
			if !listed(want.entries, have.entries[i].name) {
				return &ChecksumError{File: have.entries[i].name, Line: line, Reason: "file is listed in " + SumFile + " but missing", Fix: fixMissing}
			}
			return &ChecksumError{File: want.entries[i].name, Line: line, Reason: "file is not in " + SumFile + " at this place; it was added by hand, or by a branch that was merged without regenerating the sum", Fix: fixAdded}
		case have.entries[i].hash != want.entries[i].hash:
			return &ChecksumError{File: want.entries[i].name, Line: line, Reason: "file was edited after " + SumFile + " was written", Fix: fixEdited}
		}
	}
	if have.total != want.total {
		return &ChecksumError{File: SumFile, Line: 1, Reason: "the total does not match the lines below it; the sum file was edited", Fix: fixSum}
	}
	return nil
}

func listed(entries []sumEntry, name string) bool {
	for _, e := range entries {
		if e.name == name {
			return true
		}
	}
	return false
}

// WriteSum rewrites schemactl.sum for the files as they are now, after
// checking that they parse and form a chain. It is how a reviewed hand edit
// is accepted. A directory that has neither migrations nor a sum file is
// left alone.
func (d *Dir) WriteSum() error {
	if d.path == "" {
		return errReadOnly
	}
	if _, err := d.Migrations(); err != nil {
		return err
	}
	files, err := d.list()
	if err != nil {
		return err
	}
	if len(files) == 0 {
		if _, err := fs.Stat(d.fsys, SumFile); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	sf, err := computeSum(d, files)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(d.path, SumFile), sf.bytes(), true)
}
