# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  engine = "Aria"
  column "id" {
    type = int
  }
  column "team" {
    type = int
  }
  column "x" {
    type = int
  }
  index "users_team_idx" {
    columns = [column.team, column.id]
  }
  foreign_key "users_team_fk" {
    columns     = [column.x]
    ref_columns = [column.team]
  }
}
