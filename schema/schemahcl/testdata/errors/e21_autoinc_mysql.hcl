# dialect: mysql
schema "app" {}

table "a" {
  schema = schema.app
  column "code" {
    type           = varchar(10)
    auto_increment = true
  }
  column "id" {
    type           = int
    auto_increment = true
  }
}

table "b" {
  schema = schema.app
  column "x" {
    type = int
  }
  column "id" {
    type           = bigint
    auto_increment = true
  }
  primary_key {
    columns = [column.x, column.id]
  }
}
