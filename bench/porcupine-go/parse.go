package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

// Readers for Porcupine's published test histories, written for this bench. Times are event
// positions (only their order matters); an operation without a definite completion (`:info`, or
// still pending at the end) returns after every event with an unknown output.

type event struct {
	process int
	kind    string // invoke, ok, fail, info
	f       string
	value   string // raw value text
	key     string // kv only
	line    int
}

type pending struct {
	op   porcupine.Operation
	f    string
	line int
}

// pairEvents turns events into operations. complete builds the output of a completed op (or
// reports that the op is dropped); open gives the output of one whose outcome is unknown.
func pairEvents(events []event, input func(e event) (interface{}, error), complete func(inv, done event) (interface{}, error), open interface{}) ([]porcupine.Operation, error) {
	var ops []porcupine.Operation
	openOps := map[int]*pending{}
	var unfinished []*pending
	invokes := map[int]event{}
	for pos, e := range events {
		if e.kind == "invoke" {
			if _, busy := openOps[e.process]; busy {
				return nil, fmt.Errorf("line %d: process %d invokes while an operation is pending", e.line, e.process)
			}
			in, err := input(e)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", e.line, err)
			}
			p := &pending{op: porcupine.Operation{ClientId: e.process, Input: in, Call: int64(pos)}, f: e.f, line: e.line}
			openOps[e.process] = p
			invokes[e.process] = e
			continue
		}
		p, ok := openOps[e.process]
		if !ok || p.f != e.f {
			return nil, fmt.Errorf("line %d: completion of :%s without a matching invocation", e.line, e.f)
		}
		delete(openOps, e.process)
		if e.kind == "info" {
			unfinished = append(unfinished, p)
			continue
		}
		out, err := complete(invokes[e.process], e)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", e.line, err)
		}
		p.op.Output = out
		p.op.Return = int64(pos)
		ops = append(ops, p.op)
	}
	for _, p := range openOps {
		unfinished = append(unfinished, p)
	}
	end := int64(len(events))
	for _, p := range unfinished {
		p.op.Output = open
		p.op.Return = end
		ops = append(ops, p.op)
	}
	return ops, nil
}

// ---- etcd: `INFO jepsen.util - <process> :<type> :<f> <value>`, fields split by any whitespace.

func readEtcd(text string) ([]porcupine.Operation, error) {
	var events []event
	for i, raw := range strings.Split(text, "\n") {
		fields := strings.Fields(raw)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 7 || fields[0] != "INFO" || fields[1] != "jepsen.util" || fields[2] != "-" ||
			!strings.HasPrefix(fields[4], ":") || !strings.HasPrefix(fields[5], ":") {
			return nil, fmt.Errorf("line %d: not a jepsen.util event", i+1)
		}
		proc, err := strconv.Atoi(fields[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: bad process %q", i+1, fields[3])
		}
		events = append(events, event{process: proc, kind: fields[4][1:], f: fields[5][1:], value: strings.Join(fields[6:], " "), line: i + 1})
	}
	input := func(e event) (interface{}, error) {
		switch e.f {
		case "read":
			return etcdInput{op: 'r'}, nil
		case "write":
			v, err := strconv.Atoi(e.value)
			return etcdInput{op: 'w', from: v}, err
		case "cas":
			from, to, err := pair(e.value)
			return etcdInput{op: 'c', from: from, to: to}, err
		}
		return nil, fmt.Errorf("unknown :f :%s", e.f)
	}
	complete := func(inv, done event) (interface{}, error) {
		switch {
		case done.f == "read" && done.kind == "ok":
			if done.value == "nil" {
				return etcdOutput{}, nil
			}
			v, err := strconv.Atoi(done.value)
			return etcdOutput{exists: true, value: v}, err
		case done.f == "read" && done.kind == "fail":
			// A timed-out read returned nothing: any value is allowed.
			return etcdOutput{unknown: true}, nil
		case done.f == "write" && done.kind == "ok":
			return etcdOutput{}, nil
		case done.f == "cas":
			return etcdOutput{ok: done.kind == "ok"}, nil
		}
		return nil, fmt.Errorf("unexpected :%s :%s", done.kind, done.f)
	}
	return pairEvents(events, input, complete, etcdOutput{unknown: true})
}

func pair(s string) (int, int, error) {
	inner := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	parts := strings.Fields(inner)
	if len(parts) != 2 || len(inner) == len(s) {
		return 0, 0, fmt.Errorf("expected [from to], got %q", s)
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("expected [from to], got %q", s)
	}
	return a, b, nil
}

// ---- kv: one flat EDN map per line: {:process P, :type :T, :f :F, :key "K", :value nil|"V"}.

func readKv(text string) ([]porcupine.Operation, error) {
	var events []event
	for i, raw := range strings.Split(text, "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		m, err := flatMap(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		proc, err := strconv.Atoi(m[":process"])
		if err != nil {
			return nil, fmt.Errorf("line %d: bad :process", i+1)
		}
		key, kq := unquote(m[":key"])
		if !kq {
			return nil, fmt.Errorf("line %d: :key must be a string", i+1)
		}
		events = append(events, event{process: proc, kind: strings.TrimPrefix(m[":type"], ":"), f: strings.TrimPrefix(m[":f"], ":"), key: key, value: m[":value"], line: i + 1})
	}
	input := func(e event) (interface{}, error) {
		switch e.f {
		case "get":
			return kvInput{op: 'g', key: e.key}, nil
		case "put", "append":
			v, ok := unquote(e.value)
			if !ok {
				return nil, fmt.Errorf(":%s needs a string :value", e.f)
			}
			return kvInput{op: e.f[0], key: e.key, value: v}, nil
		}
		return nil, fmt.Errorf("unknown :f :%s", e.f)
	}
	complete := func(inv, done event) (interface{}, error) {
		if done.kind != "ok" {
			return nil, fmt.Errorf("unexpected :%s", done.kind)
		}
		if done.f != "get" {
			return kvOutput{}, nil
		}
		v, ok := unquote(done.value)
		if !ok {
			return nil, fmt.Errorf("a completed :get needs a string :value")
		}
		return kvOutput{value: v}, nil
	}
	return pairEvents(events, input, complete, kvOutput{unknown: true})
}

// flatMap reads `{:k v, :k v}` whose values are keywords, integers, nil or strings; a value is
// returned as its raw text (strings keep their quotes).
func flatMap(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return nil, fmt.Errorf("expected a {...} map")
	}
	body := s[1 : len(s)-1]
	m := map[string]string{}
	i := 0
	token := func() (string, error) {
		for i < len(body) && (body[i] == ' ' || body[i] == ',' || body[i] == '\t') {
			i++
		}
		if i >= len(body) {
			return "", nil
		}
		start := i
		if body[i] == '"' {
			i++
			for i < len(body) && body[i] != '"' {
				if body[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(body) {
				return "", fmt.Errorf("unterminated string")
			}
			i++
			return body[start:i], nil
		}
		for i < len(body) && body[i] != ' ' && body[i] != ',' && body[i] != '\t' {
			i++
		}
		return body[start:i], nil
	}
	for {
		k, err := token()
		if err != nil {
			return nil, err
		}
		if k == "" {
			return m, nil
		}
		v, err := token()
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(k, ":") || v == "" {
			return nil, fmt.Errorf("expected :key value pairs")
		}
		m[k] = v
	}
}

func unquote(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	s, err := strconv.Unquote(v)
	if err != nil {
		return "", false
	}
	return s, true
}
