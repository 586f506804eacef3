package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/catalog"
)

// CatalogStore implements catalog.Store. An item's guide is stored as JSON
// in catalog_item_versions.body, so that both engines hold it the same
// way; the columns beside it are what searches filter on.
type CatalogStore struct{ db *DB }

// Catalog returns the catalog store of db.
func (db *DB) Catalog() *CatalogStore { return &CatalogStore{db: db} }

var _ catalog.Store = (*CatalogStore)(nil)

func itemNotFound(code string) error {
	return apperr.New(apperr.NotFound, "err.catalog.item_not_found", code)
}

// nullString stores "" as NULL, for optional foreign keys.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SaveItemDraft creates the item row if the code is new (or refreshes it
// while the item was never published) and writes the draft, version 0.
func (s *CatalogStore) SaveItemDraft(ctx context.Context, it *catalog.Item, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		id, err := upsertItemRow(ctx, tx, it)
		if err != nil {
			return err
		}
		body, err := itemBody(*it)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_item_versions
			(item_id, version, status, name, department_code, objects, body, updated_at)
			VALUES ($1, 0, 'draft', $2, $3, $4, $5, $6)
			ON CONFLICT (item_id, version) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
			objects = excluded.objects, body = excluded.body, updated_at = excluded.updated_at`,
			id, it.Name, it.DepartmentCode, objectsColumn(it.Objects), body, micros(it.UpdatedAt)); err != nil {
			return fmt.Errorf("save item draft: %w", err)
		}
		it.ID = id
		return appendAudit(ctx, tx, a)
	})
}

func upsertItemRow(ctx context.Context, tx *Tx, it *catalog.Item) (int64, error) {
	var id int64
	var status string
	err := tx.QueryRowContext(ctx, `SELECT id, status FROM catalog_items WHERE code = $1`, it.Code).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		id, err = insertID(ctx, tx, `INSERT INTO catalog_items (code, basic_code, parent_code, level, department_code, status, created_at)
			VALUES ($1, $2, $3, $4, $5, 'draft', $6)`, it.Code, it.BasicCode, nullString(it.ParentCode), string(it.Level),
			it.DepartmentCode, micros(it.UpdatedAt))
		return id, wrapItemFK(err)
	}
	if err != nil || status != string(catalog.Draft) {
		return id, err
	}
	return id, wrapItemFK(setItemRow(ctx, tx, id, *it))
}

// setItemRow copies the tree and department of it onto the item row.
func setItemRow(ctx context.Context, tx *Tx, id int64, it catalog.Item) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_items SET basic_code = $1, parent_code = $2, level = $3, department_code = $4
		WHERE id = $5`, it.BasicCode, nullString(it.ParentCode), string(it.Level), it.DepartmentCode, id)
	return err
}

// wrapItemFK turns a foreign-key violation (parent or department gone
// since the service checked) into a field error.
func wrapItemFK(err error) error {
	if err == nil {
		return nil
	}
	if s := err.Error(); strings.Contains(s, "FOREIGN KEY") || strings.Contains(s, "SQLSTATE 23503") {
		return apperr.New(apperr.Conflict, "err.catalog.reference_gone")
	}
	return fmt.Errorf("item row: %w", err)
}

// itemBody is the JSON of the guide without what the columns hold.
func itemBody(it catalog.Item) (string, error) {
	it.ID, it.Version, it.Status = 0, 0, ""
	it.PublishedAt, it.PublishedBy, it.UpdatedAt = time.Time{}, "", time.Time{}
	b, err := json.Marshal(it)
	return string(b), err
}

// objectsColumn is ",person,enterprise," so that LIKE '%,person,%' filters.
func objectsColumn(os []catalog.Object) string {
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = string(o)
	}
	return "," + strings.Join(s, ",") + ","
}

// PublishItem turns the draft into the next version and indexes it.
func (s *CatalogStore) PublishItem(ctx context.Context, code string, at time.Time, by string, a audit.Entry) (catalog.Item, error) {
	var out catalog.Item
	err := s.db.Update(ctx, func(tx *Tx) error {
		var id int64
		var current int
		err := tx.QueryRowContext(ctx, `SELECT id, current_version FROM catalog_items WHERE code = $1`, code).Scan(&id, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return itemNotFound(code)
		}
		if err != nil {
			return err
		}
		draft, err := scanItem(tx.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = $1 AND v.version = 0`, id))
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.NotFound, "err.catalog.draft_not_found", code)
		}
		if err != nil {
			return err
		}
		if err := publishDraft(ctx, tx, draft, current+1, at, by); err != nil {
			return err
		}
		out, err = scanItem(tx.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = $1 AND v.version = $2`, id, current+1))
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, a.With(fmt.Sprintf("version %d: %s", current+1, draft.Name)))
	})
	return out, err
}

