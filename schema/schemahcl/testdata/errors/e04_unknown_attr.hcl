# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  colour = "blue"
  column "email" {
    nul  = false
    type = text
  }
  index "users_email_idx" {
    uniq    = true
    columns = [column.email]
  }
}
