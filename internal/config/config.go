// Package config holds onevisit's typed configuration: defaults, then an
// optional JSON file, then ONEVISIT_* environment variables, then flags.
// Validate checks it and String prints it with secrets masked.
package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Config is everything an operator can set. The `env` tag names the
// variable (prefixed ONEVISIT_) and the flag; `secret` masks the value.
type Config struct {
	Addr             string        `env:"ADDR" json:"addr" help:"address to listen on"`
	Data             string        `env:"DATA" json:"data" help:"data folder: SQLite database, uploads, documents, keys"`
	DB               string        `env:"DB" json:"db" secret:"true" help:"database: empty for SQLite in the data folder, or postgres://…"`
	BaseURL          string        `env:"BASE_URL" json:"baseUrl" help:"public URL of the site, for links and QR codes (default http://ADDR)"`
	LogLevel         string        `env:"LOG_LEVEL" json:"logLevel" help:"debug, info, warn or error"`
	LogFormat        string        `env:"LOG_FORMAT" json:"logFormat" help:"text or json"`
	SecureCookies    bool          `env:"SECURE_COOKIES" json:"secureCookies" help:"mark cookies Secure (set behind HTTPS)"`
	MaxFailedLogins  int           `env:"MAX_FAILED_LOGINS" json:"maxFailedLogins" help:"failed logins before an account locks"`
	LockFor          time.Duration `env:"LOCK_FOR" json:"lockFor" help:"how long a locked account stays locked"`
	SessionIdle      time.Duration `env:"SESSION_IDLE" json:"sessionIdle" help:"a session ends after this long unused"`
	SessionMax       time.Duration `env:"SESSION_MAX" json:"sessionMax" help:"a session ends after this long in any case"`
	Font             string        `env:"FONT" json:"font" help:"TrueType CJK font for PDF documents (default: Debian's DroidSansFallbackFull.ttf)"`
	Center           string        `env:"CENTER" json:"center" help:"service center name printed on documents"`
	DemoCases        int           `env:"DEMO_CASES" json:"demoCases" help:"how many past cases the demo seeds (demo only)"`
	DemoPassword     string        `env:"DEMO_PASSWORD" json:"demoPassword" secret:"true" help:"password of every demo account (demo only; random if empty)"`
	SMTPAddr         string        `env:"SMTP_ADDR" json:"smtpAddr" help:"SMTP server host:port for email to applicants (empty: email is only logged)"`
	SMTPFrom         string        `env:"SMTP_FROM" json:"smtpFrom" help:"sender of email to applicants, e.g. 'Center <noreply@example.gov.cn>'"`
	SMTPUser         string        `env:"SMTP_USER" json:"smtpUser" help:"SMTP user name (empty: no authentication)"`
	SMTPPassword     string        `env:"SMTP_PASSWORD" json:"smtpPassword" secret:"true" help:"SMTP password"`
	SMSURL           string        `env:"SMS_URL" json:"smsUrl" help:"SMS gateway URL taking POST {phone,text,sign} (empty: SMS is only logged)"`
	SMSToken         string        `env:"SMS_TOKEN" json:"smsToken" secret:"true" help:"bearer token for the SMS gateway"`
	SMSSign          string        `env:"SMS_SIGN" json:"smsSign" help:"SMS signature, shown as 【…】 before every text"`
	EMSWebhookSecret string        `env:"EMS_WEBHOOK_SECRET" json:"emsWebhookSecret" secret:"true" help:"shared secret the courier signs EMS status webhooks with (empty: the webhook refuses every call)"`
	RateLogin        int           `env:"RATE_LOGIN" json:"rateLogin" help:"failed sign-ins a minute per IP address and per user name before sign-in answers 429 (0: no limit)"`
	RateTickets      int           `env:"RATE_TICKETS" json:"rateTickets" help:"queue tickets a minute per IP address, taken without signing in (0: no limit)"`
	RatePublic       int           `env:"RATE_PUBLIC" json:"ratePublic" help:"public page views and anonymous API calls a minute per IP address (0: no limit)"`
	TLSCert          string        `env:"TLS_CERT" json:"tlsCert" help:"TLS certificate (PEM) file: serve HTTPS (with tls-key)"`
	TLSKey           string        `env:"TLS_KEY" json:"tlsKey" help:"TLS private key (PEM) file"`
	HTTPRedirectAddr string        `env:"HTTP_REDIRECT_ADDR" json:"httpRedirectAddr" help:"with TLS: also listen here for plain HTTP and redirect it to HTTPS (e.g. :80)"`
	PprofAddr        string        `env:"PPROF_ADDR" json:"pprofAddr" help:"serve Go's profiler (net/http/pprof) on this address for operators, e.g. 127.0.0.1:6060 (empty: off; never expose it)"`
	File             string        `env:"CONFIG" json:"-" help:"optional JSON configuration file"`
}

