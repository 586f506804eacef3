package cases

import (
	"testing"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

func TestTransitionTable(t *testing.T) {
	tests := []struct {
		from Status
		a    Action
		want Status // "" → conflict
	}{
		{Draft, Submit, Submitted},
		{Submitted, PretrialPass, Received},
		{Submitted, PretrialCorrect, Corrections},
		{Corrections, Resubmit, Submitted},
		{Received, Accept, InReview},
		{Received, Notice, Noticed},
		{Noticed, Resubmit, Submitted},
		{Received, Refuse, Refused},
		{InReview, Suspend, Suspended},
		{Suspended, Resume, InReview},
		{InReview, Extend, InReview},
		{Suspended, Extend, Suspended},
		{InReview, Approve, Approved},
		{InReview, Deny, Denied},
		{Approved, Issue, Issued},
		{Issued, Deliver, Delivered},
		{Delivered, Archive, Archived},
		{InReview, Withdraw, Withdrawn},
		// illegal moves
		{Submitted, Accept, ""},
		{Suspended, Approve, ""},
		{Approved, Deny, ""},
		{Approved, Withdraw, ""},
		{Refused, Accept, ""},
		{Archived, Withdraw, ""},
		{Draft, Approve, ""},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.a)
		if tt.want == "" {
			if !apperr.Is(err, apperr.Conflict) {
				t.Errorf("%s from %s: got %s, %v; want a conflict", tt.a, tt.from, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s from %s: got %s, %v; want %s", tt.a, tt.from, got, err, tt.want)
		}
	}
	if _, err := Next(InReview, "teleport"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestWhoMayActOnACase(t *testing.T) {
	c := &Case{Department: "MARKET", Joint: []string{"COMMERCE"}, Applicant: Applicant{UserID: 8}}
	citizen := &identity.Principal{UserID: 8, Roles: []identity.Role{identity.Applicant}}
	other := &identity.Principal{UserID: 9, Roles: []identity.Role{identity.Applicant}}
	clerk := &identity.Principal{UserID: 2, Roles: []identity.Role{identity.Clerk}, DepartmentCode: "CENTER"}
	market := &identity.Principal{UserID: 3, Roles: []identity.Role{identity.Approver}, DepartmentCode: "MARKET"}
	commerce := &identity.Principal{UserID: 4, Roles: []identity.Role{identity.Approver}, DepartmentCode: "COMMERCE"}
	land := &identity.Principal{UserID: 5, Roles: []identity.Role{identity.Approver}, DepartmentCode: "LAND"}
	tests := []struct {
		name string
		p    *identity.Principal
		a    Action
		want apperr.Kind // Internal = allowed
	}{
		{"the applicant withdraws their own case", citizen, Withdraw, apperr.Internal},
		{"another applicant cannot even see it", other, Withdraw, apperr.NotFound},
		{"any clerk accepts any item", clerk, Accept, apperr.Internal},
		{"a clerk cannot approve", clerk, Approve, apperr.Forbidden},
		{"the implementing department approves", market, Approve, apperr.Internal},
		{"a joint department may act", commerce, Suspend, apperr.Internal},
		{"another department may not", land, Approve, apperr.Forbidden},
		{"an approver does not accept at the window", market, Accept, apperr.Forbidden},
		{"nobody logged in", nil, Withdraw, apperr.Unauthenticated},
	}
	for _, tt := range tests {
		err := Allowed(tt.p, c, tt.a)
		if tt.want == apperr.Internal {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
		} else if !apperr.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.want.Code())
		}
	}
	if !c.VisibleTo(commerce) || c.VisibleTo(land) || c.VisibleTo(other) || !c.VisibleTo(clerk) {
		t.Error("visibility: the joint department and front desk see it; other departments and applicants do not")
	}
}

func TestMissingListsEveryUnreceivedRequiredMaterial(t *testing.T) {
	c := &Case{Materials: []Material{
		{Code: "M1", Required: true, Received: true},
		{Code: "M2", Required: true},
		{Code: "M3", Required: true, Tolerant: true},                                   // tolerant but not promised: missing
		{Code: "M4", Required: true, Tolerant: true, Promised: mustDate("2026-12-04")}, // promised later: fine
		{Code: "M5", Required: false},
		{Code: "M6", Required: true, Received: true, Problem: "复印件不清晰"},
	}}
	var got []string
	for _, m := range c.Missing() {
		got = append(got, m.Code)
	}
	if len(got) != 3 || got[0] != "M2" || got[1] != "M3" || got[2] != "M6" {
		t.Fatalf("missing %v, want [M2 M3 M6]", got)
	}
}
