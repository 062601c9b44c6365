# dialect: sqlite
schema {}

schema "main" {}

table {
  schema = schema.main
}

table "main" "users" "extra" {
  schema = schema.main
}

table "users" {
  schema = schema.main
  column {
    type = int
  }
  column "id" {
    type = int
  }
  index "a" "b" {
    columns = [column.id]
  }
  foreign_key {
    columns     = [column.id]
    ref_columns = [column.id]
  }
}
