package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] })
}

func TestDefaultsServeADemoOnLocalhost(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Data != "./onevisit-data" || c.MaxFailedLogins != 5 || c.LockFor != 15*time.Minute {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestFlagsOverrideEnvOverrideFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(file, []byte(`{"addr":"127.0.0.1:1","data":"/file","lockFor":"1h","maxFailedLogins":3}`), 0o600)
	c, err := load(t, []string{"--config", file, "--addr", "127.0.0.1:3"},
		map[string]string{"ONEVISIT_ADDR": "127.0.0.1:2", "ONEVISIT_DATA": "/env"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:3" || c.Data != "/env" || c.LockFor != time.Hour || c.MaxFailedLogins != 3 {
		t.Fatalf("got %+v", c)
	}
}

func TestInvalidSettingsAreAllReported(t *testing.T) {
	_, err := load(t, []string{"--addr", "nope", "--log-level", "loud", "--db", "mysql://x"}, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"addr", "log-level", "db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if _, err := load(t, nil, map[string]string{"ONEVISIT_LOCK_FOR": "soon"}); err == nil || !strings.Contains(err.Error(), "ONEVISIT_LOCK_FOR") {
		t.Errorf("bad env value: %v", err)
	}
}

func TestSecretsAreMaskedWhenPrinted(t *testing.T) {
	c, err := load(t, []string{"--db", "postgres://onevisit:hunter2@db:5432/ov", "--demo-password", "s3cret-pass"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if strings.Contains(s, "hunter2") || strings.Contains(s, "s3cret-pass") {
		t.Fatalf("secret printed:\n%s", s)
	}
	if !strings.Contains(s, "postgres://****@db:5432/ov") {
		t.Fatalf("masked DSN should keep the host:\n%s", s)
	}
}
