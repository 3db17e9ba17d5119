// porcupine-bench checks Porcupine's published histories with Porcupine itself, in its default
// (parallel) mode, and times each check in-process, for bench/checker-porcupine.ts.
//
// Protocol: one history path (relative to -data) per line on stdin; for each, one JSON line on
// stdout. Parsing happens once per file and outside the timed section, as on the lockstorm side.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

type history struct {
	model porcupine.Model
	ops   []porcupine.Operation
}

type result struct {
	Path       string  `json:"path"`
	Ops        int     `json:"ops,omitempty"`
	Verdict    string  `json:"verdict,omitempty"`
	Ms         float64 `json:"ms"`
	CPUMs      float64 `json:"cpuMs"`
	GoMaxProcs int     `json:"gomaxprocs"`
	Error      string  `json:"error,omitempty"`
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func load(data, path string) (history, error) {
	raw, err := os.ReadFile(filepath.Join(data, path))
	if err != nil {
		return history{}, err
	}
	text := string(raw)
	switch {
	case strings.HasSuffix(path, ".log"):
		ops, err := readEtcd(text)
		return history{etcdModel, ops}, err
	case strings.HasSuffix(path, ".txt"):
		ops, err := readKv(text)
		return history{kvModel, ops}, err
	}
	return history{}, fmt.Errorf("unknown history kind (expected .log or .txt)")
}

func main() {
	data := flag.String("data", ".", "folder the history paths are relative to")
	timeout := flag.Duration("timeout", 60*time.Second, "time budget per check (verdict unknown past it)")
	flag.Parse()

	cache := map[string]history{}
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		path := strings.TrimSpace(in.Text())
		if path == "" {
			continue
		}
		r := result{Path: path, GoMaxProcs: runtime.GOMAXPROCS(0)}
		h, ok := cache[path]
		if !ok {
			var err error
			if h, err = load(*data, path); err != nil {
				r.Error = err.Error()
				_ = out.Encode(r)
				continue
			}
			cache[path] = h
		}
		r.Ops = len(h.ops)
		cpu0 := cpuTime()
		t0 := time.Now()
		verdict := porcupine.CheckOperationsTimeout(h.model, h.ops, *timeout)
		r.Ms = float64(time.Since(t0).Nanoseconds()) / 1e6
		r.CPUMs = float64(cpuTime()-cpu0) / 1e6
		switch verdict {
		case porcupine.Ok:
			r.Verdict = "ok"
		case porcupine.Illegal:
			r.Verdict = "illegal"
		default:
			r.Verdict = "unknown"
		}
		_ = out.Encode(r)
	}
}
