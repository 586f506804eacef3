package uploads_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"onevisit/internal/uploads"
)

// magic is the leading bytes each accepted media type must start with.
var magic = map[string]string{
	uploads.PDF: "%PDF-", uploads.JPEG: "\xFF\xD8\xFF", uploads.PNG: "\x89PNG\r\n\x1a\n", uploads.OFD: "PK\x03\x04",
}

func ofdSeed() []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("OFD.xml")
	_, _ = w.Write([]byte("<ofd:OFD/>"))
	_ = z.Close()
	return buf.Bytes()
}

// FuzzPut: whatever the bytes and the name, Put never panics, accepts only
// PDF, JPEG, PNG and OFD (by content, not name), and refuses the rest with
// a type or size error.
func FuzzPut(f *testing.F) {
	store, err := uploads.New(f.TempDir(), 1<<16)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"%PDF-1.7\n", "\xFF\xD8\xFF\xE0", "\x89PNG\r\n\x1a\n", "MZ\x90", "<html>", "", "PK\x03\x04"} {
		f.Add([]byte(s), "材料.pdf")
	}
	f.Add(ofdSeed(), "../../etc/passwd.ofd")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		b, err := store.Put(bytes.NewReader(data), name)
		if err != nil {
			if !errors.Is(err, uploads.ErrType) && !errors.Is(err, uploads.ErrTooLarge) {
				t.Fatalf("refused with an unexpected error: %v", err)
			}
			return
		}
		prefix, ok := magic[b.MediaType]
		if !ok || !bytes.HasPrefix(data, []byte(prefix)) {
			t.Fatalf("accepted %q as %q", data[:min(len(data), 16)], b.MediaType)
		}
		if b.Size != int64(len(data)) || bytes.ContainsAny([]byte(b.Name), "/\\\x00") {
			t.Fatalf("blob %+v for %d bytes named %q", b, len(data), name)
		}
	})
}
