package main

import (
	"hash/fnv"
	"sort"

	"github.com/anishathalye/porcupine"
)

// The two models lockstorm checks these files against, written for Porcupine. Outputs carry an
// `unknown` flag for operations whose outcome was never seen: Porcupine has no "info" outcome,
// so such an operation returns at the end of the history with any output allowed.

const absent = -1 << 40

type etcdInput struct {
	op       byte // 'r' read, 'w' write, 'c' cas
	from, to int  // write value in from
}

type etcdOutput struct {
	unknown bool
	exists  bool // read: the register held a value
	value   int  // read
	ok      bool // cas
}

var etcdModel = porcupine.Model{
	Init: func() interface{} { return absent },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		st := state.(int)
		in := input.(etcdInput)
		out := output.(etcdOutput)
		switch in.op {
		case 'r':
			if out.unknown {
				return true, st
			}
			if out.exists {
				return out.value == st, st
			}
			return st == absent, st
		case 'w':
			return true, in.from
		default:
			applies := st == in.from
			next := st
			if applies {
				next = in.to
			}
			return out.unknown || out.ok == applies, next
		}
	},
	Equal: func(a, b interface{}) bool { return a.(int) == b.(int) },
	Hash:  func(state interface{}) uint64 { return uint64(state.(int)) * 0x9e3779b97f4a7c15 },
}

type kvInput struct {
	op    byte // 'g' get, 'p' put, 'a' append
	key   string
	value string
}

type kvOutput struct {
	unknown bool
	value   string // get
}

var kvModel = porcupine.Model{
	// Keys are independent: one partition per key, in key order.
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(kvInput).key
			byKey[k] = append(byKey[k], op)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, byKey[k])
		}
		return parts
	},
	Init: func() interface{} { return "" },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		st := state.(string)
		in := input.(kvInput)
		out := output.(kvOutput)
		switch in.op {
		case 'g':
			return out.unknown || out.value == st, st
		case 'p':
			return true, in.value
		default:
			return true, st + in.value
		}
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
	Hash: func(state interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(state.(string)))
		return h.Sum64()
	},
}
