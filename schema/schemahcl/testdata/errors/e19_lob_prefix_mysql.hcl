# dialect: mysql
schema "app" {}

table "docs" {
  schema = schema.app
  column "id" {
    type = int
  }
  column "body" {
    type = text
  }
  column "blob" {
    type = mediumblob
  }
  column "title" {
    type = varchar(100)
  }
  column "meta" {
    type = json
  }
  primary_key {
    columns = [column.id]
  }
  index "docs_body" {
    columns = [column.id, column.body]
  }
  index "docs_blob_prefix" {
    on {
      column = column.blob
      prefix = 20
    }
  }
  index "docs_blob_unique" {
    unique  = true
    columns = [column.blob]
  }
  index "docs_title" {
    columns = [column.title]
  }
  index "docs_meta" {
    columns = [column.meta]
  }
  index "docs_meta_prefix" {
    on {
      column = column.meta
      prefix = 768
    }
  }
}
