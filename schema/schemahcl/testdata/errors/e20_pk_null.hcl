# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "id" {
    null = true
    type = int
  }
  column "total" {
    type = int
  }
  primary_key {
    on {
      expr = "total + 1"
    }
    on {
      column = column.id
    }
  }
}
