package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/report"
)

// The document of apply and downgrade (--format json), as the README
// documents it. It is written at every exit the command controls: after
// a failure it still says what ran before it. Versions are as the
// directory spells them; "" is base, null not known (the command failed
// before it read the database).
type (
	migrateDocument struct {
		FormatVersion     string             `json:"format_version"`
		Kind              string             `json:"kind"` // "apply" or "downgrade"
		Target            string             `json:"target"`
		Dir               string             `json:"dir"`
		From              *string            `json:"from"`
		To                *string            `json:"to"` // with dry_run, the target
		DryRun            bool               `json:"dry_run"`
		Ahead             bool               `json:"ahead"`
		Migrations        []migrationRunDoc  `json:"migrations"`
		Statements        int                `json:"statements"` // run and kept; with dry_run, would run
		Resume            *resumeDoc         `json:"resume"`
		PreflightWarnings []preflightWarnDoc `json:"preflight_warnings"`
		DoubtsResolved    []doubtDoc         `json:"doubts_resolved"`
		AcceptedEdits     []editAcceptedDoc  `json:"accepted_edits"` // with dry_run: would be accepted
		Notes             []string           `json:"notes"`
		Error             string             `json:"error"`
		ErrorCode         string             `json:"error_code"`
	}
	migrationRunDoc struct {
		Version   string `json:"version"`
		Name      string `json:"name"`
		File      string `json:"file"`
		Direction string `json:"direction"` // "up" or "down"
		// Status is "done", "failed", or with dry_run "would_run".
		Status string `json:"status"`
		// ResumedAfter is the statements an earlier attempt ran, which
		// this one skipped (MySQL/MariaDB).
		ResumedAfter int `json:"resumed_after"`
		// Statements counts SQL: those this attempt ran, or would run.
		Statements int `json:"statements"`
		// FailedStatement is the 1-based statement that failed; 0 if none.
		FailedStatement int `json:"failed_statement"`
		// RolledBack: the failed migration's statements were rolled back
		// with it (SQLite).
		RolledBack bool     `json:"rolled_back"`
		DurationMS int64    `json:"duration_ms"`
		SQL        []string `json:"sql"`
		// Online: its ALTER TABLE statements go online (its header, or
		// --online).
		Online bool `json:"online"`
		// OnlineStatements are how its ALTER TABLE statements ran when it
		// ran online (header or --online); with dry_run, how those of the
		// first migration would run, judged against the schema as it is.
		OnlineStatements []onlineStmtDoc `json:"online_statements"`
	}
	onlineStmtDoc struct {
		Statement int    `json:"statement"`
		Online    bool   `json:"online"` // through pt-online-schema-change
		Why       string `json:"why"`    // why it runs as written, or why it is decided at run
		// DecidedAtRun (dry_run): it cannot be judged now; the run will.
		DecidedAtRun bool `json:"decided_at_run"`
	}
	resumeDoc struct {
		Version string `json:"version"`
		File    string `json:"file"`
		Done    int    `json:"statements_done"`
		Total   int    `json:"statements_total"`
		// InDoubt is the statement that may or may not have taken
		// effect; 0 if none.
		InDoubt  int    `json:"in_doubt"`
		Decision string `json:"decision"` // "", "rerun", "skip", "compare", "refuse"
		Why      string `json:"why"`
	}
	preflightWarnDoc struct {
		Version   string `json:"version"`
		File      string `json:"file"`
		Statement int    `json:"statement"`
		Problem   string `json:"problem"`
		Sample    string `json:"sample"`
	}
	doubtDoc struct {
		Version    string `json:"version"`
		File       string `json:"file"`
		Statement  int    `json:"statement"`
		TookEffect bool   `json:"took_effect"`
		Why        string `json:"why"`
	}
	editAcceptedDoc struct {
		Version string `json:"version"`
		File    string `json:"file"`
		What    string `json:"what"`
	}
)

// migrateRecorder builds the document from the executor's events while the
// run goes, so that a run that fails midway is still accounted for.
type migrateRecorder struct {
	doc     *migrateDocument
	started time.Time
	current *migrationRunDoc
}

