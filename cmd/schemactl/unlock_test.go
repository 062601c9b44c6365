package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestUnlockMariaDB: a session that holds the migration lock (a run whose
// process is gone, as the server sees it until it closes the session) is
// shown with who it is; unlock frees it only when confirmed, and then the
// next apply runs instead of timing out.
func TestUnlockMariaDB(t *testing.T) {
	u, _ := testdb.MySQL(t)
	url := u.String()
	db, _, err := mysql.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	// The lock a run takes, taken by another session.
	var got int
	name := "schemactl:" + u.Path[1:]
	if err := holder.QueryRowContext(context.Background(), "SELECT GET_LOCK(?, 0)", name).Scan(&got); err != nil || got != 1 {
		t.Fatalf("GET_LOCK(%s) = %d, %v", name, got, err)
	}
	cli := func(stdin string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		root := newRootCmd(&out, &errb)
		root.SetIn(strings.NewReader(stdin))
		root.SetArgs(args)
		err := root.ExecuteContext(context.Background())
		code := 0
		if err != nil {
			code = 1
		}
		return code, out.String() + errb.String() + errString(err)
	}
	code, out := cli("n\n", "unlock", "--url", url)
	if code != 1 || !strings.Contains(out, "is held by session") || !strings.Contains(out, "not confirmed: nothing was changed") {
		t.Fatalf("unlock, not confirmed: exit %d\n%s", code, out)
	}
	code, out = cli("y\n", "unlock", "--url", url)
	if code != 0 || !strings.Contains(out, "Freed.") {
		t.Fatalf("unlock, confirmed: exit %d\n%s", code, out)
	}
	code, out = cli("", "unlock", "--url", url)
	if code != 0 || !strings.Contains(out, "Nobody holds the migration lock") {
		t.Fatalf("unlock again: exit %d\n%s", code, out)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
