# dialect: sqlite
schema "main" {}

table "t" {
  schema = schema.main
  column "price" {
    type = real
  }
  column "total" {
    type = real
    as   = "price * 2"
    as {
      expr = "price * 3"
    }
  }
  column "tax" {
    type = real
    as {
      expr = "price / 10"
      type = PERSISTENT
    }
  }
  column "net" {
    type    = real
    default = 0
    as      = "price - 1"
  }
  primary_key {
    columns = [column.net]
  }
}
