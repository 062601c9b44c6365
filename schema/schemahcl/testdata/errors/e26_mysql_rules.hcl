# dialect: mysql
schema "app" {}

table "orders" {
  schema = schema.app
  column "id" {
    type           = int
    auto_increment = true
  }
  column "total" {
    type = int
  }
  column "parent" {
    null = true
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  index "primary" {
    columns = [column.total]
  }
  foreign_key "PRIMARY" {
    columns     = [column.parent]
    ref_columns = [column.id]
  }
  check "positive" {
    expr = "`id` > 0 AND total >= 0"
  }
  check "fine" {
    expr = "total <> 'id'"
  }
}
