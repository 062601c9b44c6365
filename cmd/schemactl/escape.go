package main

import "github.com/schemactl/schemactl/internal/safetext"

// printable escapes text from files or the command line for one line of
// output (safetext.Line).
func printable(s string) string { return safetext.Line(s) }

// printableLines escapes a message of several lines (safetext.Lines).
func printableLines(s string) string { return safetext.Lines(s) }