// Default is the configuration used when nothing is set: a demo-ready
// server on 127.0.0.1:8080 with its data in ./onevisit-data.
func Default() Config {
	return Config{
		Addr: "127.0.0.1:8080", Data: "./onevisit-data", LogLevel: "info", LogFormat: "text", Center: "宁波保税区行政服务中心", DemoCases: 300,
		MaxFailedLogins: 5, LockFor: 15 * time.Minute, SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour,
		SMSSign:   "宁波保税区行政服务中心",
		RateLogin: 10, RateTickets: 20, RatePublic: 600,
	}
}

// Load builds the configuration for a subcommand from defaults, the file
// named by --config or ONEVISIT_CONFIG, the environment and the flags in
// args. It registers the flags on fs, so --help lists them.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	fromEnv := map[string]string{}
	forEach(&c, func(f field) {
		if v := getenv("ONEVISIT_" + f.env); v != "" {
			fromEnv[f.env] = v
		}
	})
	file := fromEnv["CONFIG"]
	for i, a := range args { // the file comes before env and flags
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			file = v
		} else if (a == "--config" || a == "-config") && i+1 < len(args) {
			file = args[i+1]
		}
	}
	if file != "" {
		if err := c.readFile(file); err != nil {
			return c, err
		}
	}
	var errs []error
	forEach(&c, func(f field) {
		if v, ok := fromEnv[f.env]; ok {
			if err := f.set(v); err != nil {
				errs = append(errs, fmt.Errorf("ONEVISIT_%s: %w", f.env, err))
			}
		}
		fs.Var(f, flagName(f.env), f.help)
	})
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.File = file
	return c, c.Validate()
}

func (c *Config) readFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	var errs []error
	forEach(c, func(f field) {
		v, ok := m[f.key]
		if !ok {
			return
		}
		delete(m, f.key)
		if err := f.set(fmt.Sprint(v)); err != nil {
			errs = append(errs, fmt.Errorf("config file %s: %s: %w", path, f.key, err))
		}
	})
	for k := range m {
		errs = append(errs, fmt.Errorf("config file %s: unknown setting %q", path, k))
	}
	return errors.Join(errs...)
}

// Validate reports every invalid setting.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want host:port", c.Addr))
	}
	if c.Data == "" {
		errs = append(errs, errors.New("data: must not be empty"))
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") && !strings.HasPrefix(c.DB, "sqlite://") {
		errs = append(errs, errors.New("db: want postgres://… or sqlite://PATH (empty: SQLite in the data folder)"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format %q: want text or json", c.LogFormat))
	}
	if c.MaxFailedLogins < 1 {
		errs = append(errs, errors.New("max-failed-logins: must be at least 1"))
	}
	if c.LockFor <= 0 || c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		errs = append(errs, errors.New("lock-for, session-idle must be positive and session-max ≥ session-idle"))
	}
	if c.DemoPassword != "" && len(c.DemoPassword) < 8 {
		errs = append(errs, errors.New("demo-password: at least 8 characters"))
	}
	errs = append(errs, c.validateOutbox()...)
	return errors.Join(append(errs, c.validateTLS()...)...)
}

