package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"

	"onevisit/internal/idcode"
)

// item is the demo item the write scenarios use: 个体工商户设立登记 of
// 市场监管局, three materials, a 即办件.
const item = "330206-MARKET-XK-0004"

// acceptance is a clerk's window application for item with the decision
// to accept, for a generated applicant.
func acceptance(rng *rand.Rand) map[string]any {
	body := fmt.Sprintf("330206%04d%02d%02d%03d", 1950+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000))
	c, _ := idcode.IDCardCheck(body)
	return map[string]any{"itemCode": item, "decision": "accept", "window": "3号窗口",
		"applicant": map[string]string{"kind": "person", "name": "压测申请人", "idNumber": body + string(c)},
		"materials": []map[string]any{{"code": "M018", "received": true}, {"code": "M019", "received": true}, {"code": "M005", "received": true}}}
}

// AcceptScenario is 无差别全科受理 through the API: one POST per case.
func AcceptScenario() Scenario {
	return Scenario{Name: "cases: window accept", Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
		return c.Do(ctx, "clerk", "POST", "/api/v1/cases", acceptance(rng), http.StatusCreated, nil)
	}}
}

// LifecycleScenario takes a case from acceptance to approval and issue.
func LifecycleScenario() Scenario {
	return Scenario{Name: "cases: full lifecycle", Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
		var cs struct{ No string }
		if err := c.Do(ctx, "clerk", "POST", "/api/v1/cases", acceptance(rng), http.StatusCreated, &cs); err != nil {
			return err
		}
		for _, step := range []struct{ user, action string }{{"approver", "approve"}, {"issuer", "issue"}} {
			path := "/api/v1/cases/" + url.PathEscape(cs.No) + "/" + step.action
			if err := c.Do(ctx, step.user, "POST", path, map[string]string{"reason": "符合条件"}, http.StatusOK, nil); err != nil {
				return err
			}
		}
		return nil
	}}
}

// caseNumbers lists up to 200 numbers of cases in review or decided, as
// the clerk sees them.
func caseNumbers(ctx context.Context, c *Client) ([]string, error) {
	var list struct{ Cases []struct{ No string } }
	if err := c.Do(ctx, "clerk", "GET", "/api/v1/cases?status=in_review,approved,delivered", nil, http.StatusOK, &list); err != nil {
		return nil, err
	}
	var nos []string
	for _, x := range list.Cases {
		nos = append(nos, x.No)
	}
	if len(nos) == 0 {
		return nil, fmt.Errorf("no cases to query: run against a demo")
	}
	return nos[:min(len(nos), 200)], nil
}

// OpenCaseScenario is a clerk opening cases by number: each read shows the
// applicant's personal data and is therefore audited — a write.
func OpenCaseScenario() Scenario {
	var (
		mu  sync.Mutex
		nos []string
	)
	return Scenario{Name: "cases: clerk opens case",
		Setup: func(ctx context.Context, c *Client) error {
			mu.Lock()
			defer mu.Unlock()
			var err error
			if nos == nil {
				nos, err = caseNumbers(ctx, c)
			}
			return err
		},
		Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			no := nos[rng.IntN(len(nos))]
			return c.Do(ctx, "clerk", "GET", "/api/v1/cases/"+url.PathEscape(no), nil, http.StatusOK, nil)
		}}
}

// ProgressScenario is applicants checking their cases' progress without
// signing in (办件进度查询): the case number and the last six characters of
// their ID number or USCC.
func ProgressScenario() Scenario {
	var (
		mu      sync.Mutex
		queries []string
	)
	return Scenario{Name: "cases: progress query",
		Setup: func(ctx context.Context, c *Client) error {
			mu.Lock()
			defer mu.Unlock()
			if queries != nil {
				return nil
			}
			nos, err := caseNumbers(ctx, c)
			if err != nil {
				return err
			}
			for _, no := range nos[:min(len(nos), 50)] {
				var cs struct {
					Applicant struct{ IDNumber, USCC string }
				}
				if err := c.Do(ctx, "clerk", "GET", "/api/v1/cases/"+url.PathEscape(no), nil, http.StatusOK, &cs); err != nil {
					return err
				}
				code := cs.Applicant.IDNumber + cs.Applicant.USCC
				if len(code) >= 6 {
					queries = append(queries, "/api/v1/progress/"+url.PathEscape(no)+"?code="+code[len(code)-6:])
				}
			}
			if len(queries) == 0 {
				return fmt.Errorf("no cases with applicant codes to query")
			}
			return nil
		},
		Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			return c.Do(ctx, "", "GET", queries[rng.IntN(len(queries))], nil, http.StatusOK, nil)
		}}
}

// GuideSearchScenario searches the public catalog.
func GuideSearchScenario() Scenario {
	terms := []string{"外贸", "社保", "食品", "施工许可", "公司设立", "人才"}
	return Scenario{Name: "catalog: guide search", Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
		return c.Do(ctx, "", "GET", "/api/v1/items?q="+url.QueryEscape(terms[rng.IntN(len(terms))]), nil, http.StatusOK, nil)
	}}
}
