package demo

import (
	"context"
	"fmt"

	"onevisit/internal/apperr"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
)

// HallCode is the code of the demo hall: /hall/main/screen, /hall/main/kiosk.
const HallCode = "main"

// hallAdmin is the principal the demo sets the hall up as.
var hallAdmin = &identity.Principal{Username: "system", Name: "system", Kind: identity.Staff,
	Roles: []identity.Role{identity.Admin, identity.Clerk}}

// hallZones are the demo hall's zones (办理区).
var hallZones = []queue.Zone{
	{Code: "HRSS", Prefix: "A", Name: "人力社保", NameEn: "Human resources & social security", Department: "HRSS"},
	{Code: "MARKET", Prefix: "B", Name: "市场监管", NameEn: "Market supervision", Department: "MARKET"},
	{Code: "INVEST", Prefix: "C", Name: "投资建设", NameEn: "Investment & construction", Department: "CONSTR"},
	{Code: "ISSUE", Prefix: "D", Name: "综合出件", NameEn: "Results & licences", Department: "CENTER"},
	{Code: "ASK", Prefix: "E", Name: "咨询导办", NameEn: "Enquiries", Department: "CENTER"},
}

// hallWindows are windows 1–12: six comprehensive (无差别全科) windows for
// A–C, three special windows, a green channel, issuing and enquiries.
var hallWindows = []struct {
	kind   queue.WindowKind
	zones  string
	number int
}{
	{queue.Comprehensive, "ABC", 1}, {queue.Comprehensive, "ABC", 2}, {queue.Comprehensive, "ABC", 3},
	{queue.Comprehensive, "ABC", 4}, {queue.Comprehensive, "ABC", 5}, {queue.Comprehensive, "ABC", 6},
	{queue.Special, "A", 7}, {queue.Special, "B", 8}, {queue.Special, "C", 9},
	{queue.Green, "ABCDE", 10}, {queue.Issuing, "D", 11}, {queue.Consultation, "E", 12},
}

// SeedHall sets up the demo hall once, and on a day whose queue is still
// empty takes a handful of tickets and calls three of them, so that the
// screens have something to show. The demo hall issues tickets around the
// clock so the demo works at any hour; a real hall keeps 08:30–17:00 on
// working days.
func SeedHall(ctx context.Context, svc *queue.Service) error {
	h, err := svc.Hall(ctx, HallCode)
	if apperr.Is(err, apperr.NotFound) {
		h, err = setUpHall(ctx, svc)
	}
	if err != nil {
		return fmt.Errorf("demo hall: %w", err)
	}
	b, err := svc.Board(ctx, HallCode)
	if err != nil || b.Total > 0 || len(b.Recent) > 0 {
		return err
	}
	return seedTickets(ctx, svc, h)
}

func setUpHall(ctx context.Context, svc *queue.Service) (queue.Hall, error) {
	h, err := svc.SaveHall(ctx, hallAdmin, queue.Hall{Code: HallCode, Name: "北仑区行政服务中心", NameEn: "Beilun Administrative Service Center",
		Opens: "00:00", Closes: "24:00", MaxPriorityRun: 3, Voice: true, VoiceRepeat: 2,
		Notice: "最多跑一次：办事只需跑一次，或者一次都不用跑。　70 岁以上老人、残疾人、预约群众优先办理，请到导服台咨询。　请留意叫号，过号请重新取号。"})
	if err != nil {
		return h, err
	}
	ids := map[byte]int64{}
	for i, z := range hallZones {
		z.HallID, z.Sort = h.ID, i
		if z, err = svc.SaveZone(ctx, hallAdmin, z); err != nil {
			return h, err
		}
		ids[z.Prefix[0]] = z.ID
	}
	for _, w := range hallWindows {
		win := queue.Window{HallID: h.ID, Number: w.number, Kind: w.kind}
		for i := range len(w.zones) {
			win.Zones = append(win.Zones, ids[w.zones[i]])
		}
		if _, err := svc.SaveWindow(ctx, hallAdmin, win); err != nil {
			return h, err
		}
	}
	return svc.Hall(ctx, HallCode)
}

// seedTickets takes 16 tickets (one of them an elderly visitor's) and has
// windows 1–3 call one each.
func seedTickets(ctx context.Context, svc *queue.Service, h queue.Hall) error {
	for i, zone := range []string{"A", "B", "A", "C", "A", "B", "D", "A", "C", "B", "A", "E", "C", "A", "B", "D"} {
		in := queue.TakeInput{Zone: zone, Channel: queue.Seeded}
		if i == 9 {
			in.IDNumber = elderlyID()
		}
		if _, err := svc.Take(ctx, nil, HallCode, in); err != nil {
			return err
		}
	}
	for i, name := range []string{"张敏", "刘洋", "陈晨"} {
		clerk := &identity.Principal{Username: "demo-window", Name: name, Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}}
		id := h.Windows[i].ID
		if _, err := svc.SignIn(ctx, clerk, id); err != nil {
			return err
		}
		if _, err := svc.Call(ctx, clerk, id); err != nil {
			return err
		}
	}
	return nil
}

// elderlyID is a demo visitor's ID number: born 1950-05-01, over 70.
func elderlyID() string {
	body := Region + "19500501" + "004"
	c, _ := idcode.IDCardCheck(body)
	return body + string(c)
}