// validateTLS checks the rate limits and the HTTPS settings.
func (c Config) validateTLS() []error {
	var errs []error
	if c.RateLogin < 0 || c.RateTickets < 0 || c.RatePublic < 0 {
		errs = append(errs, errors.New("rate-login, rate-tickets, rate-public: must not be negative (0: no limit)"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("tls-cert and tls-key: set both or neither"))
	}
	if c.HTTPRedirectAddr != "" {
		if c.TLSCert == "" {
			errs = append(errs, errors.New("http-redirect-addr: only with tls-cert and tls-key"))
		} else if _, _, err := net.SplitHostPort(c.HTTPRedirectAddr); err != nil {
			errs = append(errs, fmt.Errorf("http-redirect-addr %q: want host:port", c.HTTPRedirectAddr))
		}
	}
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			errs = append(errs, fmt.Errorf("pprof-addr %q: want host:port", c.PprofAddr))
		}
	}
	return errs
}

// TLS reports whether the server speaks HTTPS itself.
func (c Config) TLS() bool { return c.TLSCert != "" }

// validateOutbox checks the email and SMS gateway settings.
func (c Config) validateOutbox() []error {
	var errs []error
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			errs = append(errs, fmt.Errorf("smtp-addr %q: want host:port", c.SMTPAddr))
		}
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			errs = append(errs, fmt.Errorf("smtp-from %q: want an email address (required with smtp-addr)", c.SMTPFrom))
		}
	}
	if c.SMSURL != "" {
		if u, err := url.Parse(c.SMSURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("sms-url %q: want an http:// or https:// URL", c.SMSURL))
		}
	}
	if strings.TrimSpace(c.SMSSign) == "" {
		errs = append(errs, errors.New("sms-sign: must not be empty"))
	}
	return errs
}

// URL is the public base URL of the site.
func (c Config) URL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	if c.TLS() {
		return "https://" + c.Addr
	}
	return "http://" + c.Addr
}

// String lists every setting, one per line, secrets masked.
func (c Config) String() string {
	var b strings.Builder
	forEach(&c, func(f field) {
		v := f.String()
		if f.secret && v != "" {
			v = mask(v)
		}
		fmt.Fprintf(&b, "  %-18s %s\n", flagName(f.env), v)
	})
	return b.String()
}

// mask hides a secret; for a URL it keeps the scheme and host visible.
func mask(v string) string {
	if i := strings.Index(v, "@"); i > 0 && strings.Contains(v, "://") {
		return v[:strings.Index(v, "://")+3] + "****" + v[i:]
	}
	return "****"
}

func flagName(env string) string { return strings.ReplaceAll(strings.ToLower(env), "_", "-") }

// field adapts one struct field to flag.Value.
type field struct {
	v      reflect.Value
	env    string
	key    string // JSON key in the config file
	help   string
	secret bool
}

func forEach(c *Config, fn func(field)) {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		fn(field{v: v.Field(i), env: sf.Tag.Get("env"), key: sf.Tag.Get("json"), help: sf.Tag.Get("help"), secret: sf.Tag.Get("secret") == "true"})
	}
}

func (f field) String() string {
	if !f.v.IsValid() {
		return ""
	}
	return fmt.Sprint(f.v.Interface())
}

func (f field) Set(s string) error { return f.set(s) }

func (f field) IsBoolFlag() bool { return f.v.IsValid() && f.v.Kind() == reflect.Bool }

func (f field) set(s string) error {
	switch p := f.v.Addr().Interface().(type) {
	case *string:
		*p = s
	case *bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		*p = b
	case *int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", s)
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want a duration like 15m, got %q", s)
		}
		*p = d
	}
	return nil
}
