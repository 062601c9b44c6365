schema "main" {}
table "t" {
  column "c" {
    type = int
    null = true
  }
  schema = schema.main
}