# dialect: sqlite
schema "main" {}

table "a" {
  schema = schema.main
  column "id" {
    type = integer
  }
}

table "b" {
  schema = schema.main
  column "id" {
    type = integer
  }
}

table "c" {
  schema = schema.main
  column "a_id" {
    type = integer
  }
  column "b_id" {
    type = integer
  }
  foreign_key "x" {
    columns     = [column.a_id, column.b_id]
    ref_columns = [table.a.column.id, table.b.column.id]
  }
  foreign_key "y" {
    columns     = [column.a_id]
    ref_columns = []
  }
}
