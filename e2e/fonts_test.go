package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChineseTextHasGlyphs guards the screenshots: without a CJK font the
// browser draws every Chinese character as the same empty box. Two different
// characters drawn with the page's own font must then differ.
func TestChineseTextHasGlyphs(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)

	do(t, ctx, "open /login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	same := eval[bool](t, ctx, `(() => {
		const font = getComputedStyle(document.querySelector("h1")).font;
		const draw = ch => {
			const c = document.createElement("canvas"); c.width = c.height = 64;
			const g = c.getContext("2d"); g.font = font; g.textBaseline = "top"; g.fillText(ch, 4, 4);
			return Array.from(g.getImageData(0, 0, 64, 64).data).join(",");
		};
		return draw("登") === draw("录");
	})()`)
	if same {
		t.Fatal("Chinese characters render as identical boxes: no CJK font is installed. " +
			"Install one (Debian: apt-get install -y fonts-noto-cjk fonts-wqy-microhei) so that the screenshots are readable")
	}
}
