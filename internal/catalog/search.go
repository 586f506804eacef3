package catalog

import (
	"context"
	"strings"
)

// Query asks for current published items. Q is Chinese full text over the
// name, conditions, material names and department name; the other fields
// filter. Page counts from 1.
type Query struct {
	Q              string `json:"q,omitempty"`
	DepartmentCode string `json:"dept,omitempty"`
	Object         Object `json:"object,omitempty"`
	Theme          string `json:"theme,omitempty"` // items of the bundles of this theme
	Page           int    `json:"page"`
	PerPage        int    `json:"perPage"`
}

// Page is one page of results and the total number of matches.
type Page[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"perPage"`
}

// The page sizes of a search.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// Normalized is q with its text trimmed and its paging within bounds.
func (q Query) Normalized() Query {
	q.Q = strings.Join(strings.Fields(q.Q), " ")
	q.Page = max(q.Page, 1)
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	return q
}

// Offset is the number of matches before the page.
func (q Query) Offset() int { return (q.Page - 1) * q.PerPage }

// Search finds current published items, most relevant first, then by name.
func (s *Service) Search(ctx context.Context, q Query) (Page[Item], error) {
	q = q.Normalized()
	items, total, err := s.store.SearchItems(ctx, q)
	if err != nil {
		return Page[Item]{}, err
	}
	if items, err = s.fillAll(ctx, items); err != nil {
		return Page[Item]{}, err
	}
	if items == nil {
		items = []Item{}
	}
	return Page[Item]{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}
