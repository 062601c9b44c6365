# dialect: sqlite
schema "main" {}

table "users" {
  schema = table.users
  column "id" {
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}

table "posts" {
  schema = schema.main
  column "id" {
    type = integer
  }
  primary_key {
    columns = [table.users]
  }
  index "posts_user_idx" {
    columns = [table.users.column.id]
  }
  foreign_key "posts_fk" {
    columns     = [table.users.column.id]
    ref_columns = [table.users.column.id]
  }
}
