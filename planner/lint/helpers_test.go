package lint

import "github.com/schemactl/schemactl/planner/internal/plantest"

// The shared builders under short names, so that test tables read as data.
var (
	realm      = plantest.Realm
	typ        = plantest.Type
	col        = plantest.Col
	pk         = plantest.PK
	idx        = plantest.Idx
	fk         = plantest.FK
	hero       = plantest.Hero
	team       = plantest.Team
	with       = plantest.With
	users      = plantest.Users
	members    = plantest.Members
	cmpChanges = plantest.CmpChanges
)

type (
	fakeDialect = plantest.FakeDialect
	lintDialect = plantest.LintDialect
)

var (
	_ Dialect    = fakeDialect{}
	_ Rebuilder  = lintDialect{}
	_ NullFiller = lintDialect{}
)
