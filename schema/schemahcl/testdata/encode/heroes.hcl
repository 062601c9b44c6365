# dialect: sqlite
schema "main" {}

table "team" {
  schema = schema.main
  column "id" {
    null           = false
    type           = integer
    auto_increment = true
  }
  column "name" {
    null = false
    type = text
  }
  column "headquarters" {
    null = true
    type = text
  }
  primary_key {
    columns = [column.id]
  }
  index "team_name_uq" {
    unique  = true
    columns = [column.name]
  }
}

table "hero" {
  schema = schema.main
  strict = true
  column "id" {
    null = false
    type = integer
  }
  column "name" {
    null = false
    type = text
  }
  column "secret_name" {
    null = false
    type = text
  }
  column "age" {
    null = true
    type = integer
  }
  column "team_id" {
    null = true
    type = integer
  }
  column "created_at" {
    null    = false
    type    = text
    default = sql("CURRENT_TIMESTAMP")
  }
  column "name_key" {
    null = false
    type = text
    as   = "lower(name)"
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "hero_team_fk" {
    columns     = [column.team_id]
    ref_columns = [table.team.column.id]
    on_delete   = SET_NULL
  }
  index "hero_name_key_idx" {
    columns = [column.name_key]
  }
  index "hero_adult_idx" {
    columns = [column.age]
    where   = "age >= 18"
  }
  check "hero_age_range" {
    expr = "age IS NULL OR age BETWEEN 0 AND 200"
  }
}
