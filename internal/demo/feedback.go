package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"onevisit/internal/assessment"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
	"onevisit/internal/identity"
)

// demoSupervisor decides appeals in the demo history.
var demoSupervisor = &identity.Principal{UserID: 5, Username: "supervisor", Name: "陈静", Kind: identity.Staff,
	Roles: []identity.Role{identity.Supervisor}, DepartmentCode: "REFORM"}

// SeedFeedback rates most decided demo cases through their SMS links
// (mostly good, some 差评 with rectification tasks at every stage), files
// a few unfinished-matter reports and runs the jobs as of now, so some
// tasks are overdue and some reports have climbed. It does nothing if
// ratings exist already.
func SeedFeedback(ctx context.Context, fs feedback.Store, cs cases.Store, es escalation.Store, cal *calendar.Service) error {
	if rs, err := fs.Ratings(ctx, feedback.RatingFilter{Limit: 1}); err != nil || len(rs) > 0 {
		return err
	}
	list, _, err := cs.Cases(ctx, cases.Filter{Statuses: []cases.Status{cases.Approved, cases.Denied, cases.Issued, cases.Delivered}, Page: 1, Per: 1000})
	if err != nil {
		return err
	}
	h := &history{}
	svc := feedback.NewService(fs, cs, cal, feedback.Config{}, h.now)
	rng := rand.New(rand.NewPCG(20180425, 11))
	for i, c := range list {
		if rng.IntN(10) == 0 || c.DecidedAt.IsZero() {
			continue // not everyone rates
		}
		h.t = c.DecidedAt.Add(time.Duration(1+rng.IntN(20)) * time.Hour)
		if err := seedRating(ctx, svc, h, c, i, rng); err != nil {
			return err
		}
	}
	if _, err := feedback.NewService(fs, cs, cal, feedback.Config{}, time.Now).MarkOverdue(ctx, time.Now()); err != nil {
		return err
	}
	return seedReports(ctx, es, cal, h)
}

var poorTexts = []string{"材料要求和指南不一致，多跑了一趟", "等候时间太长", "窗口人员解释不清楚", "网上申报系统老是卡住"}

// seedRating rates c and, for a 差评, moves its task along.
func seedRating(ctx context.Context, svc *feedback.Service, h *history, c cases.Case, i int, rng *rand.Rand) error {
	level := []feedback.Level{5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1}[rng.IntN(15)]
	in := feedback.Input{Level: level, RealName: rng.IntN(3) == 0,
		Indicators: map[string]int{"efficiency": int(level), "convenience": min(5, int(level)+rng.IntN(2))}}
	if level.Poor() {
		in.Labels = []string{feedback.Labels[rng.IntN(len(feedback.Labels))]}
		in.Text = poorTexts[rng.IntN(len(poorTexts))]
	}
	tok, err := svc.LinkToken(ctx, demoClerk, c.No)
	if err != nil {
		return err
	}
	if _, err := svc.RateByLink(ctx, tok, in); err != nil || !level.Poor() {
		return err
	}
	tasks, err := svc.Tasks(ctx, demoSupervisor, feedback.TaskFilter{Limit: 1000})
	if err != nil || len(tasks) == 0 {
		return err
	}
	t := tasks[len(tasks)-1]
	for _, x := range tasks {
		if x.CaseNo == c.No {
			t = x
		}
	}
	return advanceTask(ctx, svc, h, t, i%4)
}

// advanceTask leaves a task open (stage 0), closes it, explains it, or
// appeals it to a supervisor.
func advanceTask(ctx context.Context, svc *feedback.Service, h *history, t feedback.Task, stage int) error {
	dept := &identity.Principal{Username: "approver", Kind: identity.Staff, Roles: []identity.Role{identity.Approver}, DepartmentCode: t.Department}
	h.t = h.t.Add(26 * time.Hour)
	act := func(in feedback.TaskInput) error { _, err := svc.Act(ctx, dept, t.ID, in); return err }
	switch stage {
	case 1:
		if err := act(feedback.TaskInput{Action: feedback.Classify, Class: feedback.Immediate}); err != nil {
			return err
		}
		return act(feedback.TaskInput{Action: feedback.Close, Note: "已电话回访致歉，并更新办事指南材料说明", ReRating: 4})
	case 2:
		if err := act(feedback.TaskInput{Action: feedback.Classify, Class: feedback.Explain}); err != nil {
			return err
		}
		return act(feedback.TaskInput{Action: feedback.Close, Note: "已向申请人解释法定审查程序和时限"})
	case 3:
		return act(feedback.TaskInput{Action: feedback.Classify, Class: feedback.Appeal, Note: "申请人误选评价等级，电话核实为满意"})
	}
	return nil
}

// seedReports files unfinished-matter reports at several past days, so
// after the escalation job some sit at each level.
func seedReports(ctx context.Context, es escalation.Store, cal *calendar.Service, h *history) error {
	svc := escalation.NewService(es, cal, escalation.DefaultDeadlines, h.now)
	today := calendar.DateOf(time.Now())
	reports := []struct {
		back  int
		input escalation.Input
	}{
		{1, escalation.Input{Visitor: "刘洋", ItemName: "食品经营许可", Cause: escalation.Materials, Description: "外地营业执照复印件无法现场核验"}},
		{4, escalation.Input{Visitor: "宁波港通国际贸易有限公司", Cause: escalation.Coordination, Description: "进出口经营权备案需商务、海关两部门联办，窗口无法一次办结"}},
		{12, escalation.Input{Visitor: "陈建华", Cause: escalation.Policy, Description: "历史遗留厂房无产权证明，无法办理环评审批"}},
	}
	for _, r := range reports {
		h.t = today.AddDays(-r.back).In(calendar.Shanghai).Add(10 * time.Hour)
		if _, err := svc.File(ctx, demoClerk, r.input); err != nil {
			return err
		}
	}
	_, err := escalation.NewService(es, cal, escalation.DefaultDeadlines, time.Now).Escalate(ctx, time.Now())
	return err
}

// SeedFollowUp makes the callbacks of the last 30 days on the demo
// history and answers most of them (some needed another trip, some were
// unreachable; today's stay pending), then issues last month's notice;
// this month's shows as provisional. It does nothing if callbacks exist.
func SeedFollowUp(ctx context.Context, cb *feedback.Callbacks, as *assessment.Service) error {
	today := calendar.DateOf(time.Now())
	if list, err := cb.List(ctx, demoSupervisor, feedback.CallbackFilter{From: today.AddDays(-30)}); err != nil || len(list) > 0 {
		return err
	}
	for d := today.AddDays(-30); !d.After(today); d = d.AddDays(1) {
		if _, err := cb.CreateDue(ctx, d.In(calendar.Shanghai).Add(9*time.Hour)); err != nil {
			return err
		}
	}
	list, err := cb.List(ctx, demoSupervisor, feedback.CallbackFilter{From: today.AddDays(-30), To: today})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(20180425, 12))
	for _, c := range list {
		ans := feedback.Answers{Attitude: feedback.Level(3 + rng.IntN(3)), Efficiency: feedback.Level(3 + rng.IntN(3)),
			AnotherTrip: rng.IntN(12) == 0}
		if ans.AnotherTrip {
			ans.Suggestions = "希望办事指南把材料要求写得更清楚，免得再跑一趟"
		}
		if _, err := cb.Record(ctx, demoSupervisor, c.ID, rng.IntN(10) == 0, ans); err != nil {
			return err
		}
	}
	_, err = as.IssueDue(ctx, time.Now())
	return err
}
