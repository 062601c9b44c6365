# The Hero table of the SQLModel tutorial
# (https://sqlmodel.tiangolo.com/tutorial/), after the second
# migration: a new nullable column "power".
schema "main" {}

table "hero" {
  schema = schema.main
  column "id" {
    null           = false
    type           = integer
    auto_increment = true
  }
  column "name" {
    null = false
    type = text
  }
  column "secret_name" {
    null = false
    type = text
  }
  column "age" {
    null = true
    type = integer
  }
  column "power" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
  index "ix_hero_name" {
    columns = [column.name]
  }
}
