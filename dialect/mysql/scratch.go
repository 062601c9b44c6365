package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
)

// DefaultDevURL is the scratch database to replay migrations in when none
// is given: MySQL has none that needs no server.
func (*Dialect) DefaultDevURL() string { return "" }

// Scratch makes a throwaway database, schemactl_dev_<random>, on the
// server db is connected to (the scratch URL rawURL names), and returns
// the URL of that database and how to drop it. The URL's own database only
// serves to connect.
func (*Dialect) Scratch(ctx context.Context, db *sql.DB, rawURL string) (string, func(context.Context) error, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // net/url quotes the URL, password and all
		}
		return "", nil, err
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	name := "schemactl_dev_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)); err != nil {
		return "", nil, fmt.Errorf("create the throwaway database %s: %w", name, err)
	}
	drop := func(ctx context.Context) error {
		server, _, err := Open(ctx, rawURL)
		if err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		defer server.Close()
		if _, err := server.ExecContext(ctx, "DROP DATABASE "+quoteIdent(name)); err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		return nil
	}
	u.Path = "/" + url.PathEscape(name)
	return u.String(), drop, nil
}