func newMigrateRecorder(kind string) *migrateRecorder {
	return &migrateRecorder{doc: &migrateDocument{
		FormatVersion: report.JSONFormatVersion, Kind: kind, Migrations: []migrationRunDoc{},
		PreflightWarnings: []preflightWarnDoc{}, DoubtsResolved: []doubtDoc{}, AcceptedEdits: []editAcceptedDoc{}, Notes: []string{},
	}}
}

func (r *migrateRecorder) observe(ev executor.Event) {
	d := r.doc
	switch ev := ev.(type) {
	case *executor.MigrationStart:
		r.started = time.Now()
		m := ev.Migration
		d.Migrations = append(d.Migrations, migrationRunDoc{Version: m.Version, Name: m.Name, File: m.File,
			Direction: string(ev.Direction), Status: "running", ResumedAfter: ev.Resume, SQL: []string{},
			Online: ev.Online, OnlineStatements: []onlineStmtDoc{}})
		r.current = &d.Migrations[len(d.Migrations)-1]
	case *executor.StatementDone:
		if r.current != nil {
			r.current.Statements++
			r.current.SQL = append(r.current.SQL, ev.Stmt.SQL)
		}
	case *executor.MigrationDone:
		if r.current != nil {
			r.current.Status, r.current.DurationMS = "done", ev.Duration.Milliseconds()
			r.current = nil
		}
	case *executor.MigrationFailed:
		if r.current != nil {
			r.current.Status, r.current.DurationMS = "failed", time.Since(r.started).Milliseconds()
			var se *executor.StmtError
			if errors.As(ev.Err, &se) {
				r.current.FailedStatement = se.Index
			}
			r.current = nil
		}
	case *executor.PreflightWarning:
		d.PreflightWarnings = append(d.PreflightWarnings, preflightWarnDoc{Version: ev.Migration.Version, File: ev.Migration.File,
			Statement: ev.Index, Problem: ev.Problem, Sample: ev.Sample})
	case *executor.DoubtResolved:
		d.DoubtsResolved = append(d.DoubtsResolved, doubtDoc{Version: ev.Migration.Version, File: ev.Migration.File,
			Statement: ev.Index, TookEffect: ev.TookEffect, Why: ev.Why})
	case *executor.OnlineStatement:
		if r.current != nil {
			r.current.OnlineStatements = append(r.current.OnlineStatements, onlineStmtDoc{Statement: ev.Index, Online: ev.Online, Why: ev.Why})
		}
	case *executor.OnlineCleaned:
		for _, c := range ev.What {
			d.Notes = append(d.Notes, fmt.Sprintf("cleaning up after an interrupted pt-online-schema-change of %s: %s", ev.Migration.Version, c))
		}
	case *executor.EditAccepted:
		d.AcceptedEdits = append(d.AcceptedEdits, editAcceptedDoc{Version: ev.Edit.Version, File: ev.Edit.File, What: ev.Edit.What})
	case *executor.VersionMoved:
		d.Notes = append(d.Notes, fmt.Sprintf("another schemactl moved the database from %s to %s while this one waited; carried on from %s",
			versionName(ev.Expected), versionName(ev.Found), versionName(ev.Found)))
	}
}

func (r *migrateRecorder) note(msg string) { r.doc.Notes = append(r.doc.Notes, msg) }

