package ratelimit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"onevisit/internal/ratelimit"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestABucketAllowsItsBurstThenRefillsSteadily(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	l := ratelimit.New(10, c.now)
	for i := range 10 {
		if ok, _ := l.Allow("1.2.3.4"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("1.2.3.4")
	if ok || wait <= 0 || wait > 6*time.Second {
		t.Fatalf("11th attempt: ok=%v wait=%v, want refused for about 6 s", ok, wait)
	}
	if ok, _ := l.Allow("5.6.7.8"); !ok {
		t.Error("another client shares the first one's bucket")
	}
	c.advance(6 * time.Second)
	if ok, _ := l.Allow("1.2.3.4"); !ok {
		t.Error("a token did not come back after 6 s at 10/min")
	}
	if ok, _ := l.Allow("1.2.3.4"); ok {
		t.Error("only one token comes back in 6 s")
	}
}

func TestANilLimiterAllowsEverything(t *testing.T) {
	l := ratelimit.New(0, nil)
	for range 1000 {
		if ok, _ := l.Allow("x"); !ok {
			t.Fatal("rate 0 limits")
		}
	}
}

func TestFullBucketsAreSweptAndTheTableIsBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	l := ratelimit.New(60, c.now)
	for i := range 500 {
		l.Allow(fmt.Sprint("10.0.", i/256, ".", i%256))
	}
	if l.Len() != 500 {
		t.Fatalf("tracked %d keys, want 500", l.Len())
	}
	c.advance(2 * time.Minute)
	l.Allow("10.9.9.9")
	if l.Len() != 1 {
		t.Errorf("after every bucket refilled, %d keys are kept, want 1", l.Len())
	}
	for i := range 150_000 {
		l.Allow(fmt.Sprint("k", i))
	}
	if n := l.Len(); n > 100_000 {
		t.Errorf("the table grew to %d keys", n)
	}
}

func TestFailedLoginsAreLimitedPerAddressAndPerUserName(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	l := ratelimit.NewLimits(ratelimit.Rates{Login: 10}, c.now)
	for i := range 10 {
		ip := fmt.Sprint("10.0.0.", i)
		if wait := l.LoginWait(ip, "Clerk"); wait != 0 {
			t.Fatalf("attempt %d must wait %v", i+1, wait)
		}
		l.LoginFailed(ip, "Clerk")
	}
	if wait := l.LoginWait("10.0.1.1", "clerk "); wait <= 0 {
		t.Error("an 11th wrong guess at one account from a new address is allowed")
	}
	if wait := l.LoginWait("10.0.1.1", "citizen"); wait != 0 {
		t.Error("another account from another address must wait")
	}
	for range 10 {
		l.LoginFailed("10.0.2.2", fmt.Sprint("user", c.t.Nanosecond()))
		c.advance(time.Millisecond)
	}
	if wait := l.LoginWait("10.0.2.2", "admin"); wait <= 0 {
		t.Error("ten failures from one address, then another account is allowed")
	}
	c.advance(6 * time.Second)
	if wait := l.LoginWait("10.0.2.2", "admin"); wait != 0 {
		t.Errorf("after 6 s at 10/min the address still waits %v", wait)
	}
	if ok, _ := l.Tickets.Allow("x"); !ok {
		t.Error("a rate of 0 limits tickets")
	}
}

func TestRetryAfterIsAtLeastOneSecond(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, 200 * time.Millisecond: 1, 5100 * time.Millisecond: 6} {
		if got := ratelimit.RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestConcurrentUseIsSafe(t *testing.T) {
	l := ratelimit.New(600, nil)
	var wg sync.WaitGroup
	allowed := make(chan bool, 8*200)
	for g := range 8 {
		wg.Go(func() {
			for range 200 {
				ok, _ := l.Allow(fmt.Sprint("k", g%2))
				allowed <- ok
			}
		})
	}
	wg.Wait()
	close(allowed)
	n := 0
	for ok := range allowed {
		if ok {
			n++
		}
	}
	if n < 1200 || n > 1210 {
		t.Errorf("%d of 1600 allowed across two keys of 600, want about 1200", n)
	}
}
