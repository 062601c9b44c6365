# dialect: sqlite
schema "main" {}

view "active_users" {
  schema = schema.main
  as     = "SELECT 1"
}

table "users" {
  schema   = schema.main
  for_each = ["a", "b"]
  name     = "people"
  column "id" {
    type    = int
    default = 1
  }
  column "email" {
    type    = text
    default = "${"t_"}x"
  }
  column "upper" {
    type    = text
    default = lower("X")
  }
}
