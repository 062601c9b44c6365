# dialect: sqlite
schema "main" {}

table "users" {
  column "email" {
    null = false
  }
  column "total" {
    type = int
    as {
      type = STORED
    }
  }
  check "c" {
  }
  foreign_key "fk" {
    columns = [column.total]
  }
}

table "empty" {
  schema = schema.main
}
