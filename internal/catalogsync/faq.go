package catalogsync

import (
	"encoding/json"
	"strings"

	"onevisit/internal/catalog"
)

var (
	questionMarks = []string{"Q：", "Q:", "问：", "问:"}
	answerMarks   = []string{"A：", "A:", "答：", "答:"}
)

// cutMark reports whether line starts with one of marks, and the rest.
func cutMark(line string, marks []string) (string, bool) {
	for _, m := range marks {
		if rest, ok := strings.CutPrefix(line, m); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// formatFAQ writes questions as "Q：…" and "A：…" lines, the way guides
// are written. A text that would not read back the same (a line of its own
// starting with a mark, or white space around it) makes it JSON instead.
func formatFAQ(qs []catalog.QA) string {
	var lines []string
	for _, qa := range qs {
		if !plainFAQText(qa.Q) || !plainFAQText(qa.A) {
			b, _ := json.Marshal(qs)
			return string(b)
		}
		lines = append(lines, "Q："+qa.Q, "A："+qa.A)
	}
	return strings.Join(lines, "\n")
}

func plainFAQText(s string) bool {
	if s != strings.TrimSpace(s) || strings.Contains(s, "\r") {
		return false
	}
	for i, line := range strings.Split(s, "\n") {
		_, q := cutMark(line, questionMarks)
		_, a := cutMark(line, answerMarks)
		if i > 0 && (q || a) {
			return false
		}
	}
	return true
}

// parseFAQ reads JSON ([{"q":…,"a":…}]) or Q：/A： lines (问：/答： too);
// a line without a mark continues the question or answer above it.
func parseFAQ(s string) ([]catalog.QA, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return nil, true
	}
	if strings.HasPrefix(s, "[") {
		var qs []catalog.QA
		return qs, json.Unmarshal([]byte(s), &qs) == nil
	}
	var qs []catalog.QA
	answer := false // whether a line without a mark continues the answer
	for _, line := range strings.Split(s, "\n") {
		if q, ok := cutMark(line, questionMarks); ok {
			qs, answer = append(qs, catalog.QA{Q: q}), false
			continue
		}
		if len(qs) == 0 {
			return nil, false
		}
		last := &qs[len(qs)-1]
		switch a, ok := cutMark(line, answerMarks); {
		case ok:
			last.A, answer = a, true
		case answer:
			last.A += "\n" + line
		default:
			last.Q += "\n" + line
		}
	}
	for i := range qs {
		qs[i].Q, qs[i].A = strings.TrimSpace(qs[i].Q), strings.TrimSpace(qs[i].A)
	}
	return qs, true
}
