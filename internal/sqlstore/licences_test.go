package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/licences"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

func sampleLicence(id, sm3 string) licences.Licence {
	day, _ := calendar.ParseDate("2026-11-27")
	to, _ := calendar.ParseDate("2031-11-26")
	return licences.Licence{Identifier: id, TypeCode: "T001", TypeName: "食品经营许可证", Serial: "2026000001", Version: 1,
		IssuerName: "市场监督管理局", IssuerCode: "11330206002500287C", HolderName: "海天餐饮", HolderCode: "91330206MA2CX0Y1XB",
		HolderKind: "legal", CaseNo: "C1", Face: []licences.FaceItem{{Name: "经营项目", Value: "热食类"}}, IssueDate: day,
		ValidFrom: day, ValidTo: to, Status: licences.Valid, PDF: []byte("%PDF-1.7 …"), SM3: sm3, SHA256: "s",
		Seal: []byte{0x30, 0}, SealCert: "fp", CreatedAt: time.UnixMicro(1_800_000_000_000_000).UTC()}
}

func TestLicenceStoreRoundTripAndLifecycle(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, s := context.Background(), db.Licences()
		a := audit.New(audit.System, "test", "licence", "")
		if err := s.SaveLicenceType(ctx, licences.Type{Code: "T001", Name: "食品经营许可证",
			Fields: []licences.Field{{Label: "经营项目"}}, ValidYears: 5, Items: []string{"FOOD"}}, a); err != nil {
			t.Fatal(err)
		}
		if ts, err := s.LicenceTypes(ctx); err != nil || len(ts) != 1 || ts[0].Items[0] != "FOOD" {
			t.Fatalf("types = %v, %v", ts, err)
		}
		for want := int64(1); want <= 2; want++ {
			if n, err := s.NextLicenceSerial(ctx, "T001", "X", 2026); err != nil || n != want {
				t.Fatalf("serial = %d, %v; want %d", n, err, want)
			}
		}
		l := sampleLicence("ID1", "sm3a")
		if err := s.CreateLicence(ctx, &l, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.LicenceBySM3(ctx, "sm3a")
		if err != nil || got.Identifier != "ID1" || string(got.PDF) != string(l.PDF) || got.ValidTo != l.ValidTo || got.Face[0].Value != "热食类" {
			t.Fatalf("by SM3 = %+v, %v", got, err)
		}
		next := sampleLicence("ID2", "sm3b")
		next.Version, next.PrevIdentifier = 2, "ID1"
		if err := s.SupersedeLicence(ctx, &next, a); err != nil {
			t.Fatal(err)
		}
		if err := s.SupersedeLicence(ctx, &next, a); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("superseding twice: %v", err)
		}
		old, _ := s.Licence(ctx, "ID1")
		if old.Status != licences.Superseded || old.NextIdentifier != "ID2" {
			t.Errorf("old = %s → %s", old.Status, old.NextIdentifier)
		}
		held, _ := s.Licences(ctx, "91330206MA2CX0Y1XB", "")
		if len(held) != 2 || held[0].PDF != nil {
			t.Errorf("held = %d", len(held))
		}
		late, _ := calendar.ParseDate("2031-11-27")
		if due, _ := s.ExpiredLicences(ctx, late); len(due) != 1 || due[0].Identifier != "ID2" {
			t.Errorf("expired = %v", due)
		}
		if err := s.SetLicenceStatus(ctx, "ID2", licences.Valid, licences.Revoked, "注销", time.Now(), a); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLicenceStatus(ctx, "ID2", licences.Valid, licences.Revoked, "注销", time.Now(), a); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("revoking twice: %v", err)
		}
		if _, err := s.Licence(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown: %v", err)
		}
	})
}
