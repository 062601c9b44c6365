# dialect: sqlite
schema "main" {
  charset = "utf8mb4"
}

table "users" {
  schema = schema.main
  engine = InnoDB
  column "id" {
    type     = integer
    unsigned = true
  }
  column "email" {
    type    = text
    collate = "NOCASE"
  }
  primary_key {
    on {
      column = column.id
    }
  }
  index "users_email_idx" {
    type    = BTREE
    columns = [column.email]
  }
  check "positive" {
    expr     = "id > 0"
    enforced = false
  }
}
