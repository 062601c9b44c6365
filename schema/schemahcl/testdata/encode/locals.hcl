# var: max_age=150
# Atlas's locals and variable blocks: values are evaluated and put in
# place, so the encoded schema has none of them.
variable "max_age" {
  type        = number
  default     = 200
  description = "set by the header line above"
}

variable "status" {
  type    = string
  default = "active"
}

locals {
  age_check   = "age IS NULL OR age BETWEEN 0 AND ${var.max_age}"
  statuses    = ["'${var.status}'", "'retired'"]
  price       = 4.99
  strict      = true
}

schema "main" {}

table "hero" {
  schema = schema.main
  strict = local.strict
  column "id" {
    type = integer
  }
  column "age" {
    null = true
    type = integer
  }
  column "status" {
    type    = text
    default = var.status
  }
  column "price" {
    type    = real
    default = local.price
  }
  primary_key {
    columns = [column.id]
  }
  check "age_range" {
    expr = local.age_check
  }
  check "status_known" {
    expr = "status IN (${local.statuses[0]}, ${local.statuses[1]})"
  }
}
