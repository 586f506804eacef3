package licences

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
)

// Key files live in <data>/keys (0700), private keys 0600. Each file name
// carries the time it was made, "signing-20261127-045300.key": Rotate adds
// newer files and the newest of each kind signs, while every certificate
// stays so that licences sealed before a rotation still verify.
const (
	kindRoot    = "root"    // ECDSA P-256 root CA of the center
	kindSigning = "signing" // ECDSA P-256 PAdES signing certificate, issued by the root
	kindSeal    = "seal"    // SM2 seal key with a self-signed SM2 certificate
	stampLayout = "20060102-150405"
)

// KeyRing holds the center's signing keys and all certificates ever used.
type KeyRing struct {
	dir       string
	root      *x509.Certificate
	signer    *ecdsa.PrivateKey
	cert      *x509.Certificate
	seal      *sm2.PrivateKey
	sealCert  *smx509.Certificate
	sealID    string                         // SM3 fingerprint of sealCert
	sealCerts map[string]*smx509.Certificate // every seal certificate, by fingerprint
}

// OpenKeyRing loads the keys in dir, creating the folder, a root CA, a
// signing certificate and a seal key on first start. name is the center's
// name, written into new certificates.
func OpenKeyRing(dir, name string, now time.Time) (*KeyRing, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("licences: keys folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("licences: keys folder: %w", err)
	}
	k := &KeyRing{dir: dir}
	if err := k.load(); err == nil {
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := k.create(name, now, true); err != nil {
		return nil, err
	}
	return k, k.load()
}

// Rotate makes a new signing certificate and seal key, stamped now; the
// root CA stays. Old certificates are kept for verification.
func (k *KeyRing) Rotate(name string, now time.Time) error {
	if err := k.create(name, now, false); err != nil {
		return err
	}
	return k.load()
}

// SealID is the fingerprint of the seal certificate in use.
func (k *KeyRing) SealID() string { return k.sealID }

// Chain is the signing certificate followed by the root.
func (k *KeyRing) Chain() []*x509.Certificate { return []*x509.Certificate{k.cert, k.root} }

// Root is the center's root CA certificate, for trust stores.
func (k *KeyRing) Root() *x509.Certificate { return k.root }

// SealCert returns the seal certificate with the given fingerprint.
func (k *KeyRing) SealCert(id string) (*smx509.Certificate, bool) {
	c, ok := k.sealCerts[id]
	return c, ok
}

// create writes the key files, stamped now; with root it also makes the root CA.
func (k *KeyRing) create(name string, now time.Time, root bool) error {
	stamp := now.UTC().Format(stampLayout)
	if root {
		key, cert, err := newRoot(name, now)
		if err != nil {
			return err
		}
		if err := k.write(kindRoot, stamp, key, cert); err != nil {
			return err
		}
		k.root, _ = x509.ParseCertificate(cert)
	}
	if err := k.createSigning(name, stamp, now); err != nil {
		return err
	}
	key, cert, err := newSeal(name, now)
	if err != nil {
		return err
	}
	return k.write(kindSeal, stamp, key, cert)
}

func (k *KeyRing) createSigning(name, stamp string, now time.Time) error {
	rootKey, err := k.readKey(kindRoot)
	if err != nil {
		return err
	}
	if k.root == nil {
		if k.root, err = k.readX509(kindRoot); err != nil {
			return err
		}
	}
	key, cert, err := newSigning(name, now, k.root, rootKey.(*ecdsa.PrivateKey))
	if err != nil {
		return err
	}
	return k.write(kindSigning, stamp, key, cert)
}

// load reads the newest key of each kind and every seal certificate.
func (k *KeyRing) load() error {
	var err error
	if k.root, err = k.readX509(kindRoot); err != nil {
		return err
	}
	if k.cert, err = k.readX509(kindSigning); err != nil {
		return err
	}
	key, err := k.readKey(kindSigning)
	if err != nil {
		return err
	}
	var ok bool
	if k.signer, ok = key.(*ecdsa.PrivateKey); !ok {
		return errors.New("licences: signing key is not ECDSA")
	}
	return k.loadSeals()
}

func (k *KeyRing) loadSeals() error {
	key, err := k.readKey(kindSeal)
	if err != nil {
		return err
	}
	var ok bool
	if k.seal, ok = key.(*sm2.PrivateKey); !ok {
		return errors.New("licences: seal key is not SM2")
	}
	k.sealCerts = map[string]*smx509.Certificate{}
	files, _ := filepath.Glob(filepath.Join(k.dir, kindSeal+"-*.crt"))
	slices.Sort(files)
	for _, f := range files {
		c, err := readSM2Cert(f)
		if err != nil {
			return err
		}
		id := Fingerprint(c.Raw)
		k.sealCerts[id], k.sealCert, k.sealID = c, c, id
	}
	if k.sealCert == nil {
		return fmt.Errorf("licences: no seal certificate: %w", os.ErrNotExist)
	}
	return nil
}

// Fingerprint is the hex SM3 digest of a DER certificate.
func Fingerprint(der []byte) string {
	sum := sm3.Sum(der)
	return hex.EncodeToString(sum[:])
}

// newest is the newest file of kind with suffix ext.
func (k *KeyRing) newest(kind, ext string) (string, error) {
	files, err := filepath.Glob(filepath.Join(k.dir, kind+"-*"+ext))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("licences: no %s%s in %s: %w", kind, ext, k.dir, os.ErrNotExist)
	}
	slices.Sort(files)
	return files[len(files)-1], nil
}

