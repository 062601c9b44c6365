# dialect: mysql
schema "app" {}

table "users" {
  schema = schema.app
  column "age" {
    type = int
  }
  column "bio" {
    type = text
  }
  index "a" {
    on {
      expr   = "age + 1"
      prefix = 3
    }
  }
  index "b" {
    on {
      column = column.age
      prefix = 3
    }
  }
  index "c" {
    columns = [column.bio]
    parser  = ngram
  }
  index "d" {
    type   = FULLTEXT
    unique = true
    on {
      column = column.bio
      desc   = true
    }
  }
}
