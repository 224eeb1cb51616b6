package events

import (
	"bytes"
	"io"
	"testing"

	"ruledex/internal/match/synth"
)

// BenchmarkReader decodes synthetic Sysmon events (JSON Lines) with a
// schema of the usual Sigma field names.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.Write(&buf, b.N, 1); err != nil {
		b.Fatal(err)
	}
	s := NewSchema()
	for _, f := range []string{"Image", "CommandLine", "ParentImage", "ParentCommandLine", "OriginalFileName", "User", "TargetObject", "Details", "TargetFilename", "QueryName", "DestinationIp", "DestinationPort"} {
		s.Field(f)
	}
	ev := NewEvent(s)
	b.SetBytes(int64(buf.Len() / max(b.N, 1)))
	b.ResetTimer()
	r := NewReader(&buf, "x")
	for {
		if err := r.Next(ev); err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
	}
}
