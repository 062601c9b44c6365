# dialect: sqlite
schema "app" {}

table "users" {
  schema = schema.app
  strict = true
  column "id" {
    type = integer
  }
  column "name" {
    type = varchar(20)
  }
  column "born" {
    type = sql("any")
  }
}

table "tags" {
  schema        = schema.app
  without_rowid = true
  column "name" {
    type = text
  }
}
