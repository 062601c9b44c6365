package sqlite

import (
	"fmt"

	"github.com/schemactl/schemactl/schema"
)

// Narrows reports whether changing a column from one definition to the other
// can lose or reject existing data, with a reason that names the column. A
// SQLite column keeps whatever a value's affinity conversion gives, so the
// decision table is over affinities (Skeema's approach, with SQLite's
// rules):
//
//   - same affinity: safe, unless the declared length of a text or blob, or
//     the precision or scale of a numeric, shrinks (SQLite does not enforce
//     it, but the declaration promises less);
//   - to BLOB, or INTEGER to NUMERIC/TEXT, or REAL/NUMERIC to INTEGER: safe,
//     every value is kept as it is or converted losslessly;
//   - INTEGER/NUMERIC to REAL: integers beyond 2^53 lose precision;
//   - REAL/NUMERIC to TEXT: reals are converted with 15 significant digits;
//   - TEXT/BLOB to INTEGER/REAL/NUMERIC: text that looks like a number is
//     converted ('007' becomes 7), and a STRICT table rejects the rest;
//   - a column that becomes generated loses its stored values.
//
// Making a column NOT NULL is not narrowing: it fails or succeeds as a whole
// depending on the data, which the planner reports separately.
func (*Dialect) Narrows(from, to *schema.Column) (bool, string) {
	if from == nil || to == nil {
		return false, ""
	}
	if to.Generated != nil && from.Generated == nil {
		return true, fmt.Sprintf("column %q becomes generated: its stored values are replaced by %s", to.Name, to.Generated.Expr)
	}
	ft, tt := normalizeType(from.Type), normalizeType(to.Type)
	if ft.Equal(tt) {
		return false, ""
	}
	fa, ta := typeAffinity(ft), typeAffinity(tt)
	change := fmt.Sprintf("column %q changes from %s to %s", to.Name, declared(ft), declared(tt))
	if fa == ta {
		if fa != affInteger && fa != affReal && shrinks(ft, tt) {
			return true, change + ": the declared size shrinks (SQLite does not enforce it, but the data may no longer fit the declaration)"
		}
		return false, ""
	}
	switch {
	case ta == affBlob:
		return false, ""
	case fa == affInteger && (ta == affNumeric || ta == affText):
		return false, ""
	case (fa == affReal || fa == affNumeric) && ta == affInteger:
		return false, ""
	case fa == affReal && ta == affNumeric:
		return false, ""
	case (fa == affInteger || fa == affNumeric) && ta == affReal:
		return true, change + fmt.Sprintf(" (%s to %s affinity): integers beyond 2^53 lose precision", fa, ta)
	case (fa == affReal || fa == affNumeric) && ta == affText:
		return true, change + fmt.Sprintf(" (%s to %s affinity): real values are converted to text with 15 significant digits", fa, ta)
	}
	return true, change + fmt.Sprintf(" (%s to %s affinity): text that looks like a number is converted, e.g. '007' becomes 7", fa, ta)
}

// shrinks reports whether the declared length, precision or scale of to is
// smaller than that of from, or from has none (unbounded) and to has one.
// Integer and real sizes are display widths only and are not compared.
func shrinks(from, to schema.Type) bool {
	if to.Args == nil {
		return false
	}
	if from.Args == nil {
		return true
	}
	for k := range min(len(from.Args), len(to.Args)) {
		if to.Args[k] < from.Args[k] {
			return true
		}
	}
	return len(to.Args) < len(from.Args)
}
