package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/newsroom"
)

// openMedia opens the storage of the public media files and of the
// originals that cfg.Nodes.Media names (see NodesConfig.Media). A bucket
// that cannot be reached or does not exist is a usage error.
func openMedia(ctx context.Context, cfg Config) (pub, orig media.Storage, err error) {
	if c := cfg.Nodes.s3; c != nil {
		p, err := media.NewS3(*c, "media/")
		if err != nil {
			return nil, nil, usagef("--media: %v", err)
		}
		o, err := media.NewS3(*c, "originals/")
		if err != nil {
			return nil, nil, usagef("--media: %v", err)
		}
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := p.Check(cctx); err != nil {
			return nil, nil, usagef("--media %s: %v", c, err)
		}
		return p, o, nil
	}
	dir := cfg.Nodes.Media
	if dir == "" {
		dir = filepath.Join(cfg.DataDir, "media")
	}
	d, err := media.NewDisk(dir)
	if err != nil {
		return nil, nil, usagef("--media: %v", err)
	}
	o, err := media.NewDisk(filepath.Join(cfg.DataDir, "originals"))
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	return d, o, nil
}

// copyMedia copies every file under prefix in from to the same key in to,
// skipping those already there with the same size (keys are content
// addresses or kept names, written whole or not at all), so a second run
// copies nothing and an interrupted one resumes. It reports progress to
// w about every second and returns how many files it copied and skipped.
func copyMedia(ctx context.Context, from, to media.Storage, prefix, what string, w io.Writer) (copied, skipped int, err error) {
	keys, err := from.List(ctx, prefix)
	if err != nil {
		return 0, 0, err
	}
	var bytes int64
	last := time.Now()
	report := func() {
		if w == nil {
			return
		}
		fmt.Fprintf(w, "%s: %d/%d files, %d copied (%.1f MB), %d already there\n",
			what, copied+skipped, len(keys), copied, float64(bytes)/1e6, skipped)
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return copied, skipped, err
		}
		src, err := from.OpenFile(ctx, k)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the listing
		}
		if err != nil {
			return copied, skipped, err
		}
		if st, err := to.Stat(ctx, k); err == nil && st.Size == src.Info().Size {
			src.Close()
			skipped++
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			src.Close()
			return copied, skipped, err
		} else {
			err := to.Put(ctx, k, io.Reader(src))
			src.Close()
			if err != nil {
				return copied, skipped, err
			}
			copied++
			bytes += src.Info().Size
		}
		if time.Since(last) >= time.Second {
			report()
			last = time.Now()
		}
	}
	report()
	return copied, skipped, nil
}

// mediaCmd is "newsdesk media migrate --to s3://…": it copies the public
// media files (<data>/media, or --from DIR) and the originals
// (<data>/originals) into the bucket, with progress; run it again after
// an interruption, or once more just before switching --media over: it
// copies only what is missing.
func mediaCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "migrate" {
		return usagef("media: the only subcommand is migrate\n%s", usage)
	}
	c := defaultConfig(getenv)
	fset := flag.NewFlagSet("media migrate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&c.DataDir, "data", c.DataDir, "data `directory` whose media and originals are copied")
	from := fset.String("from", c.Nodes.Media, "public media `DIR` (default <data>/media)")
	to := fset.String("to", "", "the bucket: s3://BUCKET/PREFIX?endpoint=URL&region=R (required)")
	quiet := fset.Bool("quiet", false, "print only the summary")
	if err := fset.Parse(args[1:]); err != nil {
		return usagef("media migrate: %v", err)
	}
	if fset.NArg() > 0 {
		return usagef("media migrate: unexpected argument %q", fset.Arg(0))
	}
	if *to == "" {
		return usagef("media migrate: --to s3://BUCKET/PREFIX?endpoint=URL&region=R is required")
	}
	if *from != "" && *from == *to {
		return usagef("media migrate: --from and --to are the same")
	}
	src := Config{DataDir: c.DataDir, Nodes: NodesConfig{Media: *from}}
	if err := src.Nodes.validate(); err != nil || src.Nodes.s3 != nil {
		return usagef("media migrate: --from must be a directory")
	}
	dst := Config{DataDir: c.DataDir, Nodes: NodesConfig{Media: *to}}
	if err := dst.Nodes.validate(); err != nil || dst.Nodes.s3 == nil {
		return usagef("media migrate: --to must be an s3:// address: %v", err)
	}
	spub, sorig, err := openMedia(ctx, src)
	if err != nil {
		return err
	}
	dpub, dorig, err := openMedia(ctx, dst)
	if err != nil {
		return err
	}
	progress := stdout
	if *quiet {
		progress = nil
	}
	start := time.Now()
	c1, s1, err := copyMedia(ctx, spub, dpub, "", "public files", progress)
	if err != nil {
		return fmt.Errorf("media migrate: %w (run it again to resume)", err)
	}
	c2, s2, err := copyMedia(ctx, sorig, dorig, "", "originals", progress)
	if err != nil {
		return fmt.Errorf("media migrate: %w (run it again to resume)", err)
	}
	fmt.Fprintf(stdout, "media migrate: %d files copied, %d already in %s (%s); serve with --media %s\n",
		c1+c2, s1+s2, dst.Nodes.s3, time.Since(start).Round(time.Millisecond), *to)
	return nil
}

// newMediaLibrary is the media library on the storage cfg names, for the
// commands that add to it outside serve (the WordPress import).
func newMediaLibrary(ctx context.Context, cfg Config, st newsroom.MediaStore) (*media.Library, error) {
	if err := cfg.Nodes.validate(); err != nil {
		return nil, err
	}
	pub, orig, err := openMedia(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return media.New(media.Config{Public: pub, Originals: orig, Store: st, MaxBytes: int64(cfg.MaxUploadMB) << 20})
}
