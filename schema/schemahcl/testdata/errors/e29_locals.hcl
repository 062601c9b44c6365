# dialect: sqlite
# var: undeclared=1
variable "tenant" {
  type = string
}

variable "count" {
  type    = number
  default = "many"
}

variable "bad" {
  default = 1
  sensitive = true
}

locals {
  a      = local.b
  b      = [local.a]
  self   = local.self
  prefix = "t_"
  cols   = [for c in ["a"] : c]
  obj    = { a = 1 }
  col    = column.id
}

schema "main" {}

table "users" {
  schema = schema.main
  column "id" {
    type    = int
    default = var.default_id
  }
  column "email" {
    type    = text
    default = "${local.prefix}x"
  }
  column "tenant" {
    type    = text
    default = var.tenant
  }
}

table "ok" {
  schema  = schema.main
  column "id" {
    type    = int
    default = local.nope
  }
  column "kind" {
    type    = text
    comment = local.obj
  }
  check "c" {
    expr = "${local.prefix} > ${column.id}"
  }
}
