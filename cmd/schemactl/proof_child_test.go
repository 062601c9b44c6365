package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The crash and concurrency proofs run schemactl in child processes. A
// paced child is this test binary running TestProofChild: it runs the CLI
// exactly as main does, but its stdout waits after every line it prints
// until the parent answers on stdin. A parent that reads the line for
// statement k therefore knows the child stands right after statement k,
// and can SIGKILL it there: a kill at each statement boundary in turn,
// deterministic, with no hook in the program itself.

const (
	childEnv     = "SCHEMACTL_PROOF_CHILD" // "paced" or "free" runs TestProofChild's CLI
	childArgsEnv = "SCHEMACTL_PROOF_ARGS"  // the CLI arguments, as a JSON array
	exitPrefix   = "SCHEMACTL-PROOF-EXIT " // the child's last line: the exit code
)

// TestProofChild is the child process of the proofs; run by itself it does
// nothing.
func TestProofChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode != "paced" && mode != "free" {
		t.Skip("only runs as the child process of a proof")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(childArgsEnv)), &args); err != nil {
		t.Fatalf("%s: %v", childArgsEnv, err)
	}
	var out io.Writer = &pacedWriter{w: os.Stdout, ack: bufio.NewReader(os.Stdin)}
	ctx := context.Background()
	if mode == "free" { // runs at its own pace, and handles signals as main does
		out = os.Stdout
		var stop func()
		ctx, stop = watchSignals(ctx, os.Stderr)
		defer stop()
	}
	code := run(ctx, args, out, os.Stderr)
	// The test itself passes; the CLI's exit code travels on stdout, so
	// that testing.M can clean up as usual.
	fmt.Fprintf(os.Stdout, "%s%d\n", exitPrefix, code)
}

// pacedWriter writes through and, after each line, waits for one byte on
// ack. The CLI prints every progress line with one Write.
type pacedWriter struct {
	w   io.Writer
	ack *bufio.Reader
}

func (p *pacedWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if err != nil {
		return n, err
	}
	if bytes.HasSuffix(b, []byte("\n")) {
		if _, err := p.ack.ReadByte(); err != nil {
			// The parent is gone; there is no one to pace for.
			return n, nil
		}
	}
	return n, nil
}

// pacedChild is a running paced child.
type pacedChild struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Reader
	stderr bytes.Buffer
	out    []string // lines read so far
}

func startPaced(t *testing.T, args ...string) *pacedChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProofChild$", "-test.count=1")
	list, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), childEnv+"=paced", childArgsEnv+"="+string(list))
	c := &pacedChild{cmd: cmd}
	cmd.Stderr = &c.stderr
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.lines = bufio.NewReader(stdout)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return c
}

// next returns the next line the child printed, without its newline; the
// child waits after it until resume. ok is false at the end of the output.
func (c *pacedChild) next() (line string, ok bool) {
	s, err := c.lines.ReadString('\n')
	if err != nil {
		return "", false
	}
	line = strings.TrimSuffix(s, "\n")
	c.out = append(c.out, line)
	return line, true
}

func (c *pacedChild) resume(t *testing.T) {
	t.Helper()
	if _, err := c.stdin.Write([]byte{'c'}); err != nil {
		t.Fatalf("resume child: %v", err)
	}
}

// kill SIGKILLs the child where it stands and reaps it.
func (c *pacedChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}
