package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// selfSigned writes a certificate and key for 127.0.0.1 into dir and
// returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "onevisit test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "EC PRIVATE KEY", kder)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// freeAddr is a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `onevisit serve` with args until stop is called; it
// returns the URL it listens on and stop, which reports how long the
// server took to exit.
func startServe(t *testing.T, args ...string) (string, func() time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...),
			func(string) string { return "" }, io.Discard, pw)
		pw.Close()
	}()
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening url=(\S+)`)
		lines := bufio.NewScanner(pr)
		for lines.Scan() {
			if m := re.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	stopped := false
	stop := func() time.Duration {
		if stopped {
			return 0
		}
		stopped = true
		start := time.Now()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve exited with %v", err)
		}
		return time.Since(start)
	}
	t.Cleanup(func() { stop() })
	select {
	case u := <-found:
		return u, stop
	case err := <-done:
		t.Fatalf("serve exited early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start within 30 s")
	}
	return "", stop
}

func TestServeOverTLSWithHSTSAndRedirectsPlainHTTP(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	redirect := freeAddr(t)
	base, _ := startServe(t, "--tls-cert", certFile, "--tls-key", keyFile, "--http-redirect-addr", redirect)
	if !regexp.MustCompile(`^https://127\.0\.0\.1:\d+$`).MatchString(base) {
		t.Fatalf("listening on %s, want https://", base)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET /login over TLS: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	for _, c := range resp.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure over TLS", c.Name)
		}
	}
	resp, err = c.Get("http://" + redirect + "/progress?no=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusPermanentRedirect || loc != base+"/progress?no=1" {
		t.Errorf("plain HTTP: %d to %q, want 308 to %s/progress?no=1", resp.StatusCode, loc, base)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}

func TestServeRefusesHalfATLSConfiguration(t *testing.T) {
	err := run(context.Background(), []string{"serve", "--data", t.TempDir(), "--tls-cert", "cert.pem"},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("serve started with a certificate and no key")
	}
}
