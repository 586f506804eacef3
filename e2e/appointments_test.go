package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAppointmentBookRescheduleCancel has the demo citizen book a slot of a
// bookable item on the phone-sized page, get a confirmation code, move the
// booking and cancel it.
func TestAppointmentBookRescheduleCancel(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	tab := newTab(t, browser)
	login(t, tab, base, "citizen", demoPassword)
	setViewport(t, tab, phoneW, phoneH)
	do(t, tab, "open appointments", chromedp.Navigate(base+"/appointments"),
		chromedp.Click(chromedp.CSS(`[data-testid^=book-]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=slots]`)))
	screenshot(t, tab, "appointment-slots-phone.png", phoneW, phoneH)
	screenshot(t, tab, "appointment-slots-desktop.png", desktopW, desktopH)
	do(t, tab, "book the first free slot",
		chromedp.Click(chromedp.CSS(`[data-testid=slots] button:enabled`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=appt-code]`)))
	code := text(t, tab, `[data-testid=appt-code]`)
	if len(strings.TrimSpace(code)) != 8 {
		t.Fatalf("confirmation code %q", code)
	}
	screenshot(t, tab, "appointment-phone.png", phoneW, phoneH)
	do(t, tab, "reschedule to another slot",
		chromedp.Click(chromedp.CSS(`[data-testid=reschedule]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=slots]`)),
		chromedp.Click(chromedp.CSS(`[data-testid=slots] button:enabled:last-of-type`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=appt-code]`)))
	do(t, tab, "cancel", chromedp.Click(chromedp.CSS(`[data-testid=cancel]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=my-appointments]`)))
	screenshot(t, tab, "appointments-phone.png", phoneW, phoneH)
	screenshot(t, tab, "appointments-desktop.png", desktopW, desktopH)

	kiosk := newTab(t, browser)
	do(t, kiosk, "open the kiosk", chromedp.Navigate(base+"/hall/main/kiosk"))
	screenshot(t, kiosk, "kiosk-checkin.png", 1080, 1920)
}

// TestHallStatisticsAndStaffingShowTheDemoHistory opens the statistics and
// staffing pages as the leader over the demo's simulated weeks.
func TestHallStatisticsAndStaffingShowTheDemoHistory(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	tab := newTab(t, browser)
	login(t, tab, base, "leader", demoPassword)
	do(t, tab, "open statistics", chromedp.Navigate(base+"/hall/main/stats"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=stats-range]`)))
	if rows := eval[int](t, tab, `document.querySelectorAll("[data-testid=stats-range] table")[3].tBodies[0].rows.length`); rows < 8 {
		t.Errorf("the history has %d hours, want a working day's", rows)
	}
	screenshot(t, tab, "hall-stats-desktop.png", desktopW, desktopH)
	screenshot(t, tab, "hall-stats-phone.png", phoneW, phoneH)
	do(t, tab, "open staffing", chromedp.Navigate(base+"/hall/main/staffing"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=staffing-hours] table`)))
	screenshot(t, tab, "hall-staffing-desktop.png", desktopW, desktopH)
	screenshot(t, tab, "hall-staffing-phone.png", phoneW, phoneH)
}
