package mysql

import "testing"

func TestParseFlavor(t *testing.T) {
	tests := []struct {
		version                   string
		maria                     bool
		major, minor, patch       int
		renameColumn, exprIndexes bool
		defaultUTF8MB4            string
	}{
		{"10.11.19-MariaDB-0+deb12u1", true, 10, 11, 19, true, false, "utf8mb4_general_ci"},
		{"5.5.5-10.4.8-MariaDB-log", true, 10, 4, 8, false, false, "utf8mb4_general_ci"},
		{"8.0.36", false, 8, 0, 36, true, true, "utf8mb4_0900_ai_ci"},
		{"8.0.12-log", false, 8, 0, 12, true, false, "utf8mb4_0900_ai_ci"},
		{"5.7.44", false, 5, 7, 44, false, false, "utf8mb4_general_ci"},
		{"8.4.0-commercial", false, 8, 4, 0, true, true, "utf8mb4_0900_ai_ci"},
	}
	for _, tt := range tests {
		f := ParseFlavor(tt.version)
		if f.MariaDB != tt.maria || f.Major != tt.major || f.Minor != tt.minor || f.Patch != tt.patch {
			t.Errorf("ParseFlavor(%q) = %s", tt.version, f)
		}
		if f.RenameColumn() != tt.renameColumn || f.ExpressionIndexes() != tt.exprIndexes {
			t.Errorf("%s: RenameColumn %v, ExpressionIndexes %v", f, f.RenameColumn(), f.ExpressionIndexes())
		}
		if got := f.DefaultCollation("utf8mb4"); got != tt.defaultUTF8MB4 {
			t.Errorf("%s: default collation of utf8mb4 %s, want %s", f, got, tt.defaultUTF8MB4)
		}
	}
}

func TestCharsetNames(t *testing.T) {
	f := Flavor{}
	if got := f.DefaultCollation("utf8"); got != "utf8mb3_general_ci" {
		t.Errorf("default collation of utf8 = %s", got)
	}
	for in, want := range map[string]string{"utf8_bin": "utf8mb3", "utf8mb4_0900_ai_ci": "utf8mb4", "binary": "binary", "latin1_swedish_ci": "latin1"} {
		if got := charsetOf(in); got != want {
			t.Errorf("charsetOf(%s) = %s, want %s", in, got, want)
		}
	}
	if got := f.MaxLen("utf8"); got != 3 {
		t.Errorf("MaxLen(utf8) = %d", got)
	}
}

func TestLockName(t *testing.T) {
	if got := lockName("app"); got != "schemactl:app" {
		t.Errorf("lockName(app) = %s", got)
	}
	long := lockName("a_database_name_that_is_long_enough_to_push_the_lock_past_64_bytes")
	if len(long) > 64 {
		t.Errorf("lock name %q is %d bytes", long, len(long))
	}
}

func TestMigrationMode(t *testing.T) {
	got := migrationMode("ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES")
	if want := "ANSI_QUOTES,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION"; got != want {
		t.Errorf("migrationMode = %s, want %s", got, want)
	}
}
