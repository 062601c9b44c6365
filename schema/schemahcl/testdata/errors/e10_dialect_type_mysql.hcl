# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "id" {
    type = integer
  }
  column "doc" {
    type = jsonb
  }
}
