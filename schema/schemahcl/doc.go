// Package schemahcl reads and writes the HCL schema language of schemactl:
// the table-definition subset of the Atlas HCL language, with schemactl's
// stricter checks and its renamed_from extension (see
// shared/reference/hcl-language.md).
//
// Parse decodes a document (one or more files) into a schema.Realm. Decoding
// is strict: every attribute and block of every body is examined, and anything
// unknown, misplaced, of the wrong kind or of the other dialect is reported as
// an hcl.Diagnostic whose Subject is the smallest range that is wrong. All
// problems of a document are reported together; none stops the others.
//
// What differs between engines comes from the Dialect a document is
// decoded for, which the dialect packages implement: the type registry and
// the engine-specific attributes from its Language, and the rules of the
// engine from its Validate, whose problems are reported at the source of
// the objects they are about. schemahcl itself never asks which engine it
// is.
//
// Encode writes a model back as canonical HCL, Format rewrites a file into the
// same canonical shape while keeping its comments, and WriteDiagnostics prints
// diagnostics as file:line:col lines with the source line and a caret.
//
// References (column.id, table.users.column.id, schema.main) and type
// expressions (int, varchar(255), sql("…")) are read from the syntax tree, not
// evaluated: type names and keywords are scoped to the attribute that takes
// them, so a column named int or CASCADE never clashes with them.
package schemahcl
