//go:build !linux

package mysql

import "os/exec"

// toolProcess: only Linux can tie the tool's life to schemactl's; a run
// killed elsewhere may leave the tool running, which the next run's
// cleanup must not race (docs/scaling.md says so).
func toolProcess(*exec.Cmd) {}
