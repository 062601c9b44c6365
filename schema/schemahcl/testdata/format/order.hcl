schema "app" {
  comment="x"
  charset = "utf8mb4"
}

table "users" {
  column "id" {
    unsigned = true
    auto_increment = true
    type = bigint
    null = false
    renamed_from = "uid"
  }
  # the email
  column "email" {
    comment = "login" // why
    type = varchar(255)
  }
  index "users_email_uq" {
    columns = [column.email]
    unique = true
    renamed_from = "users_mail_uq"
  }
  foreign_key "users_self_fk" {
    on_delete = CASCADE
    ref_columns = [column.id]
    columns = [column.id]
  }
  primary_key {
    on {
      desc = true
      column = column.id
    }
    type = BTREE
  }
  check "c" {
    enforced = false
    expr = <<-SQL
      id > 0
    SQL
  }
  schema = schema.app
  auto_increment = 10
}
