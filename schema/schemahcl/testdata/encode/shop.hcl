# dialect: mysql
schema "shop" {
  charset = "utf8mb4"
  collate = "utf8mb4_general_ci"
}

table "customers" {
  schema  = schema.shop
  comment = "people who can place orders"
  column "id" {
    null           = false
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "email" {
    null = false
    type = varchar(190)
  }
  column "status" {
    null    = false
    type    = enum("active", "suspended", "closed")
    default = "active"
  }
  column "created_at" {
    null    = false
    type    = timestamp
    default = sql("CURRENT_TIMESTAMP")
  }
  column "updated_at" {
    null      = false
    type      = datetime(3)
    default   = sql("CURRENT_TIMESTAMP(3)")
    on_update = sql("CURRENT_TIMESTAMP(3)")
  }
  primary_key {
    columns = [column.id]
  }
  index "customers_email_uq" {
    unique  = true
    columns = [column.email]
  }
  engine = InnoDB
}

table "orders" {
  schema = schema.shop
  column "id" {
    null           = false
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "customer_id" {
    null     = false
    type     = bigint
    unsigned = true
  }
  column "total" {
    null    = false
    type    = decimal(12,2)
    default = 0
  }
  column "paid" {
    null    = false
    type    = bool
    default = false
  }
  column "note" {
    null    = true
    type    = varchar(255)
    comment = "free text from the checkout form"
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "orders_customer_fk" {
    columns     = [column.customer_id]
    ref_columns = [table.customers.column.id]
    on_update   = CASCADE
    on_delete   = RESTRICT
  }
  check "orders_total_nonnegative" {
    expr = "total >= 0"
  }
  auto_increment = 1000
}
