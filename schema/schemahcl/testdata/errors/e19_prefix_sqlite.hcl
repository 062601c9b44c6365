# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  column "name" {
    type = text
  }
  index "users_name_idx" {
    on {
      column = column.name
      prefix = 10
    }
  }
}
