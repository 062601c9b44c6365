package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Setenv("PROJECT_TEST_URL", "mysql://app:s3cret@db:3306/app")
	tests := []struct {
		name string
		file string // schemactl.hcl or atlas.hcl
		src  string
		env  string
		vars map[string][]string
		want *Env
	}{
		{
			name: "all fields",
			src: `env "dev" {
  url = "sqlite://app.db"
  dev = "sqlite://file?mode=memory"
  src = ["schema.hcl", "more/"]
  migration { dir = "db/migrations" }
  lint {
    latest = 3
    git { base = "origin/main" }
  }
}`,
			env:  "dev",
			want: &Env{Name: "dev", URLs: []string{"sqlite://app.db"}, Dev: "sqlite://file?mode=memory", Src: []string{"schema.hcl", "more/"}, Dir: "db/migrations", Lint: Lint{Latest: 3, Base: "origin/main"}},
		},
		{
			name: "atlas spelling of paths",
			file: AtlasFileName,
			src:  "env \"local\" {\n  src = \"file://schema.hcl\"\n  migration { dir = \"file://migrations\" }\n}",
			env:  "local",
			want: &Env{Name: "local", Src: []string{"schema.hcl"}, Dir: "migrations"},
		},
		{
			name: "getenv and variable default",
			src: `variable "db" {
  type    = string
  default = "app"
}
env "prod" { url = "${getenv("PROJECT_TEST_URL")}?x=${var.db}" }`,
			env:  "prod",
			want: &Env{Name: "prod", URLs: []string{"mysql://app:s3cret@db:3306/app?x=app"}},
		},
		{
			name: "--var wins over the default",
			src:  `variable "path" { default = "a.db" }` + "\n" + `env "x" { url = "sqlite://${var.path}" }`,
			env:  "x",
			vars: map[string][]string{"path": {"b.db"}},
			want: &Env{Name: "x", URLs: []string{"sqlite://b.db"}},
		},
		{
			name: "getenv of an unset variable is empty",
			src:  `env "x" { url = getenv("PROJECT_TEST_UNSET_VARIABLE") }`,
			env:  "x",
			want: &Env{Name: "x", URLs: []string{""}},
		},
		{
			name: "url list",
			src:  `env "fleet" { url = ["sqlite://a.db", "sqlite://b.db"] }`,
			env:  "fleet",
			want: &Env{Name: "fleet", URLs: []string{"sqlite://a.db", "sqlite://b.db"}},
		},
		{
			name: "for_each over a list variable",
			file: AtlasFileName,
			src: `variable "tenants" { type = list(string) }
env "tenants" {
  for_each = toset(var.tenants)
  url      = urlsetpath("mysql://root@db:3306/", each.value)
}`,
			env:  "tenants",
			vars: map[string][]string{"tenants": {"a", "b"}},
			want: &Env{Name: "tenants", ForEach: true, URLs: []string{"mysql://root@db:3306/a", "mysql://root@db:3306/b"}},
		},
		{
			name: "other envs are not evaluated",
			src:  `env "a" { url = "sqlite://a.db" }` + "\n" + `env "b" { url = var.missing }`,
			env:  "a",
			want: &Env{Name: "a", URLs: []string{"sqlite://a.db"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = FileName
			}
			got, err := Parse(file, []byte(tt.src), t.TempDir(), tt.env, tt.vars)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = file
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Setenv("PROJECT_TEST_DOCKER", "docker://mysql/8/dev?password=s3cret")
	tests := []struct {
		name string
		file string
		src  string
		env  string
		vars map[string][]string
		want string
	}{
		{"no such env", "", `env "dev" {}` + "\n" + `env "ci" {}`, "prod", nil, `--env prod: schemactl.hcl has no env "prod" (it defines ci, dev)`},
		{"misspelt argument", "", `env "dev" {` + "\n" + `  urls = "x"` + "\n}", "dev", nil, `schemactl.hcl:2:3: env "dev": argument "urls" is not supported by schemactl`},
		{"atlas block refused by name", AtlasFileName, `data "external_schema" "orm" { program = ["x"] }`, "x", nil, `atlas.hcl:1:1: block "data" is not supported by schemactl (atlas.hcl is read only for the parts`},
		{"atlas lint rule refused by name", AtlasFileName, `env "x" {` + "\n" + `  lint {` + "\n" + `    destructive { error = false }` + "\n  }\n}", "x", nil, `atlas.hcl:3:5: env "x" lint: block "destructive" is not supported by schemactl`},
		{"atlas migration format refused", AtlasFileName, `env "x" {` + "\n" + `  migration {` + "\n" + `    dir = "file://m"` + "\n" + `    format = golang-migrate` + "\n  }\n}", "x", nil, `atlas.hcl:4:5: env "x" migration: argument "format" is not supported by schemactl`},
		{"docker dev refused, URL not printed", AtlasFileName, `env "x" { dev = getenv("PROJECT_TEST_DOCKER") }`, "x", nil, `atlas.hcl:1:11: env "x": dev: docker:// URLs are not supported`},
		{"cloud directory refused", AtlasFileName, `env "x" {` + "\n" + `migration { dir = "atlas://app" }` + "\n}", "x", nil, `atlas.hcl:2:13: migration dir: atlas:// is not supported by schemactl`},
		{"second env", "", `env "a" {}` + "\n" + `env "a" {}`, "a", nil, `schemactl.hcl:2:1: second env "a" (the first is at line 1)`},
		{"variable without value", "", `variable "v" {}` + "\n" + `env "a" {}`, "a", nil, `schemactl.hcl:1:1: variable "v" has no value: pass --var v=VALUE`},
		{"unknown --var", "", `env "a" {}`, "a", map[string][]string{"nope": {"1"}}, `--var nope: schemactl.hcl declares no variable "nope"`},
		{"url of the wrong type", "", `env "a" { url = true }`, "a", nil, `schemactl.hcl:1:11: url must be a string or a list of strings`},
		{"for_each of a string", AtlasFileName, `env "a" {` + "\n" + `for_each = "x"` + "\n" + `url = each.value` + "\n}", "a", nil, `atlas.hcl:2:1: env "a": for_each must be a set, list or map, not string`},
		{"for_each without url", AtlasFileName, `env "a" {` + "\n" + `for_each = ["x"]` + "\n}", "a", nil, `for_each without url`},
		{"empty url list", "", `env "a" { url = [] }`, "a", nil, `schemactl.hcl:1:11: url is an empty list`},
		{"syntax error", "", `env "a" {`, "a", nil, `schemactl.hcl:1:9: Unclosed configuration block`},
		{"undeclared variable", "", `env "a" { url = var.nope }`, "a", nil, `schemactl.hcl:1:20: Unsupported attribute; This object does not have an attribute named "nope".`},
		{"lint latest not a count", "", `env "a" {` + "\n" + `lint { latest = 0 }` + "\n}", "a", nil, `schemactl.hcl:2:8: env "a": lint latest must be a whole number above 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = FileName
			}
			_, err := Parse(file, []byte(tt.src), t.TempDir(), tt.env, tt.vars)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error quotes a password: %v", err)
			}
		})
	}
}

func TestAtlasDir(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"atlas.sum", map[string]string{"atlas.sum": "h1:x", "20240101000000_init.sql": "CREATE TABLE t (id int);"}, "it holds atlas.sum"},
		{"timestamped without sections", map[string]string{"20240101000000_init.sql": "CREATE TABLE t (id int);"}, "20240101000000_init.sql is a timestamped file without -- +up/-- +down"},
		{"schemactl files", map[string]string{"0001_init.sql": "-- +up\nCREATE TABLE t (id int);\n-- +down\nDROP TABLE t;\n", "schemactl.sum": ""}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := atlasDir(dir); got != tt.want {
				t.Errorf("atlasDir = %q, want %q", got, tt.want)
			}
		})
	}
	if got := atlasDir(filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Errorf("missing directory: %q", got)
	}
}

func TestLoadPrefersSchemactlFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, "x", nil); err == nil || !strings.Contains(err.Error(), "no schemactl.hcl (or atlas.hcl)") {
		t.Fatalf("no file: %v", err)
	}
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(AtlasFileName, `env "x" { url = "sqlite://atlas.db" }`)
	if e, err := Load(dir, "x", nil); err != nil || e.URLs[0] != "sqlite://atlas.db" || e.File != AtlasFileName {
		t.Fatalf("atlas.hcl alone: %+v, %v", e, err)
	}
	write(FileName, `env "x" { url = "sqlite://schemactl.db" }`)
	if e, err := Load(dir, "x", nil); err != nil || e.URLs[0] != "sqlite://schemactl.db" || e.File != FileName {
		t.Fatalf("both: %+v, %v", e, err)
	}
}
