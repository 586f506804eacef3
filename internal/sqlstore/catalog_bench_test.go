package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"onevisit/internal/catalog"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// generateCatalog publishes n items on top of the test fixture, with names
// made of real-looking subjects and actions spread over its departments.
func generateCatalog(b *testing.B, db *sqlstore.DB, n int) *catalog.Service {
	svc := catalogFixture(b, db)
	subjects := []string{"对外贸易经营者", "食品经营", "建设工程规划", "道路运输", "医疗机构执业", "排污", "药品零售",
		"公共场所卫生", "人力资源服务", "劳务派遣经营", "社会保险", "住房公积金", "特种设备使用", "广告发布", "出版物经营"}
	actions := []string{"许可", "登记", "备案", "变更", "注销", "延续", "核发", "补证"}
	depts := []string{"COMMERCE", "MARKET", "HRSS"}
	mats := []string{"M-APP", "M-LICENSE", "M-ID", "M-TRADE", "M-PHOTO", "M-CHARTER", "M-LEASE", "M-RESIDENCE"}
	for i := range n {
		name := fmt.Sprintf("%s%s（第%d类）", subjects[i%len(subjects)], actions[(i/len(subjects))%len(actions)], i)
		it := item(fmt.Sprintf("G%05d", i), name, depts[i%len(depts)], 4, 20, mats[i%5], mats[5+i%3])
		it.Conditions = "申请人应当具备" + subjects[(i+3)%len(subjects)] + "相应条件"
		publish(b, svc, it)
	}
	return svc
}

// BenchmarkSearch measures searches over 10,000 published items on SQLite
// and reports the median and 99th-percentile latency of one search.
func BenchmarkSearch(b *testing.B) {
	db := sqlstoretest.SQLite(b)
	svc := generateCatalog(b, db, 10_000)
	ctx := context.Background()
	queries := []catalog.Query{
		{Q: "外贸"}, {Q: "社保"}, {Q: "食品经营许可"}, {Q: "建设工程规划"}, {Q: "营业执照"},
		{Q: "登记", DepartmentCode: "MARKET"}, {Q: "药品", Page: 3}, {DepartmentCode: "HRSS", Object: catalog.ForEnterprise},
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := svc.Search(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
