package attack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// client is the HTTP client Open downloads with.
func client(opt Options) *http.Client {
	if opt.Client != nil {
		return opt.Client
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{Transport: t}
}

// download fetches a URL whole, refusing more than MaxBundleSize.
func download(ctx context.Context, c *http.Client, rawURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "ruledex (ATT&CK bundle download)")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading %s: the server answered %s", rawURL, resp.Status)
	}
	if resp.ContentLength > MaxBundleSize {
		return nil, fmt.Errorf("downloading %s: %w", rawURL, errTooLarge)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, MaxBundleSize+1)); err != nil {
		return nil, fmt.Errorf("downloading %s: %w", rawURL, err)
	}
	if buf.Len() > MaxBundleSize {
		return nil, fmt.Errorf("downloading %s: %w", rawURL, errTooLarge)
	}
	return buf.Bytes(), nil
}
