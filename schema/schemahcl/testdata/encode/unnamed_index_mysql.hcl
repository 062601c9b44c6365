# dialect: mysql
# On MySQL index names are per table: the same derived name in two tables.
schema "app" {}

table "t" {
  schema = schema.app
  column "a" {
    type = int
  }
  index {
    columns = [column.a]
  }
}

table "u" {
  schema = schema.app
  column "a" {
    type = int
  }
  index {
    columns = [column.a]
  }
}
