# dialect: sqlite
schema "main" {}

table "a" {
  schema = schema.main
  column "id" {
    type           = int
    auto_increment = true
  }
  primary_key {
    columns = [column.id]
  }
}

table "b" {
  schema        = schema.main
  without_rowid = true
  column "id" {
    type           = integer
    auto_increment = true
  }
  primary_key {
    columns = [column.id]
  }
}

table "c" {
  schema = schema.main
  column "id" {
    type           = integer
    default        = 1
    auto_increment = true
  }
  column "x" {
    type = integer
  }
  primary_key {
    columns = [column.id, column.x]
  }
}
