# The project file of the heroes example: run.sh uses no flags beyond
# --env and -m. See docs/project.md.
env "local" {
  url = "sqlite://heroes.db"
  src = ["schema.hcl"]
  migration {
    dir = "migrations"
  }
}
