// Command hasher fills in the pod-template-hash the Deployment controller would compute for each
// template in a fixtures file, using the stripped k8s.io/api structs schemagen wrote and go-spew
// 1.1.1. It follows the controller's steps (ComputeHash over DeepHashObject), written from their
// description, not copied. Built in GOPATH mode; see ../README.md.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"reflect"

	"github.com/davecgh/go-spew/spew"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

type fixture struct {
	Name           string            `json:"name"`
	Template       json.RawMessage   `json:"template"`
	CollisionCount *int32            `json:"collisionCount,omitempty"`
	Hash           map[string]string `json:"hash"`
}

var quantityType = reflect.TypeOf(resource.Quantity{})

// asStored makes v what the controller reads back from the API server: the server stores protobuf,
// where an empty list or map is not written (so it decodes as nil) and a Quantity is written as
// its canonical string and parsed again.
func asStored(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() {
			asStored(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == quantityType {
			q := v.Addr().Interface().(*resource.Quantity)
			*q = resource.MustParse(q.String())
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				asStored(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for i := 0; i < v.Len(); i++ {
			asStored(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			asStored(e)
			v.SetMapIndex(k, e)
		}
	}
}

const alphanums = "bcdfghjklmnpqrstvwxz2456789"

func computeHash(t *v1.PodTemplateSpec, collisionCount *int32) (string, string) {
	printer := spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}
	dump := printer.Sprintf("%#v", *t)
	h := fnv.New32a()
	h.Write([]byte(dump))
	if collisionCount != nil {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(*collisionCount))
		h.Write(b)
	}
	digits := fmt.Sprint(h.Sum32())
	out := make([]byte, len(digits))
	for i, r := range digits {
		out[i] = alphanums[int(r)%len(alphanums)]
	}
	return string(out), dump
}

func main() {
	path := flag.String("fixtures", "", "fixtures JSON to update in place")
	minor := flag.String("minor", "1.32", "key to store the hashes under")
	dumps := flag.String("dumps", "", "if set, write each spew dump here (for debugging, never committed)")
	flag.Parse()
	data, err := os.ReadFile(*path)
	if err != nil {
		panic(err)
	}
	var fixtures []fixture
	if err := json.Unmarshal(data, &fixtures); err != nil {
		panic(err)
	}
	var dumpOut []string
	for i := range fixtures {
		var t v1.PodTemplateSpec
		if err := json.Unmarshal(fixtures[i].Template, &t); err != nil {
			panic(fmt.Sprintf("%s: %v", fixtures[i].Name, err))
		}
		asStored(reflect.ValueOf(&t))
		hash, dump := computeHash(&t, fixtures[i].CollisionCount)
		if fixtures[i].Hash == nil {
			fixtures[i].Hash = map[string]string{}
		}
		fixtures[i].Hash[*minor] = hash
		dumpOut = append(dumpOut, fixtures[i].Name+"\n"+dump+"\n")
	}
	out, err := json.MarshalIndent(fixtures, "", "  ")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(*path, append(out, '\n'), 0o644); err != nil {
		panic(err)
	}
	if *dumps != "" {
		var all []byte
		for _, d := range dumpOut {
			all = append(all, d...)
		}
		if err := os.WriteFile(*dumps, all, 0o644); err != nil {
			panic(err)
		}
	}
}
