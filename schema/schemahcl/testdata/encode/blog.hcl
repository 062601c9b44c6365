# dialect: mysql
schema "blog" {}

table "articles" {
  schema = schema.blog
  column "id" {
    null = false
    type = int
  }
  column "title" {
    null = false
    type = varchar(300)
  }
  column "body" {
    null = false
    type = mediumtext
  }
  column "published at" {
    null = true
    type = datetime
  }
  primary_key {
    columns = [column.id]
  }
  # newest first, then a 40-character prefix of the title
  index "articles_recent_idx" {
    on {
      column = column["published at"]
      desc   = true
    }
    on {
      column = column.title
      prefix = 40
    }
  }
  # functional part (MySQL >= 8.0.13; not MariaDB)
  index "articles_year_idx" {
    on {
      expr = "year(`published at`)"
    }
  }
  index "articles_search_idx" {
    type    = FULLTEXT
    parser  = ngram
    columns = [column.title, column.body]
  }
}
