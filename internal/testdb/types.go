package testdb

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// RegistryTypes writes every type of a dialect's registry as HCL, once
// for each number of arguments it takes, with arguments its check
// accepts: the types a registry test creates on the real engine.
func RegistryTypes(specs []schema.TypeSpec) []string {
	var out []string
	for _, s := range specs {
		name := strings.ReplaceAll(s.Name, " ", "_")
		if s.Values {
			out = append(out, name+`("a", "b")`)
			continue
		}
		for n := s.MinArgs; n <= s.MaxArgs; n++ {
			switch n {
			case 0:
				out = append(out, name)
			case 1:
				for _, a := range []int{10, 6, 4} {
					if s.Check == nil || s.Check(name, []int{a}) == "" {
						out = append(out, fmt.Sprintf("%s(%d)", name, a))
						break
					}
				}
			case 2:
				out = append(out, name+"(10, 2)")
			}
		}
	}
	return out
}

// RegistryHCL is a document of one table with one nullable column of type
// typ, as Encode writes it.
func RegistryHCL(schemaName, table, typ string) string {
	return fmt.Sprintf("schema %q {}\n\ntable %q {\n  schema = schema.%s\n  column \"c\" {\n    null = true\n    type = %s\n  }\n}\n",
		schemaName, table, schemaName, typ)
}
