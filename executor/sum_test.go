package executor_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/executor"
)

func editFile(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVerify(t *testing.T) {
	const added = "-- schemactl 0004 \"by hand\"\n-- revises: 0003\n-- +up\nSELECT 1;\n-- +down\n"
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   *executor.ChecksumError // nil: Verify passes
	}{
		{"untouched", func(*testing.T, string) {}, nil},
		{
			"a DBA adds a statement",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, "0002_new_field_power.sql"), func(s string) string {
					return strings.Replace(s, "-- +down", "UPDATE `hero` SET `power` = 0;\n-- +down", 1)
				})
			},
			&executor.ChecksumError{File: "0002_new_field_power.sql", Line: 3, Reason: "file was edited after schemactl.sum was written"},
		},
		{
			"a comment is edited",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, "0003_add_teams.sql"), func(s string) string { return s + "-- a note\n" })
			},
			&executor.ChecksumError{File: "0003_add_teams.sql", Line: 4, Reason: "file was edited after schemactl.sum was written"},
		},
		{
			"the total is edited",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, executor.SumFile), func(s string) string { return "h1:AAAA" + s[7:] })
			},
			&executor.ChecksumError{File: "schemactl.sum", Line: 1, Reason: "the total does not match the lines below it; the sum file was edited"},
		},
		{
			"a file line is edited",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, executor.SumFile), func(s string) string {
					return strings.Replace(s, "0001_init_db.sql h1:", "0001_init_db.sql h1:X", 1)
				})
			},
			&executor.ChecksumError{File: "0001_init_db.sql", Line: 2, Reason: "file was edited after schemactl.sum was written"},
		},
		{
			"a file is added by hand",
			func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "0004_by_hand.sql"), []byte(added), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "0004_by_hand.sql", Reason: "file is not in schemactl.sum; it was added by hand, or by a branch that was merged without regenerating the sum"},
		},
		{
			"a file is removed",
			func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "0003_add_teams.sql")); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "0003_add_teams.sql", Line: 4, Reason: "file is listed in schemactl.sum but missing"},
		},
		{
			"a middle file is removed",
			func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "0002_new_field_power.sql")); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "0002_new_field_power.sql", Line: 3, Reason: "file is listed in schemactl.sum but missing"},
		},
		{
			"a file is renamed",
			func(t *testing.T, dir string) {
				if err := os.Rename(filepath.Join(dir, "0003_add_teams.sql"), filepath.Join(dir, "0003_teams.sql")); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "0003_add_teams.sql", Line: 4, Reason: "file is listed in schemactl.sum but missing"},
		},
		{
			"the sum file is removed",
			func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, executor.SumFile)); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "schemactl.sum", Reason: "file is missing, but the directory holds migrations"},
		},
		{
			"a malformed sum line",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, executor.SumFile), func(s string) string { return s + "garbage\n" })
			},
			&executor.ChecksumError{File: "schemactl.sum", Line: 5, Reason: "malformed line; want <file> h1:<hash>"},
		},
		{
			"an empty sum file",
			func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, executor.SumFile), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			},
			&executor.ChecksumError{File: "schemactl.sum", Line: 1, Reason: "file is empty"},
		},
		{
			"a sum file with git conflict markers",
			func(t *testing.T, dir string) {
				editFile(t, filepath.Join(dir, executor.SumFile), func(s string) string {
					lines := strings.SplitAfter(s, "\n")
					return "<<<<<<< HEAD\n" + strings.Join(lines[:3], "") + "=======\n" + strings.Join(lines[:2], "") + ">>>>>>> feature\n" + strings.Join(lines[3:], "")
				})
			},
			&executor.ChecksumError{File: "schemactl.sum", Line: 1, Reason: "the file holds git conflict markers: two branches added or changed migrations"},
		},
		{
			"a checkout with CRLF line endings still matches",
			func(t *testing.T, dir string) {
				for _, f := range []string{"0001_init_db.sql", "0002_new_field_power.sql", "0003_add_teams.sql", executor.SumFile} {
					editFile(t, filepath.Join(dir, f), func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") })
				}
			},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := heroDir(t, 3)
			tt.tamper(t, d.Path())
			err := d.Verify()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var ce *executor.ChecksumError
			if !errors.As(err, &ce) {
				t.Fatalf("Verify error = %v (%T), want a *ChecksumError", err, err)
			}
			if diff := cmp.Diff(tt.want, ce, cmpopts.IgnoreFields(executor.ChecksumError{}, "Fix")); diff != "" {
				t.Errorf("ChecksumError (-want +got):\n%s", diff)
			}
			// Every mismatch says the way out.
			if !strings.Contains(err.Error(), "schemactl hash") {
				t.Errorf("error %q does not name schemactl hash", err)
			}
			if !errors.Is(err, executor.ErrChecksum) {
				t.Errorf("errors.Is(err, ErrChecksum) = false")
			}
			// Write refuses to bless a tampered directory.
			if _, err := d.Write("more", nil, nil); !errors.Is(err, executor.ErrChecksum) {
				t.Errorf("Write on a tampered directory: %v, want a checksum error", err)
			}
		})
	}
}

func TestChecksumErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  *executor.ChecksumError
		want string
	}{
		{&executor.ChecksumError{File: "0002_a.sql", Line: 3, Reason: "file was edited"}, "0002_a.sql: checksum mismatch: file was edited (schemactl.sum line 3)"},
		{&executor.ChecksumError{File: "0004_a.sql", Reason: "file is not in schemactl.sum"}, "0004_a.sql: checksum mismatch: file is not in schemactl.sum"},
		{&executor.ChecksumError{File: "schemactl.sum", Line: 1, Reason: "total"}, "schemactl.sum:1: checksum mismatch: total"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// A reviewed hand edit is accepted by rewriting the sum.
func TestWriteSumAcceptsAHandEdit(t *testing.T) {
	d := heroDir(t, 3)
	editFile(t, filepath.Join(d.Path(), "0002_new_field_power.sql"), func(s string) string {
		return strings.Replace(s, "-- +down", "-- backfill, added by the DBA\nUPDATE `hero` SET `power` = 0;\n-- +down", 1)
	})
	if err := d.Verify(); err == nil {
		t.Fatal("Verify passed after an edit")
	}
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Fatalf("Verify after WriteSum: %v", err)
	}
	migs, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if got := migs[1].Up[1]; got.SQL != "UPDATE `hero` SET `power` = 0" || got.Comment != "backfill, added by the DBA" {
		t.Errorf("hand-added statement = %+v", got)
	}
}

// Two branches that both add a migration change the same lines of the sum
// file, so git reports a conflict instead of merging both silently.
func TestSumConflictsInGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	base := heroDir(t, 2)
	baseSum := readSum(t, base)
	branch := func(message string) string {
		d := heroDir(t, 2)
		if _, err := d.Write(message, []executor.Statement{{SQL: "CREATE TABLE `" + executor.Slug(message) + "` (`id` integer)"}}, nil); err != nil {
			t.Fatal(err)
		}
		return readSum(t, d)
	}
	ours, theirs := branch("add villains"), branch("add sidekicks")
	dir := t.TempDir()
	paths := map[string]string{"ours": ours, "base": baseSum, "theirs": theirs}
	for name, content := range paths {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(git, "merge-file", "-p", filepath.Join(dir, "ours"), filepath.Join(dir, "base"), filepath.Join(dir, "theirs"))
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() < 1 {
		t.Fatalf("git merge-file merged the two sum files without conflict (err %v):\n%s", err, out)
	}
	if !strings.Contains(string(out), "<<<<<<<") {
		t.Errorf("no conflict markers in:\n%s", out)
	}
}

func readSum(t *testing.T, d *executor.Dir) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(d.Path(), executor.SumFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
