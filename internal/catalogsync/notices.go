package catalogsync

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"onevisit/internal/catalog"
)

// NotificationKind is the kind of the notifications an import sends.
const NotificationKind = "catalog.import"

// news is what an import did to one department's items.
type news struct {
	added, changed, removed []ItemReport
}

// notify sends each department whose items (as lead or joint department,
// before or after the change) were added, changed or withdrawn one
// notification summing them up, with a link to the first of them.
func (s *Service) notify(ctx context.Context, cur, inc catalog.Snapshot, r *Report) error {
	if s.notifier == nil {
		return nil
	}
	byDept := departmentNews(cur, inc, *r)
	depts := make([]string, 0, len(byDept))
	for d := range byDept {
		depts = append(depts, d)
	}
	slices.Sort(depts)
	for _, d := range depts {
		title, body, link := byDept[d].message()
		if err := s.notifier.Notify(ctx, d, NotificationKind, title, body, link); err != nil {
			return fmt.Errorf("notify %s: %w", d, err)
		}
		r.Notified = append(r.Notified, d)
	}
	return nil
}

func departmentNews(cur, inc catalog.Snapshot, r Report) map[string]*news {
	old, now := byCode(cur.Items, itemCode), byCode(inc.Items, itemCode)
	out := map[string]*news{}
	for _, ir := range r.Items {
		var depts []string
		switch {
		case ir.Kind == Added:
			depts = itemDepartments(now[ir.Code])
		case ir.Kind == Changed:
			depts = append(itemDepartments(old[ir.Code]), itemDepartments(now[ir.Code])...)
		case ir.Kind == Removed && slices.Contains(r.Withdrawn, ir.Code):
			depts = itemDepartments(old[ir.Code])
		}
		slices.Sort(depts)
		for _, d := range slices.Compact(depts) {
			if out[d] == nil {
				out[d] = &news{}
			}
			out[d].add(ir)
		}
	}
	return out
}

// itemDepartments is the item's department and its joint ones.
func itemDepartments(it catalog.Item) []string {
	return append([]string{it.DepartmentCode}, it.JointDepartmentCodes...)
}

func (n *news) add(ir ItemReport) {
	switch ir.Kind {
	case Added:
		n.added = append(n.added, ir)
	case Changed:
		n.changed = append(n.changed, ir)
	case Removed:
		n.removed = append(n.removed, ir)
	}
}

// message is the notification's title, body (one line per item) and link.
// Notifications are stored as text, in Chinese, the language of the
// department staff.
func (n *news) message() (title, body, link string) {
	var counts, lines []string
	for _, g := range []struct {
		verb  string
		items []ItemReport
	}{{"新增", n.added}, {"变更", n.changed}, {"撤销", n.removed}} {
		if len(g.items) == 0 {
			continue
		}
		counts = append(counts, fmt.Sprintf("%s %d 项", g.verb, len(g.items)))
		for _, ir := range g.items {
			lines = append(lines, itemLine(g.verb, ir))
			if link == "" {
				link = "/catalog/items/" + url.PathEscape(ir.Code)
			}
		}
	}
	return "上游事项目录同步：" + strings.Join(counts, "，"), strings.Join(lines, "\n"), link
}

// itemLine is "变更 CODE 名称（name、fee）": the changed fields by name.
func itemLine(verb string, ir ItemReport) string {
	line := verb + " " + ir.Code + " " + ir.Name
	var fields []string
	for _, c := range ir.Changes {
		f, _, _ := strings.Cut(c.Field, "[")
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	if len(fields) > 0 {
		line += "（" + strings.Join(fields, "、") + "）"
	}
	return line
}
