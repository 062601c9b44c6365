# dialect: mysql
schema "app" {}

table "users" {
  schema         = "app"
  auto_increment = "10"
  column "id" {
    null = "yes"
    type = int
  }
  column "name" {
    null = false
    type = "varchar(10)"
  }
  primary_key {
    columns = ["id"]
  }
  index "users_name_idx" {
    unique  = 1
    columns = column.name
  }
}
