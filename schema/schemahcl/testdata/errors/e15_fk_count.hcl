# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  column "id" {
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}

table "posts" {
  schema = schema.main
  column "author_id" {
    type = integer
  }
  column "editor_id" {
    type = integer
  }
  foreign_key "posts_author_fk" {
    columns     = [column.author_id, column.editor_id]
    ref_columns = [table.users.column.id]
  }
}
