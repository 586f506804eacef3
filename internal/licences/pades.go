package licences

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// SignPDF adds a PAdES/CMS approval signature (ECDSA P-256, SHA-256) to pdf
// with the current signing certificate and the root in the chain, as an
// incremental update that standard readers such as pdfsig check. No time
// stamp authority is asked: the signing time is the signer's clock.
func (k *KeyRing) SignPDF(in []byte, signer, reason string, at time.Time) ([]byte, error) {
	rdr, err := pdf.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		return nil, fmt.Errorf("licences: read PDF to sign: %w", err)
	}
	var out bytes.Buffer
	err = sign.Sign(bytes.NewReader(in), &out, rdr, int64(len(in)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info:     sign.SignDataSignatureInfo{Name: signer, Reason: reason, Location: "CN", Date: at},
			CertType: sign.ApprovalSignature,
		},
		Signer:            k.signer,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       k.cert,
		CertificateChains: [][]*x509.Certificate{k.Chain()},
	})
	if err != nil {
		return nil, fmt.Errorf("licences: sign PDF: %w", err)
	}
	return out.Bytes(), nil
}
