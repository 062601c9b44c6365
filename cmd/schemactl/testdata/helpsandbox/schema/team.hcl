table "team" {
  schema = schema.main
  column "id" {
    type = int
  }
  column "motto" {
    type = varchar(100)
    null = true
  }
  primary_key {
    columns = [column.id]
  }
}