// finish completes the document with what the run returned: res may be
// nil (the run never started) and err nil (it succeeded).
func (r *migrateRecorder) finish(e *engine.Engine, res *executor.Result, err error, msg string) *migrateDocument {
	d := r.doc
	if e != nil {
		d.Target, d.Dir = e.Where(), e.DirPath()
	}
	if err != nil {
		d.Error, d.ErrorCode = msg, errorCode(err)
	}
	if res == nil {
		return d
	}
	from, to := res.From, res.To
	d.From, d.To, d.DryRun, d.Ahead, d.Statements = &from, &to, res.DryRun, res.Ahead, res.Statements
	if res.DryRun {
		for _, ed := range res.WouldAccept {
			d.AcceptedEdits = append(d.AcceptedEdits, editAcceptedDoc{Version: ed.Version, File: ed.File, What: ed.What})
		}
		d.Statements = 0
		for i, m := range res.Migrations {
			first := 0
			if i == 0 {
				first = res.Resume.First()
			}
			sql := []string{}
			for _, s := range m.Statements(res.Direction)[first:] {
				sql = append(sql, s.SQL)
			}
			fc := []onlineStmtDoc{}
			if i == 0 {
				for _, f := range res.Online {
					fc = append(fc, onlineStmtDoc{Statement: f.Index, Online: f.Online, Why: f.Why, DecidedAtRun: f.Later})
				}
			}
			d.Migrations = append(d.Migrations, migrationRunDoc{Version: m.Version, Name: m.Name, File: m.File,
				Direction: string(res.Direction), Status: "would_run", ResumedAfter: first, Statements: len(sql), SQL: sql,
				Online: m.Online || res.OnlineAll, OnlineStatements: fc})
			d.Statements += len(sql)
		}
		if rs := res.Resume; rs != nil {
			d.Resume = &resumeDoc{Version: rs.Version, File: rs.File, Done: rs.Done, Total: rs.Total, Decision: rs.Decision, Why: rs.Why}
			if rs.InDoubt {
				d.Resume.InDoubt = rs.Done + 1
			}
		}
		return d
	}
	// What a failed migration ran and kept: the run's count less that of
	// the migrations that finished. Less than it ran means rolled back.
	kept := res.Statements
	for i := range d.Migrations {
		m := &d.Migrations[i]
		switch m.Status {
		case "done":
			kept -= m.Statements
		case "running":
			// Stopped between statements without a MigrationFailed event.
			m.Status = "failed"
		}
	}
	for i := range d.Migrations {
		if m := &d.Migrations[i]; m.Status == "failed" && m.Statements > kept {
			m.RolledBack = true
		}
	}
	return d
}

// jsonProgress writes the executor's events to w as JSON lines, one
// object a line with "event" naming it (--progress json).
func jsonProgress(w io.Writer) func(executor.Event) {
	enc := json.NewEncoder(w)
	return func(ev executor.Event) {
		var line map[string]any
		mig := func(m *executor.Migration) map[string]any {
			return map[string]any{"version": m.Version, "file": m.File}
		}
		switch ev := ev.(type) {
		case *executor.MigrationStart:
			line = mig(ev.Migration)
			line["event"], line["name"], line["direction"], line["resumed_after"] = "migration_start", ev.Migration.Name, string(ev.Direction), ev.Resume
		case *executor.StatementStart:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["total"], line["sql"] = "statement_start", ev.Index, ev.Total, ev.Stmt.SQL
		case *executor.StatementDone:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["total"], line["duration_ms"] = "statement_done", ev.Index, ev.Total, ev.Duration.Milliseconds()
		case *executor.MigrationDone:
			line = mig(ev.Migration)
			line["event"], line["at"], line["statements"], line["duration_ms"] = "migration_done", ev.Version, ev.Statements, ev.Duration.Milliseconds()
		case *executor.MigrationFailed:
			line = mig(ev.Migration)
			line["event"], line["error"] = "migration_failed", ev.Err.Error()
		case *executor.PreflightWarning:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["problem"], line["sample"] = "preflight_warning", ev.Index, ev.Problem, ev.Sample
		case *executor.DoubtResolved:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["took_effect"], line["why"] = "doubt_resolved", ev.Index, ev.TookEffect, ev.Why
		case *executor.OnlineStatement:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["total"], line["online"], line["why"] = "online_statement", ev.Index, ev.Total, ev.Online, ev.Why
		case *executor.OnlineProgress:
			line = mig(ev.Migration)
			line["event"], line["statement"], line["total"], line["progress"] = "online_progress", ev.Index, ev.Total, ev.Text
		case *executor.OnlineCleaned:
			line = mig(ev.Migration)
			line["event"], line["cleaned"] = "online_cleaned", ev.What
		case *executor.EditAccepted:
			line = map[string]any{"event": "edit_accepted", "version": ev.Edit.Version, "file": ev.Edit.File, "what": ev.Edit.What}
		case *executor.VersionMoved:
			line = map[string]any{"event": "version_moved", "expected": ev.Expected, "found": ev.Found}
		default:
			return
		}
		_ = enc.Encode(line)
	}
}

