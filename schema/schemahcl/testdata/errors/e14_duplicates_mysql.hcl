# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  index "PRIMARY" {
    columns = [column.id]
  }
  index "primary" {
    columns = [column.id]
  }
}

table "Users" {
  schema = schema.app
  column "id" {
    type = int
  }
  column "owner" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "fk_owner" {
    columns     = [column.owner]
    ref_columns = [table.users.column.id]
  }
}

table "posts" {
  schema = schema.app
  column "id" {
    type = int
  }
  column "owner" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "fk_owner" {
    columns     = [column.owner]
    ref_columns = [table.users.column.id]
  }
}
