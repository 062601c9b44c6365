package sqlite

import (
	"context"
)

// DefaultDevURL is the scratch database to replay migrations in when none
// is given: a private database in memory.
func (*Dialect) DefaultDevURL() string { return "sqlite://file?mode=memory" }

// Scratch uses the database rawURL names as it is, and there is nothing to
// drop: a file or an in-memory database is the user's own scratch, and the
// engine checks that it is empty.
func (*Dialect) Scratch(_ context.Context, rawURL string) (string, func(context.Context) error, error) {
	return rawURL, nil, nil
}
