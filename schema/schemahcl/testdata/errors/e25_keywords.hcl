# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  engine = Innodb
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  index "users_id_idx" {
    type    = BTREEE
    columns = [column.id]
  }
  foreign_key "users_self_fk" {
    columns     = [column.id]
    ref_columns = [column.id]
    on_delete   = CASCADES
    on_update   = "SET EMPTY"
  }
}
