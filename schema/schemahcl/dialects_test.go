package schemahcl

import (
	"maps"
	"slices"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
)

// The dialects the tests decode for: MySQL without a server, as schemactl
// validate --dialect mysql has it.
var (
	sqliteDialect Dialect = sqlite.New()
	mysqlDialect  Dialect = mysql.New(mysql.Flavor{})
)

// dialectFor returns the dialect of a name the test tables use.
func dialectFor(dl schema.Dialect) Dialect {
	if dl == schema.MySQL {
		return mysqlDialect
	}
	return sqliteDialect
}

// Both dialects are what the language asks for.
var (
	_ Dialect = (*sqlite.Dialect)(nil)
	_ Dialect = (*mysql.Dialect)(nil)
)

// TestDialectsInStep keeps what each dialect says about the others true,
// now that each keeps its own list: a type it calls another engine's is
// one of another dialect's and not its own, every type of another dialect
// it lacks has its hint, and each engine-specific attribute and block of
// the language is, for each dialect, had, ignored, or another's, named by
// the engine that has it.
func TestDialectsInStep(t *testing.T) {
	dialects := []Dialect{sqliteDialect, mysqlDialect}
	specific := map[string]bool{}
	for _, spec := range bodySpecs {
		for _, it := range append(spec.attrs, spec.blocks...) {
			if it.engine {
				specific[spec.kind+"."+it.name] = true
			}
		}
	}
	for _, d := range dialects {
		lang := d.Language()
		own, others := typeNames(d), map[string]bool{}
		for _, o := range dialects {
			if o != d {
				maps.Copy(others, typeNames(o))
			}
		}
		for name := range lang.ForeignTypes {
			if own[name] || !others[name] {
				t.Errorf("%s: hint for %q, which is its own type or no other dialect's", lang.Engine, name)
			}
		}
		for name := range others {
			if _, ok := lang.ForeignTypes[name]; !own[name] && !ok {
				t.Errorf("%s: no hint for %q, a type of another dialect", lang.Engine, name)
			}
		}

		for key := range specific {
			has, ignored := slices.Contains(lang.Attrs, key), slices.Contains(lang.Ignored, key)
			owner, foreign := lang.ForeignAttrs[key]
			switch {
			case has && !ignored && !foreign, ignored && !has && !foreign:
			case foreign && !has && !ignored:
				if !slices.ContainsFunc(dialects, func(o Dialect) bool {
					return o.Language().Engine == owner && slices.Contains(o.Language().Attrs, key)
				}) {
					t.Errorf("%s: %s is said to be %s's, which does not have it", lang.Engine, key, owner)
				}
			default:
				t.Errorf("%s: %s must be exactly one of had, ignored or another engine's (had %v, ignored %v, another's %v)", lang.Engine, key, has, ignored, foreign)
			}
		}
		listed := slices.Concat(lang.Attrs, lang.Ignored, slices.Collect(maps.Keys(lang.ForeignAttrs)))
		for _, key := range listed {
			if !specific[key] {
				t.Errorf("%s: %s is no engine-specific attribute or block of the language", lang.Engine, key)
			}
		}
	}
}

func typeNames(d Dialect) map[string]bool {
	names := map[string]bool{}
	for _, s := range d.Language().Types {
		names[s.Name] = true
	}
	return names
}
