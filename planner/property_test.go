package planner

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/schema"
)

// corpus returns schema states that differ in every way the planner knows:
// tables added and dropped, renames (with hints), foreign key chains, a
// cycle and a self-reference, column attributes, keys, checks and options.
// Every pair of them is a plan the properties below must hold for.
func corpus() map[string]*schema.Realm {
	s1 := func() []*schema.Table {
		return []*schema.Table{
			with(users(), func(t *schema.Table) { t.Charset, t.Engine = "utf8mb4", "InnoDB" }),
			{
				Name: "posts",
				Columns: []*schema.Column{
					col("id", typ("integer"), false),
					col("user_id", typ("integer"), true),
					col("title", typ("text"), false),
				},
				PrimaryKey:  pk("id"),
				ForeignKeys: []*schema.ForeignKey{fk("posts_user_fk", []string{"user_id"}, "users", "id")},
			},
		}
	}
	tags := func() *schema.Table {
		return &schema.Table{
			Name:       "tags",
			Columns:    []*schema.Column{col("name", typ("varchar", 50), false)},
			PrimaryKey: pk("name"),
		}
	}
	c := map[string]*schema.Realm{"empty": realm()}
	c["blog"] = realm(s1()...)
	c["blog grown"] = realm(append(s1(), tags())...)
	g := c["blog grown"].Schemas[0]
	g.Tables[0].Columns = append(g.Tables[0].Columns, col("email", typ("text"), true))
	g.Tables[0].Indexes = append(g.Tables[0].Indexes, idx("users_email_uq", true, "email"))
	g.Tables[1].Columns = append(g.Tables[1].Columns, &schema.Column{
		Name: "body", Type: typ("text"), Default: &schema.Default{Kind: schema.DefaultString, Value: ""},
	})
	g.Tables[1].Columns[1].Null = false
	g.Tables[1].Checks = []*schema.Check{check("posts_title_len", "length(title) > 0")}
	g.Tables[1].Comment = "articles"
	g.Tables[1].ForeignKeys[0].OnDelete = schema.Cascade

	c["blog renamed"] = realm(
		with(members(), func(t *schema.Table) {
			t.Charset, t.Engine = "utf8mb4", "InnoDB"
			t.Columns[1].Type = typ("varchar", 200)
		}),
		&schema.Table{
			Name: "posts",
			Columns: []*schema.Column{
				col("id", typ("integer"), false),
				{Name: "author_id", RenamedFrom: "user_id", Type: typ("integer"), Null: true},
				col("title", typ("text"), false),
			},
			PrimaryKey:  pk("id"),
			ForeignKeys: []*schema.ForeignKey{fk("posts_user_fk", []string{"author_id"}, "members", "id")},
		},
	)
	c["blog cyclic"] = realm(s1()...)
	y := c["blog cyclic"].Schemas[0]
	y.Tables[0].Columns = append(y.Tables[0].Columns, col("best_post_id", typ("integer"), true))
	y.Tables[0].ForeignKeys = []*schema.ForeignKey{fk("users_best_post_fk", []string{"best_post_id"}, "posts", "id")}
	y.Tables[1].Columns = append(y.Tables[1].Columns, col("parent_id", typ("integer"), true))
	y.Tables[1].ForeignKeys = append(y.Tables[1].ForeignKeys, fk("posts_parent_fk", []string{"parent_id"}, "posts", "id"))

	c["blog retyped"] = realm(s1()...)
	r := c["blog retyped"].Schemas[0]
	r.Charset, r.Collate = "utf8mb4", "utf8mb4_bin"
	r.Tables[0].Columns[1].Type = typ("text")
	r.Tables[0].Columns[1].Comment = "display name"
	// AUTO_INCREMENT is left alone: it is a counter that plans only
	// raise, so down cannot restore it (see the unit tests).
	r.Tables[0].Engine, r.Tables[0].Comment = "MyISAM", "people"
	r.Tables[0].Indexes[0].Parts[0].Desc = true
	r.Tables[1].PrimaryKey = pk("id", "title")
	r.Tables[1].Checks = []*schema.Check{check("", "id > 0")}
	r.Tables[1].Columns[2].Generated = &schema.Generated{Expr: "upper(title)", Stored: true}
	r.Tables[1].Strict = true

	c["tags only"] = realm(tags(), with(simple("comments"), func(t *schema.Table) {
		t.Columns = append(t.Columns, col("tag", typ("varchar", 50), false))
		t.ForeignKeys = []*schema.ForeignKey{fk("comments_tag_fk", []string{"tag"}, "tags", "name")}
	}))
	c["pair cycle"] = realm(append(s1(), simple("a", "b"), simple("b", "a"))...)
	c["pair cycle changed"] = realm(append(s1(),
		with(simple("a", "b"), func(t *schema.Table) {
			t.ForeignKeys[0].OnDelete = schema.SetNull
			t.Columns = append(t.Columns, col("extra", typ("integer"), true))
		}),
		with(simple("b", "a"), func(t *schema.Table) { t.Columns[0].Type = typ("bigint") }),
	)...)
	return c
}

