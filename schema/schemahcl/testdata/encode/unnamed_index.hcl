# dialect: sqlite
# Index blocks without a name are named from the table and the columns;
# a name already taken gets the first free suffix _2, _3, …. Index names
# are per database in SQLite, shared with tables.
schema "main" {}

table "t" {
  schema = schema.main
  column "a" {
    type = int
  }
  column "b" {
    type = int
  }
  index {
    columns = [column.a, column.b]
  }
  index {
    unique  = true
    columns = [column.a, column.b]
  }
  index "t_a_idx" {
    columns = [column.b]
  }
  index {
    columns = [column.a]
  }
  index {
    on {
      expr = "a + b"
    }
  }
}

table "t_a" {
  schema = schema.main
  column "b" {
    type = int
  }
  index {
    columns = [column.b]
  }
}

table "t_b_idx" {
  schema = schema.main
  column "x" {
    type = int
  }
}

table "long" {
  schema = schema.main
  column "a_column_with_a_rather_long_name_that_goes_on" {
    type = int
  }
  column "another_column_with_a_long_name" {
    type = int
  }
  index {
    columns = [column.a_column_with_a_rather_long_name_that_goes_on, column.another_column_with_a_long_name]
  }
  index {
    columns = [column.a_column_with_a_rather_long_name_that_goes_on, column.another_column_with_a_long_name]
  }
}
