package document

import (
	"os"
	"testing"
	"time"
)

func sampleLicence() LicenceData {
	issued := time.Date(2026, 11, 27, 0, 0, 0, 0, cst)
	id := "1.2.156.3005.2.11100000000013338W011.11330206MB1234567X.2026000001.001.K"
	return LicenceData{TypeName: "食品经营许可证", Issuer: "宁波市北仑区市场监督管理局", Identifier: id,
		Number: "JY2026000001", IssueDate: issued, ValidFrom: issued, ValidTo: issued.AddDate(5, 0, -1),
		VerifyURL: "https://zwfw.example.gov.cn/verify/" + id,
		Face: []LicenceField{{"经营者名称", "宁波海天餐饮管理有限公司"}, {"统一社会信用代码", "91330206MA2CX0Y1XB"},
			{"法定代表人", "张三"}, {"住所", "浙江省宁波市北仑区新碶街道明州路100号"},
			{"经营项目", "热食类食品制售；冷食类食品制售；自制饮品制售"}}}
}

func TestLicenceShowsFaceItemsAndQR(t *testing.T) {
	r := newRenderer(t)
	d := sampleLicence()
	pdf, err := r.Licence(d)
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("ONEVISIT_LICENCE_PDF"); out != "" {
		_ = os.WriteFile(out, pdf, 0o644)
	}
	assertContains(t, text(t, pdf), "食品经营许可证", "宁波海天餐饮管理有限公司", "热食类食品制售", "证照编号：JY2026000001",
		"电子证照专用章", "2026年11月27日至2031年11月26日")
	if got := decodeQR(t, pdf); got != d.VerifyURL {
		t.Errorf("QR = %q, want %q", got, d.VerifyURL)
	}
	if pages(t, pdf) != 1 {
		t.Error("a licence fits on one page")
	}
}

func TestLicenceNeedsIdentifier(t *testing.T) {
	r := newRenderer(t)
	d := sampleLicence()
	d.Identifier = ""
	if _, err := r.Licence(d); err == nil {
		t.Fatal("want an error without an identifier")
	}
}
