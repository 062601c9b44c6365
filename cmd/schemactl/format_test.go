package main

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/schemactl/schemactl/planner/report"
)

func TestPrinterColour(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name    string
		w       io.Writer
		noColor string
		format  string
		want    bool
	}{
		{name: "a buffer is no terminal", w: &bytes.Buffer{}, format: "text"},
		{name: "a regular file is no terminal", w: f, format: "text"},
		{name: "NO_COLOR", w: os.Stdout, noColor: "1", format: "text"},
		{name: "markdown never", w: os.Stdout, format: "markdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tt.noColor)
			ff := formatFlag{value: tt.format}
			pr, err := ff.printer(tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Color != tt.want {
				t.Errorf("Color = %v, want %v", pr.Color, tt.want)
			}
		})
	}
	if _, err := (&formatFlag{value: "yaml"}).printer(&bytes.Buffer{}); err == nil {
		t.Error("format yaml accepted")
	}
	if pr, _ := (&formatFlag{value: "JSON"}).printer(&bytes.Buffer{}); pr.Format != report.FormatJSON {
		t.Errorf("format JSON = %q", pr.Format)
	}
}
