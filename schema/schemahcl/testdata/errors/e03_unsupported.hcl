# dialect: sqlite
schema "main" {}

view "active_users" {
  schema = schema.main
  as     = "SELECT 1"
}

variable "tenant" {
  type = string
}

locals {
  prefix = "t_"
}

table "users" {
  schema   = schema.main
  for_each = ["a", "b"]
  name     = "people"
  column "id" {
    type    = int
    default = var.default_id
  }
  column "email" {
    type    = text
    default = "${local.prefix}x"
  }
  column "upper" {
    type    = text
    default = lower("X")
  }
}
