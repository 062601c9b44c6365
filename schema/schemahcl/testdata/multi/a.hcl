schema "main" {}

table "posts" {
  schema = schema.main
  column "id" {
    null = false
    type = integer
  }
  column "author_id" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "posts_author_fk" {
    columns     = [column.author_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
}
