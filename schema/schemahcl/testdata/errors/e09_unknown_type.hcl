# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "email" {
    type = varchr(255)
  }
  column "id" {
    type = INT
  }
  column "uuid" {
    type = uuidd
  }
  column "x" {
    type = column.id
  }
}
