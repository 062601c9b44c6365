# dialect: mysql
schema "app" {}

table "t" {
  schema = schema.app
  column "a" {
    type = varchar
  }
  column "b" {
    type = decimal(2, 5)
  }
  column "c" {
    type = datetime(7)
  }
  column "d" {
    type = bit(65)
  }
  column "e" {
    type = date(3)
  }
  column "f" {
    type = enum()
  }
  column "g" {
    type = enum("a", "b", "a")
  }
  column "h" {
    type = varchar("255")
  }
  column "i" {
    type = set("a,b")
  }
  column "j" {
    type = int()
  }
  column "k" {
    type = sql("")
  }
}
