package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"onevisit/internal/config"
)

// dbFile is the SQLite database's name in the data folder and in a backup.
const dbFile = "onevisit.db"

// runBackup is `onevisit backup --to FILE`: a consistent snapshot of the
// SQLite database (VACUUM INTO, safe while the server runs) and the data
// folder's files, as a tar.gz with a SHA-256 manifest. On PostgreSQL it
// backs up the files and prints the pg_dump command for the database.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var to string
	c, _, err := loadConfig("backup", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "archive to write (.tar.gz)")
	})
	if err != nil {
		return err
	}
	if to == "" {
		fmt.Fprintln(stderr, "usage: onevisit backup --to FILE.tar.gz [--data DIR | --db URL]")
		return &exitError{code: 2, err: errors.New("want --to FILE")}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(to), ".onevisit-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snapshot := ""
	if postgres(c) {
		fmt.Fprintf(stdout, "PostgreSQL: back up the database with\n  pg_dump --format=custom --file=onevisit.pgdump '%s'\n"+
			"and restore it with pg_restore --clean --dbname=URL onevisit.pgdump; this archive holds the data folder's files.\n", c.DB)
	} else if snapshot, err = vacuumInto(ctx, sqlitePath(c), filepath.Join(tmp, dbFile)); err != nil {
		return err
	}
	n, err := writeArchive(to, c.Data, snapshot)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s: %d files\n", to, n)
	return nil
}

func postgres(c config.Config) bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// sqlitePath is where the configured SQLite database lives.
func sqlitePath(c config.Config) string {
	if p := strings.TrimPrefix(c.DB, "sqlite://"); p != "" {
		return p
	}
	return filepath.Join(c.Data, dbFile)
}

// vacuumInto copies the database at path into a new file at dst in one
// read transaction: a consistent snapshot even while the server writes.
func vacuumInto(ctx context.Context, path, dst string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("database: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return "", fmt.Errorf("snapshot %s: %w", path, err)
	}
	return dst, nil
}

// dataFiles lists the data folder's regular files, relative and with
// forward slashes, leaving out the live SQLite files (the snapshot stands
// in for them) and earlier backups' temporary folders.
func dataFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := filepath.ToSlash(rel)
		switch {
		case d.IsDir() && strings.HasPrefix(d.Name(), ".onevisit-"):
			return fs.SkipDir
		case !d.Type().IsRegular():
			return nil
		case strings.HasPrefix(name, dbFile):
			return nil // onevisit.db, -wal, -shm, -journal
		}
		out = append(out, name)
		return nil
	})
	return out, err
}

// stamp is the time a backup is made, in its manifest.
func stamp() string { return time.Now().UTC().Format(time.RFC3339) }
