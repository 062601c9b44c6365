# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.mian
  column "id" {
    type = integer
  }
  column "email" {
    type = text
  }
  index "users_email_idx" {
    columns = [column.emial]
  }
}

table "posts" {
  schema = schema.main
  column "author_id" {
    type = integer
  }
  foreign_key "posts_author_fk" {
    columns     = [column.author_id]
    ref_columns = [table.userz.column.id]
  }
  index "posts_x_idx" {
    columns = [id]
  }
}
