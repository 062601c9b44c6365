# dialect: mysql
schema "app" {}

table "accounts" {
  schema = schema.app
  column "id" {
    type = int
  }
  column "code" {
    null = true
    type = varchar(20)
  }
  primary_key {
    columns = [column.id]
  }
  index "accounts_code" {
    unique  = true
    columns = [column.code]
  }
}

table "invoices" {
  schema = schema.app
  column "account_code" {
    null = false
    type = varchar(20)
  }
  foreign_key "invoices_account" {
    columns     = [column.account_code]
    ref_columns = [table.accounts.column.code]
    on_update   = CASCADE
  }
}
