package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// readGalera reports whether the server is a member of a Galera cluster:
// @@GLOBAL.wsrep_on. MySQL has no such variable (no row); a MariaDB built
// with wsrep support but run alone has it OFF.
func readGalera(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, scope string) (bool, error) {
	var name, value string
	err := q.QueryRowContext(ctx, "SHOW "+scope+" VARIABLES LIKE 'wsrep\\_on'").Scan(&name, &value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read %s wsrep_on: %w", strings.ToLower(scope), err)
	}
	return strings.EqualFold(value, "ON") || value == "1", nil
}

// ErrNodeLocalSession is wrapped when a session on a Galera node has
// wsrep_on turned off: what it writes stays on that node, so the version
// rows would say one thing on it and another on every other node.
var ErrNodeLocalSession = errors.New("this session has wsrep_on=OFF on a Galera node: its writes would not replicate")

// ErrRollingSchemaUpgrade is wrapped when a session on a Galera node
// would run DDL other than in Total Order Isolation: under RSU the schema
// changes on that node only, while the version rows replicate to every
// node, which would then claim a schema it does not have.
var ErrRollingSchemaUpgrade = errors.New("this session runs DDL node by node (RSU) on a Galera node: its schema changes would not replicate, its version rows would")

// Cluster reports whether conn's server is a Galera node, whose session
// locks (GET_LOCK) are node-local: the executor then takes its lock as a
// lease in a replicated table instead. It refuses a session with wsrep_on
// off on a cluster member, and turns wsrep_sync_wait on for conn, so that
// what the run reads to decide (the version under the lock, the last run)
// is what the whole cluster has committed, whichever node conn is on.
// restore puts wsrep_sync_wait back: conn may be an application's.
func (*Dialect) Cluster(ctx context.Context, conn *sql.Conn) (clustered bool, restore func() error, err error) {
	global, err := readGalera(ctx, conn, "GLOBAL")
	if err != nil || !global {
		return false, nil, err
	}
	session, err := readGalera(ctx, conn, "SESSION")
	if err != nil {
		return false, nil, err
	}
	if !session {
		return false, nil, fmt.Errorf("%w: refusing to run; SET SESSION wsrep_on = ON", ErrNodeLocalSession)
	}
	var wait int
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.wsrep_sync_wait").Scan(&wait); err != nil {
		return false, nil, fmt.Errorf("read wsrep_sync_wait: %w", err)
	}
	if wait&1 != 0 {
		return true, func() error { return nil }, nil
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION wsrep_sync_wait = ?", wait|1); err != nil {
		return false, nil, fmt.Errorf("set wsrep_sync_wait: %w", err)
	}
	return true, func() error {
		_, err := conn.ExecContext(context.Background(), "SET SESSION wsrep_sync_wait = ?", wait)
		return err
	}, nil
}

// CheckClusterDDL refuses a cluster session whose DDL would change its
// node only (wsrep_OSU_method=RSU), before a run takes the lock: the
// version rows would replicate, the schema would not. TOI, and NBO where
// the cluster has it, replicate DDL to every node. Reads are not
// concerned: status and history work in such a session.
func (*Dialect) CheckClusterDDL(ctx context.Context, conn *sql.Conn) error {
	var osu string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.wsrep_OSU_method").Scan(&osu); err != nil {
		return fmt.Errorf("read wsrep_OSU_method: %w", err)
	}
	if strings.EqualFold(osu, "RSU") {
		return fmt.Errorf("%w: refusing to run; SET SESSION wsrep_OSU_method = TOI", ErrRollingSchemaUpgrade)
	}
	return nil
}

// ErrGaleraSessionLock is returned by AcquireLock on a Galera node:
// GET_LOCK there locks one node only (MariaDB documents it as unsupported
// under Galera, and some releases fail it), so two runs through two nodes
// would both hold "the" lock.
var ErrGaleraSessionLock = errors.New("GET_LOCK is node-local on a Galera cluster; the migration lock must be the executor's lease")

