package mysql_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
)

// TestScratchSharedDevDatabase is two runs given one existing dev database
// at once, as two CI jobs with the same --dev-url: the second is refused
// while the first holds it, and neither disturbs the other's replay.
func TestScratchSharedDevDatabase(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := mysql.New(mysql.Flavor{})
	at, release, err := d.Scratch(ctx, s.u.String())
	if err != nil {
		t.Fatal(err)
	}
	if at != s.u.String() {
		t.Errorf("Scratch(%s) = %s, want the database itself", s.u, at)
	}
	s.exec(t, "CREATE TABLE first_run (id int)")

	_, second, err := d.Scratch(ctx, s.u.String())
	if err == nil {
		second(ctx)
		t.Fatal("a second run got the dev database the first one is using")
	}
	for _, want := range []string{"the dev database " + s.name + " is in use", "schemactl_dev:" + s.name, "its own dev database"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second run: %v, want it to say %q", err, want)
		}
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'first_run'", s.name).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the first run's table after the second run was refused: %d (%v)", n, err)
	}

	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	_, again, err := d.Scratch(ctx, s.u.String())
	if err != nil {
		t.Fatalf("after the first run released it: %v", err)
	}
	if err := again(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestScratchSameNameMissing is two runs naming one dev database that does
// not exist: the first creates it, the second is refused rather than
// finding it half built, and the first drops it.
func TestScratchSameNameMissing(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	u := *s.u
	u.Path = "/" + s.name + "_dev"
	t.Cleanup(func() { s.db.Exec("DROP DATABASE IF EXISTS `" + s.name + "_dev`") })
	d := mysql.New(mysql.Flavor{})
	_, release, err := d.Scratch(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Scratch(ctx, u.String()); err == nil || !strings.Contains(err.Error(), "is in use") {
		t.Errorf("second run: %v, want it refused as in use", err)
	}
	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", s.name+"_dev").Scan(&n); err != nil || n != 0 {
		t.Errorf("the dev database it created is left: %d (%v)", n, err)
	}
}

// TestScratchSaysWhatIsLeft is a borrowed dev database that cannot be
// emptied after use: the user may not drop routines there, and something
// created one. The error names exactly what is left, and the next run
// refuses the database until it is empty.
func TestScratchSaysWhatIsLeft(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	user := s.name // unique, like the database
	s.exec(t,
		"CREATE USER '"+user+"'@'%'",
		"GRANT SELECT, INSERT, CREATE, DROP, ALTER, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, TRIGGER, EVENT ON `"+s.name+"`.* TO '"+user+"'@'%'",
	)
	t.Cleanup(func() { s.db.Exec("DROP USER IF EXISTS '" + user + "'@'%'") })
	u := *s.u
	u.User = url.User(user)
	d := mysql.New(mysql.Flavor{})
	_, release, err := d.Scratch(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	s.exec(t,
		"CREATE TABLE `"+s.name+"`.hero (id int)",
		"CREATE PROCEDURE `"+s.name+"`.stuck () SELECT 1",
	)
	err = release(ctx)
	if err == nil {
		t.Fatal("release emptied a database holding a procedure the user may not drop")
	}
	want := "the dev database " + s.name + " is not empty after use: procedure stuck left"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "drop procedure stuck") {
		t.Errorf("release: %v, want it to say %q and why", err, want)
	}
	if _, again, err := d.Scratch(ctx, u.String()); err == nil {
		again(ctx)
		t.Error("the next run took a dev database that is not empty")
	} else if !strings.Contains(err.Error(), "it holds procedure stuck") {
		t.Errorf("next run: %v, want a refusal naming procedure stuck", err)
	}
}
