package catalogsync

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/catalog"
)

// The sheets of the XLSX format, in workbook order.
const (
	sheetItems         = "事项"
	sheetItemMaterials = "事项材料"
	sheetMaterials     = "材料库"
	sheetProofs        = "证明目录"
	sheetBundles       = "一件事"
	sheetAbout         = "说明"
)

// column is one column of a sheet of rows of type T: its Chinese header,
// the JSON field it holds (to place errors), and how to write and read it.
type column[T any] struct {
	header   string
	field    string
	get      func(T) any
	set      func(*T, string) bool // false: the cell cannot be read
	bad      string                // message key when set fails
	optional bool                  // may be missing from a file (local-only columns)
}

func text[T any](header, field string, p func(*T) *string) column[T] {
	return column[T]{header: header, field: field,
		get: func(v T) any { return *p(&v) },
		set: func(v *T, s string) bool { *p(v) = s; return true }}
}

func local[T any](header, field string, p func(*T) *string) column[T] {
	c := text(header, field, p)
	c.optional = true
	return c
}

func number[T any](header, field string, p func(*T) *int) column[T] {
	return column[T]{header: header, field: field, bad: "err.catalogsync.integer",
		get: func(v T) any { return *p(&v) },
		set: func(v *T, s string) (ok bool) { *p(v), ok = parseInt(s); return ok }}
}

func days[T any](header, field string, p func(*T) *catalog.HalfDays) column[T] {
	return column[T]{header: header, field: field, bad: "err.catalogsync.days",
		get: func(v T) any { return p(&v).Days() },
		set: func(v *T, s string) (ok bool) { *p(v), ok = parseDays(s); return ok }}
}

func flag[T any](header, field string, p func(*T) *bool) column[T] {
	return column[T]{header: header, field: field, bad: "err.catalogsync.bool",
		get: func(v T) any { return yesNo(*p(&v)) },
		set: func(v *T, s string) (ok bool) { *p(v), ok = parseBool(s); return ok }}
}

func enum[T any, E ~string](header, field string, l labels[E], p func(*T) *E) column[T] {
	return column[T]{header: header, field: field,
		get: func(v T) any { return l.label(*p(&v)) },
		set: func(v *T, s string) bool { *p(v) = l.parse(s); return true }}
}

func enums[T any, E ~string](header, field string, l labels[E], p func(*T) *[]E) column[T] {
	return column[T]{header: header, field: field,
		get: func(v T) any { return l.join(*p(&v)) },
		set: func(v *T, s string) bool { *p(v) = l.split(s); return true }}
}

func codes[T any](header, field string, p func(*T) *[]string) column[T] {
	return column[T]{header: header, field: field,
		get: func(v T) any { return strings.Join(*p(&v), "、") },
		set: func(v *T, s string) bool { *p(v) = splitList(s); return true }}
}

type item = catalog.Item

// itemColumns are the columns of the 事项 sheet, one row per item.
var itemColumns = []column[item]{
	text("实施编码", "code", func(it *item) *string { return &it.Code }),
	text("基本编码", "basicCode", func(it *item) *string { return &it.BasicCode }),
	text("上级编码", "parentCode", func(it *item) *string { return &it.ParentCode }),
	enum("层级", "level", levelLabels, func(it *item) *catalog.Level { return &it.Level }),
	text("事项名称", "name", func(it *item) *string { return &it.Name }),
	enum("事项类型", "type", typeLabels, func(it *item) *catalog.ItemType { return &it.Type }),
	text("实施部门", "departmentCode", func(it *item) *string { return &it.DepartmentCode }),
	codes("联办部门", "jointDepartmentCodes", func(it *item) *[]string { return &it.JointDepartmentCodes }),
	enums("服务对象", "objects", objectLabels, func(it *item) *[]catalog.Object { return &it.Objects }),
	enum("办件类型", "caseType", caseTypeLabels, func(it *item) *catalog.CaseType { return &it.CaseType }),
	days("法定时限（工作日）", "statutoryLimit", func(it *item) *catalog.HalfDays { return &it.StatutoryLimit }),
	days("承诺时限（工作日）", "promisedLimit", func(it *item) *catalog.HalfDays { return &it.PromisedLimit }),
	number("到现场次数", "visitsRequired", func(it *item) *int { return &it.VisitsRequired }),
	number("网办深度", "onlineDepth", func(it *item) *int { return &it.OnlineDepth }),
	enums("申请方式", "submitModes", modeLabels, func(it *item) *[]catalog.Mode { return &it.SubmitModes }),
	enums("取件方式", "collectModes", modeLabels, func(it *item) *[]catalog.Mode { return &it.CollectModes }),
	flag("可预约", "bookable", func(it *item) *bool { return &it.Bookable }),
	number("每日预约上限", "dailyQuota", func(it *item) *int { return &it.DailyQuota }),
	text("收费标准", "fee", func(it *item) *string { return &it.Fee }),
	text("收费依据", "feeBasis", func(it *item) *string { return &it.FeeBasis }),
	text("设定依据", "legalBasis", func(it *item) *string { return &it.LegalBasis }),
	text("受理条件", "conditions", func(it *item) *string { return &it.Conditions }),
	text("办理流程", "flow", func(it *item) *string { return &it.Flow }),
	text("结果名称", "resultName", func(it *item) *string { return &it.ResultName }),
	text("结果样本", "resultSample", func(it *item) *string { return &it.ResultSample }),
	{header: "常见问题", field: "faq", bad: "err.catalogsync.faq",
		get: func(it item) any { return formatFAQ(it.FAQ) },
		set: func(it *item, s string) (ok bool) { it.FAQ, ok = parseFAQ(s); return ok }},
	local("办理窗口", "local.window", func(it *item) *string { return &it.Local.Window }),
	local("办理地点", "local.place", func(it *item) *string { return &it.Local.Place }),
	local("办理时间", "local.hours", func(it *item) *string { return &it.Local.Hours }),
	local("咨询电话", "local.phone", func(it *item) *string { return &it.Local.Phone }),
	local("备注", "local.notes", func(it *item) *string { return &it.Local.Notes }),
}

