# dialect: sqlite
schema "main" {}

tabel "x" {}

table "users" {
  schema = schema.main
  column "id" {
    type = int
    default "d" {
      as = 1
    }
  }
  colum "email" {
    type = text
  }
  index "users_id_idx" {
    on {
      column = column.id
      part {}
    }
  }
}
