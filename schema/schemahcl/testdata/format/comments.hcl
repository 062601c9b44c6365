# header comment

schema "main" {}
table "t" {
  # columns first
  column "id" {
    type = integer   # the type
    # nullability
    null = false
    renamed_from="old_id"
  }
  engine = InnoDB
  schema = schema.main


  /* trailing */ comment = "x"
  index "i" { columns = [column.id] }
  primary_key {
      columns=[column.id]
  }
  foo = 1
  renamed_from = "tt"
  check {
    expr = <<-SQL
      id > 0
    SQL
    enforced = false
  }
  # before close
}
