package mysql_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// shopHCL is example 15.2 of the language reference.
const shopHCL = `
schema "$DB" {
  charset = "utf8mb4"
  collate = "utf8mb4_general_ci"
}

table "customers" {
  schema  = schema.$DB
  comment = "people who can place orders"
  column "id" {
    null           = false
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "email" {
    null = false
    type = varchar(190)
  }
  column "status" {
    null    = false
    type    = enum("active", "suspended", "closed")
    default = "active"
  }
  column "created_at" {
    null    = false
    type    = timestamp
    default = sql("CURRENT_TIMESTAMP")
  }
  column "updated_at" {
    null      = false
    type      = datetime(3)
    default   = sql("CURRENT_TIMESTAMP(3)")
    on_update = sql("CURRENT_TIMESTAMP(3)")
  }
  primary_key {
    columns = [column.id]
  }
  index "customers_email_uq" {
    unique  = true
    columns = [column.email]
  }
  engine = InnoDB
}

table "orders" {
  schema = schema.$DB
  column "id" {
    null           = false
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "customer_id" {
    null     = false
    type     = bigint
    unsigned = true
  }
  column "total" {
    null    = false
    type    = decimal(12,2)
    default = 0
  }
  column "paid" {
    null    = false
    type    = bool
    default = false
  }
  column "note" {
    null    = true
    type    = varchar(255)
    comment = "free text from the checkout form"
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "orders_customer_fk" {
    columns     = [column.customer_id]
    ref_columns = [table.customers.column.id]
    on_update   = CASCADE
    on_delete   = RESTRICT
  }
  check "orders_total_nonnegative" {
    expr = "total >= 0"
  }
  auto_increment = 1000
}
`

// kitchenHCL writes one table with most of what the language has, in the
// spellings users write rather than the ones the server reports.
const kitchenHCL = `
schema "$DB" {}

table "kitchen" {
  schema  = schema.$DB
  charset = "utf8mb4"
  column "id" {
    null = false
    type = int(11)
  }
  column "flag" {
    null    = false
    type    = boolean
    default = true
  }
  column "price" {
    null    = false
    type    = numeric(6,2)
    default = "4.99"
  }
  column "whole" {
    null    = true
    type    = decimal
    default = 5
  }
  column "ratio" {
    null = true
    type = float(30)
  }
  column "real_num" {
    null = true
    type = real
  }
  column "yr" {
    null = true
    type = year(4)
  }
  column "bits" {
    null    = false
    type    = bit(4)
    default = 5
  }
  column "code" {
    null = false
    type = char
  }
  column "summary" {
    null = true
    type = text(100)
  }
  column "blobby" {
    null = true
    type = blob(300)
  }
  column "mood" {
    null    = false
    type    = enum("ok", "it's", "back\\slash")
    default = "ok"
  }
  column "tags" {
    null    = true
    type    = set("a", "b", "c")
    default = "a,c"
  }
  column "latin" {
    null    = true
    type    = varchar(20)
    charset = "latin1"
  }
  column "utf8" {
    null    = true
    type    = varchar(20)
    charset = "utf8"
  }
  column "exact" {
    null    = true
    type    = varchar(20)
    collate = "utf8mb4_bin"
  }
  column "secret" {
    null = true
    type = sql("VARCHAR(40) BINARY")
  }
  column "national" {
    null = true
    type = sql("NVARCHAR(10)")
  }
  column "counter" {
    null = false
    type = sql("INTEGER UNSIGNED")
    default = sql("0")
  }
  column "doc" {
    null = true
    type = json
  }
  column "twice" {
    null = false
    type = int
    as {
      expr = "ID*2"
      type = STORED
    }
  }
  column "label" {
    null = true
    type = varchar(60)
    as   = "CONCAT(code, '-', mood)"
  }
  column "stamp" {
    null      = false
    type      = timestamp(6)
    default   = sql("now(6)")
    on_update = sql("LOCALTIMESTAMP(6)")
  }
  column "day" {
    null    = false
    type    = datetime
    default = "2020-01-02"
  }
  column "token" {
    null    = false
    type    = char(36)
    default = sql("(UUID())")
  }
  primary_key {
    columns = [column.id]
  }
  index "kitchen_code_uq" {
    unique  = true
    columns = [column.code, column.yr]
  }
  index "kitchen_recent_idx" {
    on {
      column = column.stamp
      desc   = true
    }
    on {
      column = column.latin
      prefix = 5
    }
    comment = "newest first"
  }
  index "kitchen_search" {
    type    = FULLTEXT
    columns = [column.summary]
  }
  check "kitchen_price" {
    expr = "(PRICE >= 0 AND price < 10000 OR Whole IS NULL)"
  }
  check "kitchen_parens" {
    expr = "(price > 0) AND ((whole IS NULL) OR (whole >= 0))"
  }
  check "kitchen_mood" {
    expr = "mood IN (\"ok\", 'it''s') || UPPER(code) = code"
  }
  comment = "everything at once"
}
`

