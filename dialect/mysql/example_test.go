package mysql_test

import (
	"fmt"

	"github.com/schemactl/schemactl/dialect/mysql"
)

// ClassifyText tells, from the text alone, what running a statement does:
// its kind and the objects it touches. (Classify adds, from the catalog,
// whether DML writes transactional tables only.)
func ExampleClassifyText() {
	for _, stmt := range []string{
		"ALTER TABLE `shop`.`orders` ADD INDEX ix_placed (placed_at)",
		"UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.region = c.region",
		"/*!40101 SET NAMES utf8mb4 */",
		"OPTIMIZE TABLE orders",
	} {
		c := mysql.ClassifyText(stmt)
		fmt.Printf("%s %s", c.Kind, c.Verb)
		for _, o := range c.Objects {
			fmt.Printf(" %s:%s", o.Kind, o.Name)
		}
		fmt.Println()
	}
	// Output:
	// ddl ALTER TABLE table:orders
	// dml UPDATE table:orders
	// session SET
	// opaque OPTIMIZE
}

// ParseAlter names the table and the clauses of an ALTER TABLE, as
// pt-online-schema-change takes them (D=shop,t=orders --alter "…").
func ExampleParseAlter() {
	alt, ok := mysql.ParseAlter("ALTER TABLE `shop`.`orders` ADD COLUMN note varchar(200) DEFAULT 'a, b', DROP INDEX ix_old")
	fmt.Println(ok, alt.Schema, alt.Table)
	for _, c := range alt.Clauses {
		fmt.Println(c)
	}
	// Output:
	// true shop orders
	// ADD COLUMN note varchar(200) DEFAULT 'a, b'
	// DROP INDEX ix_old
}