func names(c map[string]*schema.Realm) []string {
	var n []string
	for k := range c {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// deepCopy copies a realm so that a test can tell whether it was mutated.
func deepCopy(r *schema.Realm) *schema.Realm {
	s := *r.Schemas[0]
	s.Tables = cloneSlice(s.Tables, cloneTable)
	return &schema.Realm{Schemas: []*schema.Schema{&s}}
}

func TestDiffSelfIsEmpty(t *testing.T) {
	c := corpus()
	for _, n := range names(c) {
		got, err := Diff(c[n], c[n], fakeDialect{})
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if len(got) != 0 {
			t.Errorf("%s: Diff(x, x) = %v, want no changes", n, describeAll(got))
		}
	}
}

// TestPlanProperties checks, for every pair (x, y) of the corpus:
// applying up to x gives y (convergence) and a second plan is empty
// (idempotence); applying down after up gives x back (reversibility); the
// reverse of the reverse plan is the plan; the plan does not depend on the
// order of tables in the input, and the inputs are never mutated.
func TestPlanProperties(t *testing.T) {
	c := corpus()
	for _, xn := range names(c) {
		for _, yn := range names(c) {
			t.Run(fmt.Sprintf("%s to %s", xn, yn), func(t *testing.T) {
				t.Parallel()
				x, y := inspected(c[xn]), c[yn]
				x0, y0 := deepCopy(x), deepCopy(y)
				up, err := diffRealms(x, y, engineFacts{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(x0, x); diff != "" {
					t.Fatalf("current was mutated:\n%s", diff)
				}
				if diff := gocmp.Diff(y0, y); diff != "" {
					t.Fatalf("desired was mutated:\n%s", diff)
				}

				after, err := applyChanges(x, up.changes)
				if err != nil {
					t.Fatalf("apply up %v: %v", describeAll(up.changes), err)
				}
				if diff := gocmp.Diff(up.applied, after, cmpModel); diff != "" {
					t.Errorf("state after up (-applied +got):\n%s", diff)
				}
				if again, err := Diff(after, y, fakeDialect{}); err != nil || len(again) != 0 {
					t.Errorf("second plan = %v, %v; want no changes", describeAll(again), err)
				}

				down, err := diffRealms(up.applied, up.reverseTarget, engineFacts{})
				if err != nil {
					t.Fatal(err)
				}
				back, err := applyChanges(after, down.changes)
				if err != nil {
					t.Fatalf("apply down %v: %v", describeAll(down.changes), err)
				}
				if diff := gocmp.Diff(x, back, cmpModel); diff != "" {
					t.Errorf("state after down (-current +got):\n%s", diff)
				}

				again, err := diffRealms(down.applied, down.reverseTarget, engineFacts{})
				if err != nil {
					t.Fatal(err)
				}
				// ModifySchema carries whole schemas; their tables are
				// compared through the table changes.
				ignoreTables := cmpopts.IgnoreFields(schema.Schema{}, "Tables")
				if diff := gocmp.Diff(up.changes, again.changes, cmpModel, ignoreTables); diff != "" {
					t.Errorf("reverse of reverse (-up +got):\n%s", diff)
				}

				shuffled, err := Diff(reversed(x), reversed(y), fakeDialect{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(up.changes, shuffled, cmpModel); diff != "" {
					t.Errorf("plan depends on input order (-sorted +reversed):\n%s", diff)
				}
			})
		}
	}
}

// inspected returns r as an inspection reports it: every option the HCL
// may leave to the server has the server's value.
func inspected(r *schema.Realm) *schema.Realm {
	c := deepCopy(r)
	s := c.Schemas[0]
	s.Charset = cmp.Or(s.Charset, "latin1")
	s.Collate = cmp.Or(s.Collate, "latin1_swedish_ci")
	for _, t := range s.Tables {
		t.Charset = cmp.Or(t.Charset, s.Charset)
		t.Collate = cmp.Or(t.Collate, s.Collate)
		t.Engine = cmp.Or(t.Engine, "InnoDB")
	}
	return c
}

// reversed returns r with its tables and their keys in reverse order.
func reversed(r *schema.Realm) *schema.Realm {
	c := deepCopy(r)
	s := c.Schemas[0]
	slices.Reverse(s.Tables)
	for _, t := range s.Tables {
		slices.Reverse(t.Indexes)
		slices.Reverse(t.ForeignKeys)
	}
	return c
}

func TestDiffDeterministic(t *testing.T) {
	c := corpus()
	for _, xn := range names(c) {
		for _, yn := range names(c) {
			a, errA := Diff(c[xn], c[yn], fakeDialect{})
			b, errB := Diff(c[xn], c[yn], fakeDialect{})
			if errA != nil || errB != nil {
				t.Fatalf("%s to %s: %v, %v", xn, yn, errA, errB)
			}
			if diff := gocmp.Diff(a, b, cmpChanges); diff != "" {
				t.Errorf("%s to %s: two runs differ:\n%s", xn, yn, diff)
			}
		}
	}
}
