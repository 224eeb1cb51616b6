package attack

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxBundleSize bounds a bundle after decompression. Enterprise ATT&CK
// v18 is 33 MB; the bound stops a gzip bomb or a wrong file from eating
// memory.
const MaxBundleSize = 256 << 20

// errTooLarge is returned for input beyond MaxBundleSize.
var errTooLarge = fmt.Errorf("the bundle is larger than %d MiB; is this an ATT&CK STIX bundle?", MaxBundleSize>>20)

// Parse reads a STIX 2.1 bundle, plain JSON or gzip-compressed (told apart
// by the gzip magic bytes, not by a name).
func Parse(r io.Reader) (*Matrix, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return parseBytes(data)
}

// ParseFile reads a bundle from a file (.json or .json.gz). When the bundle
// does not carry its release, a release in the file name is used
// (enterprise-attack-18.1.json.gz).
func ParseFile(path string) (*Matrix, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, err := parseBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.setSource(path)
	return m, nil
}

// readFile reads a whole file, refusing one beyond MaxBundleSize.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f)
}

// readAll reads r whole, sized up front when r can tell its size.
func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			if fi.Size() > MaxBundleSize {
				return nil, errTooLarge
			}
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxBundleSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxBundleSize {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

// parseBytes decompresses data when it is gzip and builds the matrix. A
// panic is a bug, but the input is untrusted: it becomes an error rather
// than bringing down a site build.
func parseBytes(data []byte) (m *Matrix, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("internal error reading the STIX bundle (please report it): %v", p)
		}
	}()
	return parseUnguarded(data)
}

// parseUnguarded is parseBytes without the recover, for the fuzz test.
func parseUnguarded(data []byte) (*Matrix, error) {
	var err error
	if isGzip(data) {
		if data, err = gunzip(data); err != nil {
			return nil, err
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte-order mark some editors add
	b := newBuilder()
	s := &scanner{data: data}
	if !readBundle(s, b.add) {
		return nil, fmt.Errorf("invalid STIX bundle: %w", s.err)
	}
	return b.finish()
}

func isGzip(data []byte) bool {
	return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

// gunzip decompresses into a buffer sized from the gzip trailer (the
// uncompressed size modulo 2³²), so 33 MB is allocated once rather than
// grown by doubling. The trailer is only a hint: the limit still holds.
func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading gzip: %w", err)
	}
	var buf bytes.Buffer
	if len(data) >= 18 {
		// Trust the hint only as far as JSON compresses (4.5× for ATT&CK):
		// a forged trailer must not make us allocate 256 MiB up front.
		hint := int(binary.LittleEndian.Uint32(data[len(data)-4:]))
		if hint <= MaxBundleSize && hint <= 20*len(data) {
			buf.Grow(hint + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(zr, MaxBundleSize+1)); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("reading gzip: the file is truncated (%w)", err)
		}
		return nil, fmt.Errorf("reading gzip: %w", err)
	}
	if buf.Len() > MaxBundleSize {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}
