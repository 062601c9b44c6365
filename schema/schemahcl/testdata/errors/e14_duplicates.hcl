# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  column "id" {
    type = integer
  }
  column "ID" {
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  primary_key {
    columns = [column.id]
  }
  index "users_idx" {
    columns = [column.id, column.id]
  }
  index "USERS_IDX" {
    columns = [column.id]
  }
  check "c" {
    expr = "id > 0"
  }
  check "c" {
    expr = "id < 9"
  }
}

table "Users" {
  schema = schema.main
  column "id" {
    type = integer
  }
  index "users_idx" {
    columns = [column.id]
  }
}
