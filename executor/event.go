package executor

import "time"

// Event is progress reported to Executor.Observer while migrations run. It is
// one of *MigrationStart, *StatementStart, *StatementDone, *MigrationDone,
// *MigrationFailed, *VersionMoved and *PreflightWarning. Events are delivered synchronously, on
// the goroutine running the migration, in order.
type Event interface{ event() }

// MigrationStart: a migration begins in direction Direction.
type MigrationStart struct {
	Migration *Migration
	Direction Direction
	// Resume is the number of statements that ran in an earlier, failed
	// attempt and are skipped now (engines without transactional DDL).
	Resume int
	// Online: its ALTER TABLE statements go online (its header, or
	// Executor.OnlineAll).
	Online bool
}

// StatementStart: a statement is about to run. A long statement (a table
// rebuild's copy) can take a while; this lets a terminal show what runs.
type StatementStart struct {
	Migration *Migration
	Direction Direction
	Index     int // 1-based
	Total     int
	Stmt      Statement
}

// StatementDone: a statement succeeded.
type StatementDone struct {
	Migration *Migration
	Direction Direction
	Index     int // 1-based
	Total     int
	Stmt      Statement
	Duration  time.Duration
}

// MigrationDone: a migration and its version bump committed.
type MigrationDone struct {
	Migration  *Migration
	Direction  Direction
	Version    string // the version the database is at now; "" = base
	Statements int    // statements run by this attempt
	Duration   time.Duration
}

// EditAccepted: an applied migration's edited file was recorded as what
// its version is pinned to (Executor.AcceptEdited).
type EditAccepted struct {
	Edit *Edit
}

// MigrationFailed: a migration failed; on transactional engines it was
// rolled back. Err is also returned by the call.
type MigrationFailed struct {
	Migration *Migration
	Direction Direction
	Err       error
}

// DoubtResolved: statement Index was running when an earlier run
// stopped; this run decided, under the lock, whether it took effect (it
// then resumes after it) or not (it runs it), for the reason Why.
type DoubtResolved struct {
	Migration  *Migration
	Direction  Direction
	Index      int // 1-based
	Total      int
	TookEffect bool
	Why        string
}

// VersionMoved: another process changed the version while this one waited
// for the lock; the run carries on from Found.
type VersionMoved struct {
	Expected string
	Found    string
}

// OnlineStatement: statement Index of an online migration, an ALTER
// TABLE, runs through the online tool (Online), or as it is for the
// reason Why.
type OnlineStatement struct {
	Migration *Migration
	Direction Direction
	Index     int // 1-based
	Total     int
	Online    bool
	Why       string
}

// OnlineProgress: the online tool reports how far its copy got.
type OnlineProgress struct {
	Migration *Migration
	Direction Direction
	Index     int // 1-based
	Total     int
	Text      string // the tool's own line: "Copying `db`.`t`:  45% 00:12 remain"
}

// OnlineCleaned: before deciding a statement in doubt that ran online,
// the run removed what the killed tool left (its triggers, its copy), or
// found something it leaves to the operator.
type OnlineCleaned struct {
	Migration *Migration
	Direction Direction
	What      []string
}

func (*OnlineStatement) event() {}
func (*OnlineProgress) event()  {}
func (*OnlineCleaned) event()   {}
func (*MigrationStart) event()  {}
func (*StatementStart) event()  {}
func (*StatementDone) event()   {}
func (*MigrationDone) event()   {}
func (*MigrationFailed) event() {}
func (*VersionMoved) event()    {}
func (*EditAccepted) event()    {}
func (*DoubtResolved) event()   {}
