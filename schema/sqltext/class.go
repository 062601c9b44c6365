package sqltext

// Class is what running a statement does, as far as recovering from an
// interrupted migration must know it: whether it can run inside the
// migration's transaction, and which objects a statement that cannot would
// change, so that their catalog entries can be compared before and after.
type Class struct {
	Kind ClassKind
	// Verb is the statement's leading keywords in upper case, e.g.
	// "INSERT", "ALTER TABLE", "CREATE UNIQUE INDEX", "SET".
	Verb string
	// Objects are what the statement creates, changes or drops; for DML,
	// the tables it writes.
	Objects []Object
	// Transactional is set when the statement's effect commits or rolls
	// back with the transaction it runs in: DML on transactional tables
	// (InnoDB), and every statement on SQLite. A lexical classification
	// leaves it false; the dialect's catalog-aware one sets it.
	Transactional bool
}

// ClassKind is the broad kind of a statement.
type ClassKind uint8

const (
	// Unknown is a statement the dialect does not recognise.
	Unknown ClassKind = iota
	// DML writes rows: INSERT, UPDATE, DELETE, REPLACE.
	DML
	// DDL changes the catalog in a way inspection shows: CREATE, ALTER,
	// DROP or RENAME of tables, indexes, views, triggers and routines.
	// MySQL commits before and after each one.
	DDL
	// Session changes only the session: SET, USE.
	Session
	// Opaque has an effect the catalog cannot show: TRUNCATE, OPTIMIZE,
	// ANALYZE, GRANT, REVOKE, CALL, LOAD DATA, FLUSH, LOCK TABLES, ….
	Opaque
	// Read only reads: SELECT, SHOW, EXPLAIN, WITH … SELECT.
	Read
)

func (k ClassKind) String() string {
	switch k {
	case DML:
		return "dml"
	case DDL:
		return "ddl"
	case Session:
		return "session"
	case Opaque:
		return "opaque"
	case Read:
		return "read"
	}
	return "unknown"
}

// Object is a database object a statement touches.
type Object struct {
	// Kind is "table", "index", "view", "trigger", "procedure", "function",
	// "event" or "database".
	Kind string
	// Schema is the database the statement names ("" = the current one).
	Schema string
	Name   string
	// Table is the table of an index or trigger; "" otherwise.
	Table string
}
