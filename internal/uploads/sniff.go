package uploads

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
)

// Media types Put accepts.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
	OFD  = "application/ofd" // GB/T 33190 版式文档, a ZIP package with OFD.xml at its root
)

// sniff decides the media type of the n bytes in f by content alone.
func sniff(f io.ReaderAt, n int64) (string, error) {
	head := make([]byte, min(n, 512))
	if _, err := f.ReadAt(head, 0); err != nil && err != io.EOF {
		return "", err
	}
	switch {
	case n == 0:
		return "", &TypeError{Detected: "an empty file"}
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) && isOFD(f, n):
		return OFD, nil
	case bytes.HasPrefix(head, []byte("MZ")):
		return "", &TypeError{Detected: "a Windows executable"}
	}
	return "", &TypeError{Detected: http.DetectContentType(head)}
}

// isOFD reports whether the ZIP in f has an OFD.xml entry at its root.
func isOFD(f io.ReaderAt, n int64) bool {
	z, err := zip.NewReader(f, n)
	if err != nil {
		return false
	}
	for _, e := range z.File {
		if e.Name == "OFD.xml" {
			return true
		}
	}
	return false
}
