package testdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// KillSession waits, for up to 2 s, until a session of db's database runs
// stmt, then ends it with KILL from db: how the MariaDB tests play a client
// that dies while the server runs its statement.
func KillSession(ctx context.Context, db *sql.DB, stmt string) error {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		var id int64
		err := db.QueryRowContext(ctx, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = ? AND DB = DATABASE()", stmt).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			time.Sleep(5 * time.Millisecond)
			continue
		case err != nil:
			return err
		}
		_, err = db.ExecContext(ctx, fmt.Sprintf("KILL %d", id))
		return err
	}
	return errors.New("the statement never showed up in the process list")
}
