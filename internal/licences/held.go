package licences

import (
	"context"
	"strings"

	"onevisit/internal/apperr"
)

// Held lists the licences of one holder (ID number or USCC), newest
// first, without their PDFs: the "my licences" page of the holder, whose
// code the caller took from the signed-in account.
func (s *Service) Held(ctx context.Context, holderCode string) ([]Licence, error) {
	code := strings.ToUpper(strings.TrimSpace(holderCode))
	if code == "" {
		return nil, apperr.New(apperr.NotFound, "err.licence.none_held")
	}
	return s.store.Licences(ctx, code, "")
}
