package report

import (
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/lint"
)

// AlgorithmDocument is how the server carries out a changed table's ALTER
// TABLE (lint.Algorithm), in a plan's json.
type AlgorithmDocument struct {
	Server       string `json:"server"`
	Algorithm    string `json:"algorithm"` // INSTANT, INPLACE or COPY
	BlocksWrites bool   `json:"blocks_writes"`
	// Rows and DataBytes are the server's estimates; -1 when not known.
	Rows      int64 `json:"rows"`
	DataBytes int64 `json:"data_bytes"`
	// CopySeconds is the rough time writes wait, for a blocking change of
	// a table of known size; 0 otherwise.
	CopySeconds float64 `json:"copy_seconds"`
	Summary     string  `json:"summary"` // as the text plan prints it
}

// algorithmOf is the algorithm of a changed table's entry, or nil.
func algorithmOf(as []lint.Algorithm, e *describe.Entry) *lint.Algorithm {
	if e.Action != describe.ActionChange || e.Kind != "table" {
		return nil
	}
	for i := range as {
		if as[i].Table == e.Name {
			return &as[i]
		}
	}
	return nil
}

func algorithmDoc(a *lint.Algorithm) *AlgorithmDocument {
	if a == nil {
		return nil
	}
	d := &AlgorithmDocument{Server: a.Server, Algorithm: a.Algorithm, BlocksWrites: a.BlocksWrites,
		Rows: -1, DataBytes: -1, CopySeconds: a.CopyTime.Seconds(), Summary: a.Summary()}
	if a.Size != nil {
		d.Rows, d.DataBytes = a.Size.Rows, a.Size.Bytes
	}
	return d
}