// itemMaterialRow is a row of the 事项材料 sheet: one material of one item.
type itemMaterialRow struct {
	ItemCode string
	catalog.ItemMaterial
}

var itemMaterialColumns = []column[itemMaterialRow]{
	text("实施编码", "itemCode", func(r *itemMaterialRow) *string { return &r.ItemCode }),
	text("材料编码", "materialCode", func(r *itemMaterialRow) *string { return &r.MaterialCode }),
	number("原件", "originals", func(r *itemMaterialRow) *int { return &r.Originals }),
	number("复印件", "copies", func(r *itemMaterialRow) *int { return &r.Copies }),
	flag("必要", "required", func(r *itemMaterialRow) *bool { return &r.Required }),
	flag("容缺", "tolerant", func(r *itemMaterialRow) *bool { return &r.Tolerant }),
	enum("来源", "source", sourceLabels, func(r *itemMaterialRow) *catalog.Source { return &r.Source }),
	text("说明", "note", func(r *itemMaterialRow) *string { return &r.Note }),
}

var materialColumns = []column[catalog.Material]{
	text("材料编码", "code", func(m *catalog.Material) *string { return &m.Code }),
	text("材料名称", "name", func(m *catalog.Material) *string { return &m.Name }),
	text("说明", "description", func(m *catalog.Material) *string { return &m.Description }),
	text("证明编码", "proofCode", func(m *catalog.Material) *string { return &m.ProofCode }),
	text("证照类型", "licenceType", func(m *catalog.Material) *string { return &m.LicenceType }),
}

var proofColumns = []column[catalog.Proof]{
	text("证明编码", "code", func(p *catalog.Proof) *string { return &p.Code }),
	text("证明名称", "name", func(p *catalog.Proof) *string { return &p.Name }),
	text("证明用途", "purpose", func(p *catalog.Proof) *string { return &p.Purpose }),
	text("设定依据", "legalBasis", func(p *catalog.Proof) *string { return &p.LegalBasis }),
	text("开具单位", "issuingUnit", func(p *catalog.Proof) *string { return &p.IssuingUnit }),
	enum("状态", "status", proofStatusLabels, func(p *catalog.Proof) *catalog.ProofStatus { return &p.Status }),
	enum("替代方式", "replacement", replacementLabels, func(p *catalog.Proof) *catalog.Replacement { return &p.Replacement }),
	{header: "取消时间", field: "cancelledAt", bad: "err.catalogsync.date",
		get: func(p catalog.Proof) any { return formatTime(p.CancelledAt) },
		set: func(p *catalog.Proof, s string) (ok bool) { p.CancelledAt, ok = parseTime(s); return ok }},
}

// bundleRow is a row of the 一件事 sheet: one stage of a bundle.
type bundleRow struct {
	Code, Name, Theme string
	Object            catalog.Object
	Order             int
	Stage             string
	ItemCodes         []string
}

var bundleColumns = []column[bundleRow]{
	text("一件事编码", "code", func(r *bundleRow) *string { return &r.Code }),
	text("一件事名称", "name", func(r *bundleRow) *string { return &r.Name }),
	enum("服务对象", "object", objectLabels, func(r *bundleRow) *catalog.Object { return &r.Object }),
	text("主题", "theme", func(r *bundleRow) *string { return &r.Theme }),
	number("阶段序号", "stage.order", func(r *bundleRow) *int { return &r.Order }),
	text("阶段名称", "stage.name", func(r *bundleRow) *string { return &r.Stage }),
	codes("事项编码", "stage.itemCodes", func(r *bundleRow) *[]string { return &r.ItemCodes }),
}

// china is the time zone dates are written in.
var china = time.FixedZone("CST", 8*3600)

// formatTime writes a time as a date when it is midnight in China, as
// RFC 3339 otherwise, so that it reads back the same.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if c := t.In(china); c.Hour() == 0 && c.Minute() == 0 && c.Second() == 0 && c.Nanosecond() == 0 {
		return c.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

// parseTime reads a date (in China), RFC 3339, or a spreadsheet date number.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{time.DateOnly, "2006/1/2", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, s, china); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, china), true
		}
	}
	return time.Time{}, false
}

// fieldHeader is the header of the column holding field, or "".
func fieldHeader[T any](cols []column[T], field string) string {
	for _, c := range cols {
		if c.field == field {
			return c.header
		}
	}
	return ""
}
