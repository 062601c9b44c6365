# dialect: mysql
# database: app_test
schema "app" {}

schema "other" {}

table "users" {
  schema = schema.app
  column "id" {
    type = int
  }
}
