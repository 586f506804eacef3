package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// runRestore is `onevisit restore FILE --data DIR`: it unpacks a backup
// into an empty data folder (or a non-empty one with --force), checking
// every file's SHA-256 against the archive's manifest first.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("onevisit restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "data folder to restore into")
	force := fs.Bool("force", false, "restore into a folder that is not empty, replacing its files")
	file, rest := "", args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		file, rest = args[0], args[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || *dir == "" {
		fmt.Fprintln(stderr, "usage: onevisit restore FILE.tar.gz --data DIR [--force]")
		return &exitError{code: 2, err: errors.New("want FILE and --data DIR")}
	}
	if err := checkTarget(*dir, *force); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(*dir)), ".onevisit-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	n, err := extractArchive(file, tmp)
	if err != nil {
		return &exitError{code: 3, err: fmt.Errorf("restore refused: %w", err)}
	}
	if err := moveInto(tmp, *dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d files into %s; check it with: onevisit audit verify --data %s\n", n, *dir, *dir)
	return nil
}

// checkTarget refuses a data folder that holds anything, unless forced.
func checkTarget(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o750)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 && !force {
		return &exitError{code: 2, err: fmt.Errorf("%s is not empty: restore into a new folder, or pass --force", dir)}
	}
	return nil
}

// moveInto moves everything in src into dst, replacing what is there; a
// stale SQLite WAL would otherwise be replayed over the restored database.
func moveInto(src, dst string) error {
	for _, stale := range []string{dbFile + "-wal", dbFile + "-shm", dbFile + "-journal"} {
		if err := os.Remove(filepath.Join(dst, stale)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		to := filepath.Join(dst, e.Name())
		if e.IsDir() {
			if err := os.RemoveAll(to); err != nil {
				return err
			}
		}
		if err := os.Rename(filepath.Join(src, e.Name()), to); err != nil {
			return err
		}
	}
	return nil
}
