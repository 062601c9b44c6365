// Package doclinks holds the test that the README and docs/ link only to
// files of the repository, and to headings that exist: a clone has
// nothing else.
package doclinks
