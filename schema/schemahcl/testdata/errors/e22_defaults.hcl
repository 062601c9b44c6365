# dialect: mysql
schema "app" {}

table "t" {
  schema = schema.app
  column "a" {
    type    = int
    default = "abc"
  }
  column "b" {
    type    = enum("a", "b")
    default = "x"
  }
  column "c" {
    type    = varchar(36)
    default = sql("uuid()")
  }
  column "d" {
    type    = datetime
    default = sql("")
  }
  column "e" {
    type    = varchar(10)
    default = true
  }
  column "f" {
    type    = set("a", "b")
    default = "a,z"
  }
  column "g" {
    type    = int
    default = [1]
  }
}