// TestHCLRoundTrip creates what an HCL document declares in an empty
// database, then checks that Normalize(decode(HCL)) equals Inspect of the
// result and that a second plan is empty.
func TestHCLRoundTrip(t *testing.T) {
	for name, src := range map[string]string{"shop": shopHCL, "kitchen": kitchenHCL} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			des := s.decode(t, src)
			p := s.plan(t, s.inspect(t), des, false)
			t.Logf("up:\n%s", statements(p.Up))
			s.migrate(t, p.Up)
			got := s.inspect(t)
			unmanaged(des, got)
			if diff := cmp.Diff(des, got, cmpOpts); diff != "" {
				t.Errorf("inspect after apply (-desired +inspected):\n%s", diff)
			}
			if again, err := planner.Diff(got, des, s.d); err != nil || len(again) != 0 {
				t.Errorf("second plan: %v\n%s", err, describe(again))
			}
			// What inspect prints plans to no changes.
			text, err := schemahcl.Encode(got, mysql.New(mysql.Flavor{}))
			if err != nil {
				t.Fatal(err)
			}
			if again, err := planner.Diff(got, s.decode(t, string(text)), s.d); err != nil || len(again) != 0 {
				t.Errorf("plan against the inspected HCL: %v\n%s\n%s", err, describe(again), text)
			}
		})
	}
}

// TestHCLChanges applies an HCL document, then a changed one, and checks
// that the second converges too: among them the changes Atlas misses,
// removing on_update and auto_increment.
func TestHCLChanges(t *testing.T) {
	s := newServer(t)
	first := s.decode(t, shopHCL)
	s.migrate(t, s.plan(t, s.inspect(t), first, false).Up)
	s.exec(t, "INSERT INTO customers (email) VALUES ('a@example.com'), ('b@example.com')")

	des := s.decode(t, shopHCL)
	cust, _ := des.Schemas[0].Table("customers")
	upd, _ := cust.Column("updated_at")
	upd.OnUpdate = ""
	orders, _ := des.Schemas[0].Table("orders")
	id, _ := orders.Column("id")
	id.AutoIncrement = false
	paid, _ := orders.Column("paid")
	paid.Default = &schema.Default{Kind: schema.DefaultNumber, Value: "1"}
	orders.Checks = nil
	cust.Comment = ""
	if err := s.d.Normalize(des); err != nil {
		t.Fatal(err)
	}

	p := s.plan(t, s.inspect(t), des, false)
	for _, want := range []string{"MODIFY COLUMN `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)", "MODIFY COLUMN `id` bigint unsigned NOT NULL,"} {
		if !contains(statements(p.Up), want) {
			t.Errorf("up does not contain %q:\n%s", want, statements(p.Up))
		}
	}
	s.migrate(t, p.Up)
	got := s.inspect(t)
	unmanaged(des, got)
	if diff := cmp.Diff(des, got, cmpOpts); diff != "" {
		t.Errorf("inspect after apply (-desired +inspected):\n%s", diff)
	}
	if again, err := planner.Diff(got, des, s.d); err != nil || len(again) != 0 {
		t.Errorf("second plan: %v\n%s", err, describe(again))
	}
}

// TestImplicitTimestampDefaults creates timestamp columns without defaults
// on a session with explicit_defaults_for_timestamp off (MySQL 5.7,
// MariaDB before 10.10): the server adds defaults, which the normalised
// desired table must already have.
func TestImplicitTimestampDefaults(t *testing.T) {
	s := newServer(t)
	d := *s.d
	d.Flavor.ImplicitTimestampDefaults = true
	des := s.decode(t, `
schema "$DB" {}
table "ts" {
  schema = schema.$DB
  column "id" {
    type = int
  }
  column "created" {
    type = timestamp
  }
  column "changed" {
    type = timestamp(3)
  }
  column "maybe" {
    type = timestamp
    null = true
  }
  column "touched" {
    type      = timestamp
    on_update = sql("CURRENT_TIMESTAMP")
  }
}`)
	if err := d.Normalize(des); err != nil {
		t.Fatal(err)
	}
	p, err := lint.New(s.inspect(t), des, &d, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION explicit_defaults_for_timestamp = OFF, SESSION sql_mode = ''"); err != nil {
		t.Skipf("cannot turn explicit_defaults_for_timestamp off: %v", err)
	}
	for _, st := range p.Up {
		if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%s: %v", st.SQL, err)
		}
	}
	got := s.inspect(t)
	unmanaged(des, got)
	if diff := cmp.Diff(des, got, cmpOpts); diff != "" {
		t.Errorf("inspect after apply (-desired +inspected):\n%s", diff)
	}
}
