package main

import (
	"io"
	"os"

	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

// formatFlag is the --format flag of plan and lint.
type formatFlag struct{ value string }

func (f *formatFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "format", "text", "output format: text, markdown (a pull request comment) or json")
}

// printer checks the flag and returns the printer for w. Colour is for
// terminals only, and never with NO_COLOR set (no-color.org) or TERM=dumb.
func (f *formatFlag) printer(w io.Writer) (report.Printer, error) {
	format, err := report.ParseFormat(f.value)
	if err != nil {
		return report.Printer{}, err
	}
	return report.Printer{Format: format, Color: format == report.FormatText && colorTerminal(w)}, nil
}

func colorTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
