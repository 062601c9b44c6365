schema "main" {}

table "hero" {
  schema = schema.main
  column "id" {
    type = int
  }
  column "full_name" {
    type         = varchar(100)
    null         = true
    renamed_from = "name"
  }
  column "power" {
    type = int
    null = true
  }
  primary_key {
    columns = [column.id]
  }
}

table "team" {
  schema = schema.main
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
}

table "users" {
  schema = schema.main
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
}
