package licences

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// OIDSM2WithSM3 is the signature algorithm of the seal signature,
// SM2-with-SM3 (GM/T 0006; BouncyCastle GMObjectIdentifiers.sm2sign_with_sm3).
var OIDSM2WithSM3 = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 501}

// sealTBS is what the seal signs, in the spirit of GB/T 38540 TBS_Sign:
// the licence, the SM3 digest of the signed PDF (原文杂凑值), the time and
// the seal certificate's fingerprint.
type sealTBS struct {
	Version    int
	Identifier string    `asn1:"utf8"`
	DataHash   []byte    // SM3 of the PDF file
	SignedAt   time.Time `asn1:"generalized"`
	CertHash   []byte    // SM3 of the seal certificate (DER)
}

// sealSignature is the stored seal signature (电子签章数据).
type sealSignature struct {
	TBS       sealTBS
	Algorithm asn1.ObjectIdentifier
	Signature []byte // SM2 signature (ASN.1 r, s) with the GM/T 0009 default user ID
}

// ErrSeal means a seal signature does not match the document or the key.
var ErrSeal = errors.New("licences: seal signature does not verify")

// SM3Hex is the hex SM3 digest of b.
func SM3Hex(b []byte) string {
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}

// Seal signs the SM3 digest of pdf for the licence identifier with the
// current seal key and returns the DER seal signature.
func (k *KeyRing) Seal(identifier string, pdf []byte, at time.Time) ([]byte, error) {
	data := sm3.Sum(pdf)
	cert := sm3.Sum(k.sealCert.Raw)
	tbs := sealTBS{Version: 1, Identifier: identifier, DataHash: data[:], SignedAt: at.UTC().Truncate(time.Second), CertHash: cert[:]}
	der, err := asn1.Marshal(tbs)
	if err != nil {
		return nil, fmt.Errorf("licences: seal: %w", err)
	}
	sig, err := sm2.SignASN1(rand.Reader, k.seal, der, sm2.DefaultSM2SignerOpts)
	if err != nil {
		return nil, fmt.Errorf("licences: seal: %w", err)
	}
	return asn1.Marshal(sealSignature{TBS: tbs, Algorithm: OIDSM2WithSM3, Signature: sig})
}

// VerifySeal checks a seal signature against pdf and identifier with the
// seal certificate it names. It returns ErrSeal when anything differs.
func (k *KeyRing) VerifySeal(seal []byte, identifier string, pdf []byte) error {
	var s sealSignature
	var raw struct {
		TBS       asn1.RawValue
		Algorithm asn1.ObjectIdentifier
		Signature []byte
	}
	if rest, err := asn1.Unmarshal(seal, &raw); err != nil || len(rest) > 0 {
		return fmt.Errorf("%w: malformed", ErrSeal)
	}
	if _, err := asn1.Unmarshal(raw.TBS.FullBytes, &s.TBS); err != nil {
		return fmt.Errorf("%w: malformed", ErrSeal)
	}
	s.Algorithm, s.Signature = raw.Algorithm, raw.Signature
	if !s.Algorithm.Equal(OIDSM2WithSM3) || s.TBS.Identifier != identifier {
		return fmt.Errorf("%w: algorithm or identifier", ErrSeal)
	}
	if sum := sm3.Sum(pdf); hex.EncodeToString(sum[:]) != hex.EncodeToString(s.TBS.DataHash) {
		return fmt.Errorf("%w: the document's SM3 digest differs", ErrSeal)
	}
	cert, ok := k.SealCert(hex.EncodeToString(s.TBS.CertHash))
	if !ok {
		return fmt.Errorf("%w: unknown seal certificate", ErrSeal)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || !sm2.VerifyASN1WithSM2(pub, nil, raw.TBS.FullBytes, s.Signature) {
		return fmt.Errorf("%w: SM2 signature", ErrSeal)
	}
	return nil
}
