package sqlstore

import (
	"context"

	"onevisit/internal/analytics"
	"onevisit/internal/cases"
)

var _ analytics.ItemNamer = (*StatsStore)(nil)

// ItemNames finds the name each item code was filed under in one of its
// cases, for codes the catalog does not know (generated history, withdrawn
// items). Codes without cases are left out.
func (s *StatsStore) ItemNames(ctx context.Context, codes []string) (map[string]string, error) {
	names := map[string]string{}
	for _, code := range codes {
		cs, err := queryBodies[cases.Case](ctx, s.db.read, `SELECT body FROM cases WHERE item_code = $1 LIMIT 1`, []any{code})
		if err != nil {
			return names, err
		}
		if len(cs) > 0 && cs[0].ItemName != "" {
			names[code] = cs[0].ItemName
		}
	}
	return names, nil
}
