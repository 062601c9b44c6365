schema "main" {}

table "task" {
  schema = schema.main
  column "id" {
    null           = false
    type           = integer
    auto_increment = true
  }
  column "title" {
    null = false
    type = text
  }
  column "done" {
    null    = false
    type    = boolean
    default = false
  }
  column "due" {
    null = true
    type = date
  }
  primary_key {
    columns = [column.id]
  }
}
