package executor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// chain is the ordered migrations of a directory. A position p in 0..len is
// a version: 0 is base, p is the version of chain[p-1].
type chain []*Migration

func (c chain) head() string { return c.version(len(c)) }

func (c chain) version(p int) string {
	if p == 0 {
		return ""
	}
	return c[p-1].Version
}

// pos finds a version's position; "" is base.
func (c chain) pos(v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	for i, m := range c {
		if m.Version == v {
			return i + 1, true
		}
	}
	return 0, false
}

func (c chain) find(v string) *Migration {
	if p, ok := c.pos(v); ok && p > 0 {
		return c[p-1]
	}
	return nil
}

// resolve turns a target as a user writes it into a position. cur is the
// database's position, for relative targets. Accepted: "base", "head", a
// version ("0003" or its number, "3"), "+N" (Up only) and "-N" (Down only).
// An empty target is head for Up; Stamp, which trusts the user, takes
// none: an empty argument or a head of no migrations is refused rather
// than read as base, which would erase the version.
func (c chain) resolve(target string, cur int, op Direction) (int, error) {
	t := strings.TrimSpace(target)
	switch {
	case t == "" && op == Stamp:
		return 0, errors.New("stamp needs a version: a version of the directory such as 0003, head, or base")
	case strings.EqualFold(t, "head") && op == Stamp && len(c) == 0:
		return 0, errors.New("the directory has no migrations, so no head to stamp; stamp base to mark a database that has none")
	case t == "" && op == Up, strings.EqualFold(t, "head"):
		return len(c), nil
	case strings.EqualFold(t, "base"):
		return 0, nil
	case t == "":
		return 0, fmt.Errorf("no target version")
	case t[0] == '+' || t[0] == '-':
		n, err := strconv.Atoi(t[1:])
		if err != nil || n < 1 {
			return 0, fmt.Errorf("bad relative target %q; want +N or -N", target)
		}
		if op == Stamp {
			return 0, fmt.Errorf("stamp takes a version, base or head, not %q", target)
		}
		if t[0] == '+' {
			if op != Up {
				return 0, fmt.Errorf("relative target %q goes up; use apply", target)
			}
			if cur+n > len(c) {
				return 0, fmt.Errorf("cannot apply %s from %s: only %d pending", plural(n, "migration"), c.describe(cur), len(c)-cur)
			}
			return cur + n, nil
		}
		if op != Down {
			return 0, fmt.Errorf("relative target %q goes down; use downgrade", target)
		}
		if n > cur {
			return 0, fmt.Errorf("cannot downgrade %s from %s: only %d applied", plural(n, "migration"), c.describe(cur), cur)
		}
		return cur - n, nil
	}
	if p, ok := c.pos(t); ok {
		return p, nil
	}
	if isDigits(t) {
		for i, m := range c {
			if compareVersions(m.Version, t) == 0 {
				return i + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("version %q: %w", target, ErrUnknownVersion)
}

// todo resolves target from the database's position p and lists the
// migrations that take it there in direction dir, in the order they run.
// A target on the other side of p, or a migration without a down section
// on the way down, is an error.
func (c chain) todo(target string, p int, dir Direction) (t int, todo []*Migration, err error) {
	if t, err = c.resolve(target, p, dir); err != nil {
		return 0, nil, err
	}
	switch {
	case dir == Up && t < p:
		return 0, nil, fmt.Errorf("the database is at %s, past the target %s; use downgrade", c.version(p), c.describe(t))
	case dir == Down && t > p:
		return 0, nil, fmt.Errorf("the database is at %s, behind the target %s; use apply", c.describe(p), c.describe(t))
	case dir == Up:
		return t, c[p:t], nil
	}
	for i := p; i > t; i-- {
		m := c[i-1]
		if m.Irreversible {
			return 0, nil, fmt.Errorf("%s has no -- +down section; cannot downgrade past %s", m.File, m.Version)
		}
		todo = append(todo, m)
	}
	return t, todo, nil
}

func (c chain) describe(p int) string {
	if p == 0 {
		return "base"
	}
	return c[p-1].Version
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// step returns the migration that moves the database at version cur one
// step toward target in direction dir, or nil when it is there (or past it,
// which happens when another process moved the version meanwhile).
func (c chain) step(cur string, target int, dir Direction) (*Migration, error) {
	p, ok := c.pos(cur)
	if !ok {
		return nil, unknownVersion(cur)
	}
	switch {
	case dir == Up && p < target:
		return c[p], nil
	case dir == Down && p > target:
		return c[p-1], nil
	}
	return nil, nil
}

func unknownVersion(v string) error {
	return fmt.Errorf("the database is at %s: %w; this checkout is older than the database or on another branch: use the migrations that reached %s", v, ErrUnknownVersion, v)
}
