package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/assessment"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/document"
	"onevisit/internal/feedback"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// newAssessment wires the assessment of w's database, with two departments.
func newAssessment(t *testing.T, w *feedbackWorld) *assessment.Service {
	t.Helper()
	for _, d := range []identity.Department{{Code: "MARKET", Name: "市场监督管理局"}, {Code: "ENV", Name: "生态环境分局"}} {
		if err := w.db.Identity().CreateDepartment(context.Background(), &d, audit.New(audit.System, "department.create", "department", d.Code)); err != nil {
			t.Fatal(err)
		}
	}
	cb := feedback.NewCallbacks(w.svc, w.db.Feedback(), 0)
	return assessment.NewService(assessment.Deps{Store: w.db.Assessment(), Reporter: cb, Records: w.db.Feedback(), Reports: w.db.Escalations(),
		Cases: w.db.Cases(), Departments: w.db.Identity(), Notifier: notify.NewService(w.db, func() time.Time { return w.now })},
		"宁波保税区行政服务中心", func() time.Time { return w.now })
}

func TestTheMonthlyNoticeRanksDepartmentsAndIsIssuedOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		svc := newAssessment(t, w)
		w.now = time.Date(2026, 11, 10, 10, 0, 0, 0, calendar.Shanghai)
		for i := range 4 {
			w.addDeptCase(t, "MARKET", "M1", 1, w.now)
			w.addDeptCase(t, "ENV", "E1", i%2*2, w.now) // half of them needed two visits
		}
		poor := w.addDeptCase(t, "ENV", "E2", 1, w.now)
		if _, err := w.svc.Rate(ctx, w.owner, poor.No, feedback.Input{Level: feedback.Bad, Labels: []string{"slow"}}); err != nil {
			t.Fatal(err)
		}
		dec1 := time.Date(2026, 12, 1, 9, 0, 0, 0, calendar.Shanghai)
		w.now = dec1
		for run, want := range []int{1, 0} {
			if n, err := svc.IssueDue(ctx, dec1); err != nil || n != want {
				t.Fatalf("run %d issued %d (%v), want %d", run, n, err, want)
			}
		}
		n, err := svc.Notice(ctx, w.sup, assessment.Month{Year: 2026, Month: 11})
		if err != nil || !n.Issued || len(n.Scores) != 2 {
			t.Fatalf("notice %+v %v", n, err)
		}
		if n.Scores[0].Department != "MARKET" || n.Scores[0].Rank != 1 || n.Scores[1].Score >= n.Scores[0].Score {
			t.Errorf("league table %+v", n.Scores)
		}
		if d := n.Scores[1].DragText(); !strings.Contains(d, "差评 1 条") {
			t.Errorf("ENV drags %q, want its 差评", d)
		}
		notes, _ := notify.NewService(db, time.Now).List(ctx, &identity.Principal{DepartmentCode: "ENV"}, false)
		if len(notes) != 1 || notes[0].Link != "/assessment/2026-11" {
			t.Errorf("ENV notifications %+v", notes)
		}
		checkNoticePDF(t, n)
	})
}

// checkNoticePDF renders n and checks with pdftotext that each
// department's name and score are in it.
func checkNoticePDF(t *testing.T, n assessment.Notice) {
	font, err := document.FindFont()
	if err != nil {
		t.Skip(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	r, err := document.New(font)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Monthly(n.Document())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, s := range n.Scores {
		if want := s.Name + fmt.Sprintf("%.1f", s.Score); !strings.Contains(text, want) {
			t.Errorf("notice PDF lacks %q:\n%s", want, text)
		}
	}
}

func TestScorecardsMustAddUpToAHundred(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, ctx := newFeedbackWorld(t, db), context.Background()
		svc := newAssessment(t, w)
		bad := assessment.DefaultConfig()
		bad.Default[assessment.OnTime] = 50
		if _, err := svc.SaveConfig(ctx, w.sup, bad); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("weights of 120: %v", err)
		}
		good := assessment.DefaultConfig()
		good.Departments = map[string]assessment.Weights{"ENV": {assessment.OnTime: 50, assessment.Satisfaction: 50}}
		if _, err := svc.SaveConfig(ctx, w.dept, good); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("a department edits scorecards: %v", err)
		}
		if _, err := svc.SaveConfig(ctx, w.sup, good); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Config(ctx, w.sup)
		if err != nil || got.For("ENV")[assessment.OnTime] != 50 || got.For("MARKET")[assessment.OnTime] != 30 {
			t.Fatalf("config %+v %v", got, err)
		}
	})
}
