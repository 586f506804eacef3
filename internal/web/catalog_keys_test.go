package web

import (
	"testing"

	"onevisit/internal/i18n"
	"onevisit/internal/identity"
)

// Every role and permission the pages name has its text in the catalog.
func TestEveryRoleAndPermissionHasAName(t *testing.T) {
	msgs := i18n.MustLoad()
	for _, r := range identity.Roles {
		for _, key := range []string{"role." + string(r), "title.home." + string(r)} {
			if !msgs.Has(key) {
				t.Errorf("no message %s", key)
			}
		}
	}
	for _, p := range identity.Permissions {
		if !msgs.Has("perm." + string(p)) {
			t.Errorf("no message perm.%s", p)
		}
	}
}
