# dialect: sqlite
# A second schema block is one error, at that block: its tables are not
# reported as naming an undeclared schema.
schema "main" {}

schema "other" {}

table "a" {
  schema = schema.main
  column "id" {
    type = int
  }
}

table "b" {
  schema = schema.other
  column "id" {
    type = int
  }
}

table "other" "c" {
  schema = schema.other
  column "id" {
    type = int
  }
}

table "a" {
  schema = schema.other
  column "id" {
    type = int
  }
}
