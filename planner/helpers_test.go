package planner

import "github.com/schemactl/schemactl/planner/internal/plantest"

// The shared builders under short names, so that test tables read as data.
var (
	realm      = plantest.Realm
	typ        = plantest.Type
	col        = plantest.Col
	pk         = plantest.PK
	idx        = plantest.Idx
	parts      = plantest.Parts
	fk         = plantest.FK
	check      = plantest.Check
	hero       = plantest.Hero
	team       = plantest.Team
	simple     = plantest.Simple
	with       = plantest.With
	users      = plantest.Users
	members    = plantest.Members
	withTeam   = plantest.WithTeam
	cmpChanges = plantest.CmpChanges
	cmpModel   = plantest.CmpModel
)

type fakeDialect = plantest.FakeDialect

var _ Dialect = fakeDialect{}
