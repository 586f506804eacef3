package analytics

import (
	"context"
	"maps"
	"sync"
	"time"

	"onevisit/internal/identity"
)

// Names are the display names of item and department codes: leaders read
// names, and a code is shown only where no name is known.
type Names struct {
	Items         map[string]string `json:"items"`
	Departments   map[string]string `json:"departments"`
	DepartmentsEn map[string]string `json:"departmentsEn,omitempty"` // English names, where known
}

// In is n for a UI language: English department names where known.
func (n Names) In(lang string) Names {
	if lang != "en" || len(n.DepartmentsEn) == 0 {
		return n
	}
	depts := maps.Clone(n.Departments)
	maps.Copy(depts, n.DepartmentsEn)
	n.Departments = depts
	return n
}

// Item is the name of an item code, or the code.
func (n Names) Item(code string) string { return nameOr(n.Items, code) }

// Department is the name of a department code, or the code.
func (n Names) Department(code string) string { return nameOr(n.Departments, code) }

func nameOr(m map[string]string, code string) string {
	if v := m[code]; v != "" {
		return v
	}
	return code
}

// NamedRow is a roll-up row with the names of its department and item.
type NamedRow struct {
	Row
	DepartmentName string `json:"departmentName,omitempty"`
	ItemName       string `json:"itemName,omitempty"`
}

// Rows names rs.
func (n Names) Rows(rs []Row) []NamedRow {
	out := make([]NamedRow, len(rs))
	for i, r := range rs {
		out[i] = NamedRow{Row: r}
		if r.Department != "" {
			out[i].DepartmentName = n.Department(r.Department)
		}
		if r.Item != "" {
			out[i].ItemName = n.Item(r.Item)
		}
	}
	return out
}

// ItemCodes lists the item codes of rows, for NameCache.Names.
func ItemCodes(rows []Row) []string {
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Item != "" {
			codes = append(codes, r.Item)
		}
	}
	return codes
}

// ItemCodes lists the item codes of the page's cases, for
// NameCache.Names: the store lists cases without their items' names.
func (p DrillPage) ItemCodes() []string {
	codes := make([]string, 0, len(p.Cases))
	for _, c := range p.Cases {
		codes = append(codes, c.ItemCode)
	}
	return codes
}

// Page names the departments of a drill-down page.
func (n Names) Page(p DrillPage) DrillPage {
	for i, c := range p.Cases {
		p.Cases[i].DepartmentName = n.Department(c.Department)
		if c.ItemName == "" {
			p.Cases[i].ItemName = n.Item(c.ItemCode)
		}
	}
	return p
}

// NamedRowsTable lays out a top list with a name column after the code.
func NamedRowsTable(by string, rs []NamedRow) Table {
	t := Table{Name: "top-" + by, Header: append([]string{by, "name"}, figureHeader...)}
	for _, r := range rs {
		key, name := r.Department, r.DepartmentName
		if by == ByItem {
			key, name = r.Item, r.ItemName
		}
		t.Rows = append(t.Rows, append([]any{key, name}, figureCells(FiguresOf(r.Counts))...))
	}
	return t
}

// ItemNamer finds the names of item codes in stored cases: items no longer
// (or never) in the catalog, such as generated history, keep the name their
// cases were filed under. The store implements it optionally.
type ItemNamer interface {
	ItemNames(ctx context.Context, codes []string) (map[string]string, error)
}

// NameCache keeps the names load returns for a while, and asks the
// analytics store for item codes load does not know (each code once).
type NameCache struct {
	load  func(ctx context.Context) (Names, error)
	store ItemNamer // nil: no fallback
	ttl   time.Duration
	now   func() time.Time

	mu     sync.Mutex
	names  Names
	at     time.Time
	looked map[string]bool
}

// NameCacheTTL is how long loaded names are kept.
const NameCacheTTL = 5 * time.Minute

// NewNameCache returns a cache over load (the catalog and the directory).
// s may be nil; when its store can name items, unknown codes are looked up
// there.
func NewNameCache(s *Service, load func(ctx context.Context) (Names, error)) *NameCache {
	c := &NameCache{load: load, ttl: NameCacheTTL, now: time.Now}
	if s != nil {
		c.store, _ = s.store.(ItemNamer)
		c.now = s.now
	}
	return c
}

// Names returns the names, reloaded when older than the TTL, with the
// given item codes looked up in the cases if load did not know them. On a
// load error it keeps what it had: names are decoration, never a reason to
// fail a page.
func (c *NameCache) Names(ctx context.Context, items ...string) Names {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names.Items == nil || c.now().Sub(c.at) > c.ttl {
		if n, err := c.load(ctx); err == nil {
			c.names, c.at, c.looked = n, c.now(), map[string]bool{}
		}
		if c.names.Items == nil {
			c.names = Names{Items: map[string]string{}, Departments: map[string]string{}}
			c.looked = map[string]bool{}
		}
	}
	var unknown []string
	for _, code := range items {
		if code != "" && c.names.Items[code] == "" && !c.looked[code] {
			unknown = append(unknown, code)
			c.looked[code] = true
		}
	}
	if len(unknown) > 0 && c.store != nil {
		if found, err := c.store.ItemNames(ctx, unknown); err == nil && len(found) > 0 {
			items := maps.Clone(c.names.Items) // callers may be reading the old map
			maps.Copy(items, found)
			c.names.Items = items
		}
	}
	return c.names
}

// Directory is where names come from: the departments and the catalog's
// current items (nil: departments only).
type Directory struct {
	Departments func(ctx context.Context) ([]identity.Department, error)
	Items       func(ctx context.Context) (map[string]string, error)
}

// Load reads the names of the departments and of the catalog's current
// items, for the dashboards (NameCache keeps them).
func (d Directory) Load(ctx context.Context) (Names, error) {
	n := Names{Items: map[string]string{}, Departments: map[string]string{}, DepartmentsEn: map[string]string{}}
	depts, err := d.Departments(ctx)
	if err != nil {
		return n, err
	}
	for _, dep := range depts {
		n.Departments[dep.Code] = dep.Name
		if dep.NameEn != "" {
			n.DepartmentsEn[dep.Code] = dep.NameEn
		}
	}
	if d.Items == nil {
		return n, nil
	}
	items, err := d.Items(ctx)
	maps.Copy(n.Items, items)
	return n, err
}
