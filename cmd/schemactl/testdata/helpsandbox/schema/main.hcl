schema "main" {}

table "hero" {
  schema = schema.main
  column "id" {
    type = int
  }
  column "name" {
    type = varchar(100)
    null = true
  }
  column "power" {
    type = int
    null = true
  }
  primary_key {
    columns = [column.id]
  }
}
