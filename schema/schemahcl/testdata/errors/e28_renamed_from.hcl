# dialect: sqlite
schema "main" {}

table "members" {
  renamed_from = "users"
  schema       = schema.main
  column "full_name" {
    renamed_from = "full_name"
    type         = text
  }
  column "a" {
    renamed_from = "name"
    type         = text
  }
  column "b" {
    renamed_from = "NAME"
    type         = text
  }
  index "members_a_idx" {
    renamed_from = 1
    columns      = [column.a]
  }
}

table "users" {
  schema = schema.main
  column "id" {
    type = integer
  }
}
