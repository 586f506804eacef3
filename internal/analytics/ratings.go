package analytics

import (
	"context"

	"onevisit/internal/identity"
)

// Ratings sums the valid ratings (好差评) given in f's period, in f's
// department or item (the channel does not apply): a summary's Ratings
// for a period without the rest of a summary, for the previous period the
// dashboard compares satisfaction with.
func (s *Service) Ratings(ctx context.Context, p *identity.Principal, f Filter) (Ratings, error) {
	if err := allow(p); err != nil {
		return Ratings{}, err
	}
	return s.ratingsOf(ctx, f)
}

// ratingsOf sums the valid ratings of f's period in one group.
func (s *Service) ratingsOf(ctx context.Context, f Filter) (Ratings, error) {
	rs, err := s.ratings(ctx, f, "")
	if err != nil || len(rs) == 0 {
		return Ratings{}, err
	}
	return rs[0], nil
}
