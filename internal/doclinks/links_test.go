package doclinks

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/schemactl/schemactl/internal/testflag"
)

var (
	linkRE    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	headingRE = regexp.MustCompile(`(?m)^#{1,6} (.*)$`)
	punctRE   = regexp.MustCompile(`[^\w\- ]`)
)

// anchor is GitHub's anchor for a heading.
func anchor(h string) string {
	return strings.ReplaceAll(punctRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(h)), ""), " ", "-")
}

func TestLinksStayInTheRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(root, "README.md"), filepath.Join(root, "examples", "github-actions", "README.md"))
	anchors := map[string]map[string]bool{}
	read := func(path string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	headings := func(path string) map[string]bool {
		path = filepath.Clean(path)
		if a, ok := anchors[path]; ok {
			return a
		}
		a := map[string]bool{}
		for _, m := range headingRE.FindAllStringSubmatch(read(path), -1) {
			a[anchor(m[1])] = true
		}
		anchors[path] = a
		return a
	}
	for _, f := range files {
		for _, m := range linkRE.FindAllStringSubmatch(read(f), -1) {
			link := m[1]
			if strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			target := f
			if path != "" {
				target = filepath.Join(filepath.Dir(f), path)
			}
			rel, err := filepath.Rel(root, target)
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s links to %s, outside the repository", f, link)
				continue
			}
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, link)
				continue
			}
			if frag != "" && strings.HasSuffix(target, ".md") && !headings(target)[frag] {
				t.Errorf("%s links to %s: no heading #%s there", f, link, frag)
			}
		}
	}
}
