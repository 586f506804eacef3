package catalogsync

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"onevisit/internal/i18n"
)

// TestEveryMessageKeyIsTranslated checks the message keys written in this
// package's code against the i18n catalog.
func TestEveryMessageKeyIsTranslated(t *testing.T) {
	msgs := i18n.MustLoad()
	files, _ := filepath.Glob("*.go")
	key := regexp.MustCompile(`"(err\.[a-z_.]+[a-z_])"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			if !msgs.Has(m[1]) {
				t.Errorf("%s: message %q is not in the i18n catalog", f, m[1])
			}
		}
	}
}
