# dialect: sqlite
schema "main" {}

table "users" {
  schema = schema.main
  column "email" {
    type = text
  }
  index "both" {
    columns = [column.email]
    on {
      column = column.email
    }
  }
  index "neither" {
    unique = true
  }
  index "part" {
    on {
      column = column.email
      expr   = "lower(email)"
    }
    on {
      desc = true
    }
  }
}
