package catalogsync

import (
	"strconv"
	"strings"

	"onevisit/internal/catalog"
)

// labels maps the values of an enumeration to the Chinese words the
// province's spreadsheets use. Reading accepts either.
type labels[T ~string] []struct {
	value T
	label string
}

func (l labels[T]) label(v T) string {
	for _, e := range l {
		if e.value == v {
			return e.label
		}
	}
	return string(v)
}

// parse reads a label or a value; an unknown word is kept as it is, for
// the check to reject with the field's name.
func (l labels[T]) parse(s string) T {
	s = strings.TrimSpace(s)
	for _, e := range l {
		if e.label == s || string(e.value) == s {
			return e.value
		}
	}
	return T(s)
}

func (l labels[T]) join(vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = l.label(v)
	}
	return strings.Join(s, "、")
}

func (l labels[T]) split(s string) []T {
	var out []T
	for _, w := range splitList(s) {
		out = append(out, l.parse(w))
	}
	return out
}

// splitList splits a 、-separated cell (also , ， ; ；), dropping blanks.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;；\n", r) })
	var out []string
	for _, w := range f {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

var (
	levelLabels = labels[catalog.Level]{{catalog.Main, "主项"}, {catalog.Sub, "子项"}, {catalog.Handling, "办理项"}}
	typeLabels  = labels[catalog.ItemType]{
		{catalog.Licensing, "行政许可"}, {catalog.PublicService, "公共服务"}, {catalog.Confirmation, "行政确认"},
		{catalog.Payment, "行政给付"}, {catalog.Filing, "行政备案"}, {catalog.Ruling, "行政裁决"},
		{catalog.Reward, "行政奖励"}, {catalog.Collection, "行政征收"}, {catalog.OtherPower, "其他行政权力"},
	}
	caseTypeLabels = labels[catalog.CaseType]{{catalog.Immediate, "即办件"}, {catalog.Promised, "承诺件"}}
	objectLabels   = labels[catalog.Object]{{catalog.ForPerson, "自然人"}, {catalog.ForEnterprise, "法人"}}
	modeLabels     = labels[catalog.Mode]{{catalog.AtWindow, "窗口"}, {catalog.Online, "网上"}, {catalog.ByEMS, "邮寄"}}
	sourceLabels   = labels[catalog.Source]{
		{catalog.FromApplicant, "申请人自备"}, {catalog.FromLicences, "电子证照库"}, {catalog.FromSharing, "共享获取"}}
	proofStatusLabels = labels[catalog.ProofStatus]{{catalog.Retained, "保留"}, {catalog.Cancelled, "取消"}}
	replacementLabels = labels[catalog.Replacement]{
		{catalog.DirectCancel, "直接取消"}, {catalog.Commitment, "告知承诺"}, {catalog.DataSharing, "数据共享"},
		{catalog.DeptCheck, "部门间核查"}, {catalog.LicenceReplace, "法定证照替代"}}
)

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// parseBool reads 是/否 (also true/false, 1/0, Y/N); "" is false.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "是", "true", "1", "y", "yes":
		return true, true
	case "否", "false", "0", "n", "no", "":
		return false, true
	}
	return false, false
}

// parseInt reads a whole number, also written as 3.0; "" is 0.
func parseInt(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// parseDays reads working days in steps of half a day (2.5); "" is 0.
func parseDays(s string) (catalog.HalfDays, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f*2 != float64(int(f*2)) {
		return 0, false
	}
	return catalog.HalfDays(f * 2), true
}
