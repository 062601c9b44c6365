package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

// textOrJSON is --format of the commands that print either text or one
// json document (status, history, stamp).
type textOrJSON struct{ value string }

func (f *textOrJSON) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "format", "text", "output format: text or json (one document on stdout)")
}

// json reports whether json was asked for, and refuses a format the
// command does not write.
func (f *textOrJSON) json(cmd *cobra.Command) (bool, error) {
	switch f.value {
	case "text":
		return false, nil
	case "json":
		return true, nil
	}
	return false, &inputError{fmt.Errorf("--format %q: %s writes text or json", f.value, cmd.Name())}
}

func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// The documents of status, history and stamp (--format json), as the README
// documents them. Versions are as the directory spells them; "" is base.
type (
	statusDocument struct {
		FormatVersion string         `json:"format_version"`
		Kind          string         `json:"kind"` // "status"
		Target        string         `json:"target"`
		Dir           string         `json:"dir"`
		Current       string         `json:"current"`
		Head          string         `json:"head"`
		Migrations    int            `json:"migrations"`
		Unknown       bool           `json:"unknown"` // current is not in dir
		State         string         `json:"state"`   // "up_to_date", "pending" or "needs_human"
		Pending       []migrationDoc `json:"pending"`
		Checksum      string         `json:"checksum_error"`
		Edited        []editDoc      `json:"edited"`
		NotPinned     []string       `json:"not_pinned"`
		LastFailure   *failureDoc    `json:"last_failure"`
		Drift         driftDoc       `json:"drift"`
	}
	migrationDoc struct {
		Version string `json:"version"`
		Name    string `json:"name"`
		File    string `json:"file"`
		Revises string `json:"revises"`
	}
	editDoc struct {
		Version   string `json:"version"`
		File      string `json:"file"`
		What      string `json:"what"`
		MovedTo   string `json:"moved_to"`
		AppliedAt string `json:"applied_at"`
	}
	failureDoc struct {
		Version        string `json:"version"`
		Direction      string `json:"direction"`
		File           string `json:"file"`
		Error          string `json:"error"`
		ErrorStatement int    `json:"error_statement"`
		Done           int    `json:"statements_done"`
		Total          int    `json:"statements_total"`
		Partial        bool   `json:"partial"`
		Interrupted    bool   `json:"interrupted"`
	}
	driftDoc struct {
		Checked bool   `json:"checked"`
		Found   bool   `json:"found"`
		Message string `json:"message"` // the status line, without "Drift:"
	}
	historyDocument struct {
		FormatVersion string       `json:"format_version"`
		Kind          string       `json:"kind"` // "history"
		Dir           string       `json:"dir"`
		Head          string       `json:"head"`
		Current       *string      `json:"current"` // null without a database
		Migrations    []historyDoc `json:"migrations"`
	}
	historyDoc struct {
		migrationDoc
		Current bool `json:"current"`
	}
	stampDocument struct {
		FormatVersion string `json:"format_version"`
		Kind          string `json:"kind"` // "stamp"
		Target        string `json:"target"`
		Version       string `json:"version"`
	}
)

var stateNames = map[int]string{statusUpToDate: "up_to_date", statusPending: "pending", statusNeedHuman: "needs_human"}

func migrationDocs(ms []*executor.Migration) []migrationDoc {
	out := []migrationDoc{}
	for _, m := range ms {
		out = append(out, migrationDoc{Version: m.Version, Name: m.Name, File: m.File, Revises: m.Revises})
	}
	return out
}

func newStatusDocument(e *engine.Engine, dir string, st *engine.Status) *statusDocument {
	doc := &statusDocument{
		FormatVersion: report.JSONFormatVersion, Kind: "status", Target: e.Where(), Dir: dir,
		Current: st.Current, Head: st.Head, Migrations: st.Count, Unknown: st.Unknown,
		State: stateNames[statusCode(st)], Pending: migrationDocs(st.Pending),
		Edited: []editDoc{}, NotPinned: append([]string{}, st.NotPinned...),
	}
	if st.SumErr != nil {
		doc.Checksum = st.SumErr.Error()
	}
	for _, d := range st.Edits {
		doc.Edited = append(doc.Edited, editDoc{Version: d.Version, File: d.File, What: d.What, MovedTo: d.MovedTo,
			AppliedAt: d.Applied.FinishedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	if f := st.Failure; f != nil {
		doc.LastFailure = &failureDoc{Version: f.Version, Direction: string(f.Direction), File: f.File, Error: f.Error,
			ErrorStatement: f.ErrorStatement, Done: f.Done, Total: f.Total, Partial: f.Partial, Interrupted: f.Interrupted}
	}
	var b bytes.Buffer
	writeDrift(&b, e, st)
	msg := strings.TrimSpace(strings.TrimPrefix(b.String(), "Drift:"))
	doc.Drift = driftDoc{Checked: st.Drift != nil && !strings.HasPrefix(msg, "not checked"), Found: st.Drift.Found(), Message: msg}
	return doc
}

func newHistoryDocument(dir string, ms []*executor.Migration, current string, known bool) *historyDocument {
	doc := &historyDocument{FormatVersion: report.JSONFormatVersion, Kind: "history", Dir: dir, Migrations: []historyDoc{}}
	if known {
		doc.Current = &current
	}
	if len(ms) > 0 {
		doc.Head = ms[len(ms)-1].Version
	}
	for _, m := range migrationDocs(ms) {
		doc.Migrations = append(doc.Migrations, historyDoc{migrationDoc: m, Current: known && m.Version == current})
	}
	return doc
}