func publishDraft(ctx context.Context, tx *Tx, draft catalog.Item, version int, at time.Time, by string) error {
	text, err := searchText(ctx, tx, draft)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_item_versions SET version = $1, status = 'published',
		published_at = $2, published_by = $3 WHERE item_id = $4 AND version = 0`, version, micros(at), by, draft.ID); err != nil {
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "err.catalog.publish_conflict")
		}
		return fmt.Errorf("publish version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_items SET current_version = $1, status = 'published',
		name = $2, objects = $3, search_text = $4 WHERE id = $5`,
		version, draft.Name, objectsColumn(draft.Objects), text, draft.ID); err != nil {
		return err
	}
	if err := wrapItemFK(setItemRow(ctx, tx, draft.ID, draft)); err != nil {
		return err
	}
	return indexItem(ctx, tx, draft.ID, text)
}

// searchText is what a search looks in: the name, the conditions, the
// names of the materials and the department's name, as of publishing.
func searchText(ctx context.Context, tx *Tx, it catalog.Item) (string, error) {
	parts := []string{it.Name, it.Conditions}
	var dept string
	err := tx.QueryRowContext(ctx, `SELECT name FROM departments WHERE code = $1`, it.DepartmentCode).Scan(&dept)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	parts = append(parts, dept)
	for _, m := range it.Materials {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM catalog_materials WHERE code = $1`, m.MaterialCode).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "\n"), nil
}

// indexItem puts the item's current text in the SQLite full-text index;
// text "" takes it out. PostgreSQL searches search_text directly.
func indexItem(ctx context.Context, tx *Tx, id int64, text string) error {
	if tx.Engine() != SQLite {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_search WHERE rowid = $1`, id); err != nil {
		return fmt.Errorf("unindex item: %w", err)
	}
	if text == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_search (rowid, text) VALUES ($1, $2)`, id, text); err != nil {
		return fmt.Errorf("index item: %w", err)
	}
	return nil
}

// WithdrawItem marks the item and its current version withdrawn.
func (s *CatalogStore) WithdrawItem(ctx context.Context, code, reason string, at time.Time, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var id int64
		var version int
		err := tx.QueryRowContext(ctx, `UPDATE catalog_items SET status = 'withdrawn' WHERE code = $1 AND status = 'published'
			RETURNING id, current_version`, code).Scan(&id, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return itemNotFound(code)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_item_versions SET status = 'withdrawn', withdrawn_at = $1,
			withdraw_reason = $2 WHERE item_id = $3 AND version = $4`, micros(at), reason, id, version); err != nil {
			return err
		}
		if err := indexItem(ctx, tx, id, ""); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

const itemColumns = `i.id, i.code, v.version, v.status, v.body, v.updated_at, v.published_at, v.published_by`

const itemFrom = ` FROM catalog_items i JOIN catalog_item_versions v ON v.item_id = i.id`

// current limits itemFrom to the current published versions.
const current = ` WHERE i.status = 'published' AND v.version = i.current_version`

func scanItem(r rowScanner) (catalog.Item, error) {
	var id int64
	var code, status, body, by string
	var version int
	var updated, published int64
	err := r.Scan(&id, &code, &version, &status, &body, &updated, &published, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.Item{}, apperr.New(apperr.NotFound, "err.catalog.item_not_found", "")
	}
	if err != nil {
		return catalog.Item{}, err
	}
	var it catalog.Item
	if err := json.Unmarshal([]byte(body), &it); err != nil {
		return catalog.Item{}, fmt.Errorf("item %s v%d body: %w", code, version, err)
	}
	it.ID, it.Code, it.Version, it.Status, it.PublishedBy = id, code, version, catalog.Status(status), by
	it.UpdatedAt, it.PublishedAt = fromMicros(updated), fromMicros(published)
	return it, nil
}

// oneItem reads one item and names the code in a NotFound error.
func (s *CatalogStore) oneItem(ctx context.Context, code, where string, args ...any) (catalog.Item, error) {
	it, err := scanItem(s.db.read.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+where, args...))
	if apperr.Is(err, apperr.NotFound) {
		return it, itemNotFound(code)
	}
	return it, err
}

// ItemDraft is the item's draft.
func (s *CatalogStore) ItemDraft(ctx context.Context, code string) (catalog.Item, error) {
	it, err := s.oneItem(ctx, code, ` WHERE i.code = $1 AND v.version = 0`, code)
	if apperr.Is(err, apperr.NotFound) {
		return it, apperr.New(apperr.NotFound, "err.catalog.draft_not_found", code)
	}
	return it, err
}

// ItemVersion is one version of an item, or with version 0 the current one.
func (s *CatalogStore) ItemVersion(ctx context.Context, code string, version int) (catalog.Item, error) {
	if version == 0 {
		return s.oneItem(ctx, code, current+` AND i.code = $1`, code)
	}
	return s.oneItem(ctx, code, ` WHERE i.code = $1 AND v.version = $2 AND v.version > 0`, code, version)
}