func (k *KeyRing) readKey(kind string) (any, error) {
	f, err := k.newest(kind, ".key")
	if err != nil {
		return nil, err
	}
	der, err := readPEM(f, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	return smx509.ParsePKCS8PrivateKey(der)
}

func (k *KeyRing) readX509(kind string) (*x509.Certificate, error) {
	f, err := k.newest(kind, ".crt")
	if err != nil {
		return nil, err
	}
	der, err := readPEM(f, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func readSM2Cert(f string) (*smx509.Certificate, error) {
	der, err := readPEM(f, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	return smx509.ParseCertificate(der)
}

func readPEM(f, typ string) ([]byte, error) {
	b, err := os.ReadFile(f)
	if err != nil {
		return nil, fmt.Errorf("licences: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != typ {
		return nil, fmt.Errorf("licences: %s is not a PEM %s", f, typ)
	}
	return blk.Bytes, nil
}

// write stores a PKCS #8 key (0600) and its certificate (0644).
func (k *KeyRing) write(kind, stamp string, key any, cert []byte) error {
	der, err := smx509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("licences: marshal %s key: %w", kind, err)
	}
	base := filepath.Join(k.dir, kind+"-"+stamp)
	if err := writeNew(base+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return err
	}
	return writeNew(base+".crt", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), 0o644)
}

// writeNew writes a file that must not exist yet, and syncs it.
func writeNew(path string, b []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("licences: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("licences: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

func subject(name, role string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{strings.TrimSpace(name)}, CommonName: strings.TrimSpace(name + " " + role)}
}

func newRoot(name string, now time.Time) (any, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tpl := &x509.Certificate{SerialNumber: serial(), Subject: subject(name, "电子证照根证书"),
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(20, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	return key, der, err
}

func newSigning(name string, now time.Time, root *x509.Certificate, rootKey *ecdsa.PrivateKey) (any, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tpl := &x509.Certificate{SerialNumber: serial(), Subject: subject(name, "电子证照签章"),
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, root, &key.PublicKey, rootKey)
	return key, der, err
}

func newSeal(name string, now time.Time) (any, []byte, error) {
	key, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tpl := &smx509.Certificate{SerialNumber: serial(), Subject: subject(name, "电子印章"),
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage: smx509.KeyUsageDigitalSignature | smx509.KeyUsageContentCommitment}
	der, err := smx509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	return key, der, err
}
