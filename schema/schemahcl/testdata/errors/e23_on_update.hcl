# dialect: mysql
schema "app" {}

table "t" {
  schema = schema.app
  column "a" {
    type      = int
    on_update = sql("CURRENT_TIMESTAMP")
  }
  column "b" {
    type      = datetime(3)
    on_update = sql("CURRENT_TIMESTAMP")
  }
  column "c" {
    type      = timestamp
    on_update = "CURRENT_TIMESTAMP"
  }
  column "d" {
    type      = timestamp
    on_update = sql("UTC_TIMESTAMP()")
  }
}