// ItemVersions lists the published and withdrawn versions, newest first.
func (s *CatalogStore) ItemVersions(ctx context.Context, code string) ([]catalog.Item, error) {
	return s.items(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.code = $1 AND v.version > 0 ORDER BY v.version DESC`, code)
}

// CurrentItems lists every current published item by code.
func (s *CatalogStore) CurrentItems(ctx context.Context) ([]catalog.Item, error) {
	return s.items(ctx, `SELECT `+itemColumns+itemFrom+current+` ORDER BY i.code`)
}

func (s *CatalogStore) items(ctx context.Context, query string, args ...any) ([]catalog.Item, error) {
	rows, err := s.db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var its []catalog.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		its = append(its, it)
	}
	return its, rows.Err()
}

// ItemExists reports whether an item has code, in any state.
func (s *CatalogStore) ItemExists(ctx context.Context, code string) (bool, error) {
	return s.exists(ctx, `SELECT COUNT(*) FROM catalog_items WHERE code = $1`, code)
}

// DepartmentExists reports whether a department has code.
func (s *CatalogStore) DepartmentExists(ctx context.Context, code string) (bool, error) {
	return s.exists(ctx, `SELECT COUNT(*) FROM departments WHERE code = $1`, code)
}

func (s *CatalogStore) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, query, args...).Scan(&n)
	return n > 0, err
}

// SearchItems finds current published items. On SQLite, terms of three or
// more characters go through the trigram FTS5 index, ranked by bm25;
// shorter terms (one or two Chinese characters, like "社保") are below a
// trigram and fall back to LIKE. PostgreSQL uses ILIKE for every term:
// pg_trgm would index it, but the extension cannot be assumed in the
// per-test schemas or in every government data center.
func (s *CatalogStore) SearchItems(ctx context.Context, q catalog.Query) ([]catalog.Item, int, error) {
	sq := s.searchQuery(q)
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+sq.from+sq.where, sq.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count items: %w", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	ids, err := s.itemIDs(ctx, fmt.Sprintf(`SELECT i.id%s%s ORDER BY %s LIMIT %d OFFSET %d`,
		sq.from, sq.where, sq.order, q.PerPage, q.Offset()), sq.args...)
	if err != nil || len(ids) == 0 {
		return nil, total, err
	}
	its, err := s.currentByID(ctx, ids)
	return its, total, err
}

// itemIDs runs a query for item ids. Searches sort and page ids first and
// read the guides of one page only, so that the sorter never carries the
// JSON bodies.
func (s *CatalogStore) itemIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	ids, err := queryIDs(ctx, s.db.read, query, args)
	if err != nil {
		return nil, fmt.Errorf("search items: %w", err)
	}
	return ids, nil
}

// currentByID reads the current versions of items by id, in the order of ids.
func (s *CatalogStore) currentByID(ctx context.Context, ids []int64) ([]catalog.Item, error) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		marks[i], args[i], pos[id] = fmt.Sprintf("$%d", i+1), id, i
	}
	its, err := s.items(ctx, `SELECT `+itemColumns+itemFrom+current+` AND i.id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(its, func(a, b catalog.Item) int { return pos[a.ID] - pos[b.ID] })
	return its, nil
}

type searchSQL struct {
	from, where, order string
	args               []any
}

func (s *CatalogStore) searchQuery(q catalog.Query) searchSQL {
	sq := searchSQL{from: ` FROM catalog_items i`, where: ` WHERE i.status = 'published'`, order: "i.name, i.code"}
	arg := func(v any) string {
		sq.args = append(sq.args, v)
		return fmt.Sprintf("$%d", len(sq.args))
	}
	like := "LIKE" // SQLite's LIKE ignores ASCII case already
	if s.db.Engine == Postgres {
		like = "ILIKE"
	}
	var phrases []string
	byName := ""
	for _, term := range strings.Fields(q.Q) {
		if s.db.Engine == SQLite && len([]rune(term)) >= 3 {
			phrases = append(phrases, `"`+strings.ReplaceAll(term, `"`, `""`)+`"`)
			continue
		}
		p := arg(likePattern(term))
		sq.where += ` AND i.search_text ` + like + ` ` + p + ` ESCAPE '\'`
		if byName == "" {
			byName = `CASE WHEN i.name ` + like + ` ` + p + ` ESCAPE '\' THEN 0 ELSE 1 END, `
		}
	}
	if len(phrases) > 0 {
		sq.from += ` JOIN catalog_search ON catalog_search.rowid = i.id`
		sq.where += ` AND catalog_search MATCH ` + arg(strings.Join(phrases, " AND "))
		sq.order = "catalog_search.rank, " + sq.order
	}
	sq.order = byName + sq.order
	if q.DepartmentCode != "" {
		sq.where += ` AND i.department_code = ` + arg(q.DepartmentCode)
	}
	if q.Object != "" {
		sq.where += ` AND i.objects LIKE ` + arg("%,"+string(q.Object)+",%")
	}
	if q.Theme != "" {
		sq.where += ` AND i.code IN (SELECT bi.item_code FROM catalog_bundle_items bi
			JOIN catalog_bundles b ON b.id = bi.bundle_id WHERE b.theme = ` + arg(q.Theme) + `)`
	}
	return sq
}

// likePattern matches term anywhere, with LIKE's wildcards escaped.
func likePattern(term string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(term) + "%"
}
