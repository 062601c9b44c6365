# dialect: sqlite
schema "main" {}

table "users" {
  schema  = schema.main
  comment = "people"
  column "id" {
    type    = integer
    comment = "the key"
  }
}
