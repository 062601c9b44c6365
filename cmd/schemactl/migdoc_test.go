package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestStopOnSignalJSONMariaDB: apply --format json stopped by SIGINT
// still prints its document, which says what ran before the stop
// (statements 1-2 of the first migration, kept) and error_code
// "interrupted"; the progress went to stderr as JSON lines.
func TestStopOnSignalJSONMariaDB(t *testing.T) {
	m := newMariaTarget(t)
	dir := writeMidMigrations(t, m)
	url := m.url.String()
	seedAcct(t, m)
	child, out := startFree(t, []string{"apply", "--url", url, "--dir", dir, "--format", "json", "--progress", "json"})
	waitRunning(t, m, "UPDATE acct SET bal = bal + 10", out)
	if err := child.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	text := out.String()
	if !strings.Contains(text, exitPrefix+"1") {
		t.Fatalf("the child did not exit 1:\n%s", text)
	}
	if !strings.Contains(text, `"event":"statement_done"`) {
		t.Errorf("no JSON progress lines:\n%s", text)
	}
	i := strings.Index(text, "{\n  \"format_version\"")
	if i < 0 {
		t.Fatalf("no document:\n%s", text)
	}
	var doc docMigrate
	if err := json.NewDecoder(strings.NewReader(text[i:])).Decode(&doc); err != nil {
		t.Fatalf("decode the document: %v\n%s", err, text)
	}
	if p := checkMigrateDoc(&doc, "apply"); p != nil {
		t.Errorf("document: %v", p)
	}
	if doc.ErrorCode != "interrupted" || len(doc.Migrations) != 1 {
		t.Fatalf("error_code %q, %d migrations; want interrupted, 1:\n%s", doc.ErrorCode, len(doc.Migrations), text)
	}
	mig := doc.Migrations[0]
	if mig.Status != "failed" || mig.Statements != 2 || mig.RolledBack || doc.Statements != 2 {
		t.Errorf("migration %+v, statements %d; want failed with statements 1-2 kept", mig, doc.Statements)
	}
	// The next apply resumes after statement 2.
	schemactl(t, 0, "apply", "--url", url, "--dir", dir)
	checkReference(t, m, true)
}