// jsonNote writes a note as a progress line.
func jsonNote(w io.Writer) func(string) {
	enc := json.NewEncoder(w)
	return func(msg string) { _ = enc.Encode(map[string]any{"event": "note", "message": msg}) }
}

// writeDryRun prints what a dry run found would run: each migration's
// statements, exactly, in order, and after a partial run only what
// remains, with what the next run will do with a statement in doubt.
func writeDryRun(w io.Writer, res *executor.Result) {
	for _, ed := range res.WouldAccept {
		fmt.Fprintf(w, "Would accept the edited %s: %s; %s would be pinned to the file as it is now.\n",
			printable(ed.File), printable(ed.What), ed.Version)
	}
	verb := "Would apply"
	if res.Direction == executor.Down {
		verb = "Would revert"
	}
	for i, m := range res.Migrations {
		stmts := m.Statements(res.Direction)
		first := 0
		fmt.Fprintf(w, "%s %s %s (%s)\n", verb, m.Version, printable(m.Name), printable(m.File))
		if rs := res.Resume; i == 0 && rs != nil {
			first = rs.First()
			if rs.Done > 0 {
				fmt.Fprintf(w, "  (resuming: statements 1-%d ran in an earlier attempt and stay)\n", rs.Done)
			}
			if rs.InDoubt {
				fmt.Fprintf(w, "  Statement %d of %d is in doubt: %s\n", rs.Done+1, rs.Total, doubtForecast(rs))
			}
		}
		if (m.Online || res.OnlineAll) && (i > 0 || len(res.Online) == 0) {
			fmt.Fprintf(w, "  (-- schemactl:online: its ALTER TABLE statements go through pt-online-schema-change, each decided when it runs)\n")
		}
		for j := first; j < len(stmts); j++ {
			fmt.Fprintf(w, "  -- statement %d of %d%s\n", j+1, len(stmts), onlineForecast(res, i, j))
			// Verbatim, each line indented: none can pass for a line of
			// schemactl's own.
			lines := strings.Split(stmts[j].SQL, "\n")
			for k, l := range lines {
				semi := ""
				if k == len(lines)-1 {
					semi = ";"
				}
				fmt.Fprintf(w, "  %s%s\n", printable(strings.TrimRight(l, "\r")), semi)
			}
		}
	}
}

// onlineForecast is what a dry run foresees for statement j of migration
// i when it asks to run online: only the first migration's are foreseen,
// against the schema as it is now.
func onlineForecast(res *executor.Result, i, j int) string {
	if i != 0 {
		return ""
	}
	for _, f := range res.Online {
		switch {
		case f.Index != j+1:
		case f.Later:
			return ": online or as written, decided when it runs: " + printable(f.Why)
		case f.Online:
			return ": online, through pt-online-schema-change (as written if the server does it INSTANT, tried when it runs)"
		default:
			return ": as written, not online: " + printable(f.Why)
		}
	}
	return ""
}

// doubtForecast says in words what the next run does with a statement in
// doubt.
func doubtForecast(rs *executor.Resume) string {
	switch rs.Decision {
	case executor.DecideRerun:
		return rs.Why + "; it will run again"
	case executor.DecideSkip:
		return rs.Why + "; the run carries on after it"
	case executor.DecideRefuse:
		return "the next run will refuse: " + rs.Why
	}
	return rs.Why
}

// dryRunStatements counts the statements a dry run would run.
func dryRunStatements(res *executor.Result) int {
	n := 0
	for i, m := range res.Migrations {
		first := 0
		if i == 0 {
			first = res.Resume.First()
		}
		n += len(m.Statements(res.Direction)) - first
	}
	return n
}
