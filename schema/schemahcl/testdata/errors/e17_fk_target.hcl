# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "id" {
    type     = int
    unsigned = true
  }
  column "email" {
    type = varchar(100)
  }
  column "team" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  index "users_team_idx" {
    columns = [column.team, column.id]
  }
}

table "posts" {
  schema = schema.app
  column "author_id" {
    type = bigint
  }
  column "email" {
    type = varchar(100)
  }
  column "team" {
    type = int
  }
  foreign_key "posts_author_fk" {
    columns     = [column.author_id]
    ref_columns = [table.users.column.id]
    on_delete   = SET_NULL
  }
  foreign_key "posts_email_fk" {
    columns     = [column.email]
    ref_columns = [table.users.column.email]
    on_update   = SET_DEFAULT
  }
  foreign_key "posts_team_fk" {
    columns     = [column.team]
    ref_columns = [table.users.column.team]
  }
}
