package mysql

import (
	"os/exec"
	"syscall"
)

// toolProcess makes the tool die with schemactl: a tool that outlived a
// killed run would swap the tables while the next run, holding the lock,
// decides what the dead one left.
func toolProcess(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