// ClusterCheck refuses, on a Galera node, desired tables the cluster does
// not replicate safely: Galera replicates InnoDB tables only (MyISAM and
// Aria changes stay on the node that made them), and the row changes of a
// table without a primary key are applied by full scans and may diverge
// between nodes. A table without an engine gets the server's default and
// is left to it. Nothing is refused on a server that is not a cluster
// node, nor by lint, which does not know its target.
func (d *Dialect) ClusterCheck(desired *schema.Realm) error {
	if !d.Flavor.Galera || desired == nil {
		return nil
	}
	var problems []string
	for _, s := range desired.Schemas {
		for _, t := range s.Tables {
			if t.PrimaryKey == nil {
				problems = append(problems, fmt.Sprintf("table %q has no primary key", t.Name))
			}
			if t.Engine != "" && !strings.EqualFold(t.Engine, "InnoDB") {
				problems = append(problems, fmt.Sprintf("table %q uses engine %s, not InnoDB", t.Name, t.Engine))
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("the target is a Galera cluster node, which replicates only InnoDB tables with a primary key safely: %s", strings.Join(problems, "; "))
}

// ClusterNote is what apply says before the first migration runs on a
// Galera node; "" on any other server. It goes to the output, never into
// planned files, which stay the same for every server.
func (d *Dialect) ClusterNote() string {
	if !d.Flavor.Galera {
		return ""
	}
	return "the target is a Galera cluster node: the migration lock is a lease replicated to every node, " +
		"and DDL runs under TOI, which blocks commits on every node of the cluster while each statement runs (RSU is not supported)"
}

// galeraFindings are the statements of a migration that would leave a
// table Galera does not replicate safely (see ClusterCheck): a CREATE
// TABLE without a primary key or with an engine other than InnoDB, an
// ALTER TABLE to another engine or dropping the primary key without
// adding one. CREATE TABLE … LIKE and temporary tables are left alone (the
// first copies a table that is checked itself, the second is the
// session's own).
func galeraFindings(stmts []string) []PreflightFinding {
	var out []PreflightFinding
	for i, s := range stmts {
		if p := galeraProblem(s); p != "" {
			out = append(out, PreflightFinding{Statement: i, Problem: p + ": a Galera cluster replicates only InnoDB tables with a primary key safely"})
		}
	}
	return out
}

func galeraProblem(stmt string) string {
	if ClassifyText(stmt).Kind != sqltext.DDL {
		return ""
	}
	toks := code(stmt)
	c := sqltext.NewCursor(toks)
	switch c.Word() {
	case "CREATE":
		for _, a := range modifiers(c) {
			if a == "TEMPORARY" {
				return ""
			}
		}
		if c.Accept("TABLE") == "" {
			return ""
		}
		c.AcceptSeq("IF", "NOT", "EXISTS")
		_, name, ok := c.Name()
		if !ok || c.Is("LIKE") || c.Peek().IsOp("(") && len(c.Rest()) > 1 && c.Rest()[1].Is("LIKE") {
			return ""
		}
		rest := c.Rest()
		if e := engineOf(rest); e != "" && !strings.EqualFold(e, "InnoDB") {
			return fmt.Sprintf("table %q uses engine %s, not InnoDB", name, e)
		}
		if !hasSeq(rest, "PRIMARY", "KEY") {
			return fmt.Sprintf("table %q has no primary key", name)
		}
	case "ALTER":
		c.Accept("ONLINE")
		c.Accept("IGNORE")
		if c.Accept("TABLE") == "" {
			return ""
		}
		_, name, ok := c.Name()
		if !ok {
			return ""
		}
		rest := c.Rest()
		if e := engineOf(rest); e != "" && !strings.EqualFold(e, "InnoDB") {
			return fmt.Sprintf("table %q would use engine %s, not InnoDB", name, e)
		}
		if hasSeq(rest, "DROP", "PRIMARY", "KEY") && !hasSeq(rest, "ADD", "PRIMARY", "KEY") && !hasSeq(rest, "PRIMARY", "KEY", "(") {
			return fmt.Sprintf("table %q would have no primary key", name)
		}
	}
	return ""
}

// engineOf is the value of an ENGINE [=] name table option among toks.
func engineOf(toks []sqltext.Token) string {
	for i, t := range toks {
		if !t.Is("ENGINE") {
			continue
		}
		j := i + 1
		if j < len(toks) && toks[j].IsOp("=") {
			j++
		}
		if j < len(toks) {
			return strings.Trim(toks[j].Text, "`'\"")
		}
	}
	return ""
}

// hasSeq reports whether words follow each other in toks ("(" matches the
// operator).
func hasSeq(toks []sqltext.Token, words ...string) bool {
	for i := range toks {
		ok := i+len(words) <= len(toks)
		for j := 0; ok && j < len(words); j++ {
			t := toks[i+j]
			ok = t.Is(words[j]) || words[j] == "(" && t.IsOp("(")
		}
		if ok {
			return true
		}
	}
	return false
}
