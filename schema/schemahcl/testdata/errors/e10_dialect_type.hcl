# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  column "status" {
    type = enum("active", "closed")
  }
  column "bio" {
    type = mediumtext
  }
  column "flags" {
    type = bit(8)
  }
}
