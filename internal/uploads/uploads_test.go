package uploads

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func newStore(t *testing.T, max int64) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := New(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func pngSample(t *testing.T) []byte {
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{200, 16, 46, 255})
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegSample(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipSample(t *testing.T, names ...string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>`)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// files lists the regular files under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	return out
}

func TestPutAcceptsByContent(t *testing.T) {
	tests := []struct {
		name, file string
		body       []byte
		media      string
	}{
		{"PDF", "申请书.pdf", []byte(minimalPDF), PDF},
		{"PNG", "照片.png", pngSample(t), PNG},
		{"JPEG", "身份证.jpg", jpegSample(t), JPEG},
		{"OFD", "营业执照.ofd", zipSample(t, "Doc_0/Document.xml", "OFD.xml"), OFD},
		{"JPEG named .pdf is still JPEG", "scan.pdf", jpegSample(t), JPEG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := newStore(t, 1<<20)
			b, err := s.Put(bytes.NewReader(tt.body), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if b.MediaType != tt.media || b.Size != int64(len(tt.body)) || b.Name != tt.file {
				t.Errorf("blob = %+v", b)
			}
			want := filepath.Join(dir, "sha256", b.SHA256[:2], b.SHA256[2:])
			if got := files(t, dir); len(got) != 1 || got[0] != want {
				t.Errorf("files = %v, want [%s]", got, want)
			}
			f, err := s.Open(b.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got, _ := io.ReadAll(f); !bytes.Equal(got, tt.body) {
				t.Error("Open returned different bytes")
			}
		})
	}
}

func TestPutRejectsOtherContent(t *testing.T) {
	tests := []struct {
		name, file string
		body       []byte
		detected   string
	}{
		{"HTML", "a.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "text/html"},
		{"EXE renamed .pdf", "setup.pdf", append([]byte("MZ\x90\x00\x03"), make([]byte, 64)...), "Windows executable"},
		{"ZIP without OFD.xml", "x.ofd", zipSample(t, "Doc_0/Document.xml"), "application/zip"},
		{"empty", "empty.pdf", nil, "empty"},
		{"PDF magic not at the start", "a.pdf", []byte("junk%PDF-1.4"), "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := newStore(t, 1<<20)
			_, err := s.Put(bytes.NewReader(tt.body), tt.file)
			var te *TypeError
			if !errors.Is(err, ErrType) || !errors.As(err, &te) {
				t.Fatalf("err = %v, want a TypeError", err)
			}
			if !strings.Contains(te.Detected, tt.detected) {
				t.Errorf("detected %q, want it to name %q", te.Detected, tt.detected)
			}
			if got := files(t, dir); len(got) != 0 {
				t.Errorf("left on disk: %v", got)
			}
		})
	}
}

func TestPutRejectsTooLargeAndLeavesNothing(t *testing.T) {
	s, dir := newStore(t, 100)
	body := []byte(minimalPDF + strings.Repeat("x", 100))
	_, err := s.Put(bytes.NewReader(body), "big.pdf")
	var tl *TooLargeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || tl.Limit != 100 {
		t.Fatalf("err = %v, want TooLargeError{100}", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("left on disk: %v", got)
	}
	if _, err := s.Put(strings.NewReader(minimalPDF[:100]), "exact.pdf"); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

func TestPutStoresDuplicateContentOnce(t *testing.T) {
	s, dir := newStore(t, 1<<20)
	a, err := s.Put(strings.NewReader(minimalPDF), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(strings.NewReader(minimalPDF), "b.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 != b.SHA256 || a.Size != b.Size || a.MediaType != b.MediaType {
		t.Errorf("blobs differ: %+v %+v", a, b)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files = %v, want one", got)
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	s, dir := newStore(t, 1<<20)
	body := pngSample(t)
	var wg sync.WaitGroup
	shas := make([]string, 16)
	for i := range shas {
		wg.Go(func() {
			b, err := s.Put(bytes.NewReader(body), "p.png")
			if err != nil {
				t.Error(err)
			}
			shas[i] = b.SHA256
		})
	}
	wg.Wait()
	for _, sha := range shas {
		if sha != shas[0] {
			t.Fatalf("different digests: %v", shas)
		}
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files = %v, want one", got)
	}
}

func TestOpenRejectsBadDigests(t *testing.T) {
	s, _ := newStore(t, 1<<20)
	for _, sha := range []string{"../../etc/passwd", "", strings.Repeat("A", 64),
		"../" + strings.Repeat("a", 61), strings.Repeat("a", 63) + "/"} {
		if _, err := s.Open(sha); !errors.Is(err, ErrBadDigest) {
			t.Errorf("Open(%q) err = %v, want ErrBadDigest", sha, err)
		}
	}
	if _, err := s.Open(strings.Repeat("ab", 32)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`C:\Users\张三\营业执照.pdf`, "营业执照.pdf"},
		{"申请\x00书\r\n.pdf", "申请书.pdf"},
		{"..", "file.pdf"},
		{"", "file.pdf"},
		{"/", "file.pdf"},
		{" 报告.pdf ", "报告.pdf"},
		{strings.Repeat("长", 300) + ".pdf", strings.Repeat("长", 196) + ".pdf"},
	}
	for _, tt := range tests {
		if got := CleanName(tt.in, PDF); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadersServeAsSandboxedAttachment(t *testing.T) {
	s, _ := newStore(t, 1<<20)
	b, err := s.Put(strings.NewReader(minimalPDF), "../../材料 1\".pdf")
	if err != nil {
		t.Fatal(err)
	}
	h := Headers(b)
	want := map[string]string{
		"Content-Type":            "application/pdf",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox",
		"Content-Disposition":     `attachment; filename="__ 1_.pdf"; filename*=UTF-8''%E6%9D%90%E6%96%99%201%22.pdf`,
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestNewNeedsAPositiveLimit(t *testing.T) {
	if _, err := New(t.TempDir(), 0); err == nil {
		t.Error("limit 0 accepted")
	}
}
