# dialect: mysql
schema "app" {}

table "users" {
  schema        = schema.app
  strict        = true
  without_rowid = false
  column "id" {
    type = int
  }
  index "users_id_idx" {
    columns = [column.id]
    where   = "id > 0"
  }
  foreign_key "users_self" {
    columns     = [column.id]
    ref_columns = [column.id]
    deferred    = true
  }
}
