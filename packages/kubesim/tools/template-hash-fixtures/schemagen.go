// Command schemagen reads the Go types reachable from k8s.io/api core/v1 PodTemplateSpec (from git
// mirrors of kubernetes/api and kubernetes/apimachinery, one tag per minor) and writes
//   - the field schema kubesim's TypeScript spew formatter walks (JSON, committed), and
//   - with -gopath, stripped copies of those type declarations as Go packages, so the hasher
//     program can build the same structs and print the real controller's hash (never committed).
//
// Standard library only; it runs `git show` with argv arrays. See README.md.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// pkgInfo names one Go package the walk can reach: its short key in the schema, the package name Go
// prints in %#v (core and meta are both "v1"), its import path and its source files in a mirror.
type pkgInfo struct {
	key, goName, importPath, mirror string
	files                           []string
}

// field is one struct field: Go name, json name ("" when inline/embedded), type reference.
type field struct {
	Name   string `json:"name"`
	JSON   string `json:"json"`
	Inline bool   `json:"inline,omitempty"`
	Type   string `json:"type"`
}

type typeDef struct {
	Go     string  `json:"go"`
	Kind   string  `json:"kind"`
	Fields []field `json:"fields,omitempty"`
	Elem   string  `json:"elem,omitempty"`
	Key    string  `json:"key,omitempty"`
}

type schema struct {
	Minor int                `json:"minor"`
	Root  string             `json:"root"`
	Types map[string]typeDef `json:"types"`
}

// special types are printed by hand-written code on both sides (their Go values come from custom
// decoders, not from their fields), so the walk stops at them.
var special = map[string]bool{"meta.Time": true, "resource.Quantity": true, "intstr.IntOrString": true}

type loaded struct {
	info  pkgInfo
	specs map[string]*ast.TypeSpec
	fset  *token.FileSet
	imps  map[string]string // import name -> import path, per package (all files agree)
}

func gitShow(mirror, tag, path string) []byte {
	out, err := exec.Command("git", "--git-dir", mirror, "show", tag+":"+path).Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "git show %s:%s in %s: %v\n", tag, path, mirror, err)
		os.Exit(1)
	}
	return out
}

func load(info pkgInfo, tag string) *loaded {
	l := &loaded{info: info, specs: map[string]*ast.TypeSpec{}, fset: token.NewFileSet(), imps: map[string]string{}}
	for _, f := range info.files {
		file, err := parser.ParseFile(l.fset, f, gitShow(info.mirror, tag, f), parser.ParseComments)
		if err != nil {
			panic(err)
		}
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(p)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			l.imps[name] = p
		}
		for _, d := range file.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					l.specs[ts.Name.Name] = ts
				}
			}
		}
	}
	return l
}

type walker struct {
	pkgs    map[string]*loaded // by key
	byPath  map[string]string  // import path -> key
	out     map[string]typeDef
	reached map[string][]string // pkg key -> type names reached (for the Go copy)
}

func (w *walker) ref(pkg *loaded, e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		if isBasic(t.Name) {
			return t.Name
		}
		return w.named(pkg.info.key, t.Name)
	case *ast.SelectorExpr:
		path := pkg.imps[t.X.(*ast.Ident).Name]
		key, ok := w.byPath[path]
		if !ok {
			panic("unknown package " + path)
		}
		return w.named(key, t.Sel.Name)
	case *ast.StarExpr:
		return "*" + w.ref(pkg, t.X)
	case *ast.ArrayType:
		if t.Len != nil {
			panic("arrays are not expected")
		}
		return "[]" + w.ref(pkg, t.Elt)
	case *ast.MapType:
		return "map[" + w.ref(pkg, t.Key) + "]" + w.ref(pkg, t.Value)
	}
	panic(fmt.Sprintf("unexpected type expression %T", e))
}

func isBasic(n string) bool {
	switch n {
	case "string", "bool", "int", "int32", "int64", "uint8", "byte", "uint16", "uint32", "uint64", "float32", "float64":
		return true
	}
	return false
}

func (w *walker) named(pkgKey, name string) string {
	key := pkgKey + "." + name
	if _, done := w.out[key]; done {
		return key
	}
	pkg := w.pkgs[pkgKey]
	goName := pkg.info.goName + "." + name
	if special[key] {
		w.out[key] = typeDef{Go: goName, Kind: "special"}
		w.reached[pkgKey] = append(w.reached[pkgKey], name)
		return key
	}
	ts, ok := pkg.specs[name]
	if !ok {
		panic("type not found: " + key)
	}
	w.reached[pkgKey] = append(w.reached[pkgKey], name)
	w.out[key] = typeDef{Go: goName, Kind: "pending"}
	def := typeDef{Go: goName}
	switch t := ts.Type.(type) {
	case *ast.StructType:
		def.Kind = "struct"
		for _, f := range t.Fields.List {
			tag := ""
			if f.Tag != nil {
				s, _ := strconv.Unquote(f.Tag.Value)
				tag = reflect.StructTag(s).Get("json")
			}
			jsonName := strings.Split(tag, ",")[0]
			inline := strings.Contains(tag, ",inline")
			typ := w.ref(pkg, f.Type)
			if len(f.Names) == 0 { // embedded: Go names the field after its type
				n := typ[strings.LastIndex(typ, ".")+1:]
				def.Fields = append(def.Fields, field{Name: n, JSON: jsonName, Inline: inline || jsonName == "", Type: typ})
				continue
			}
			for _, n := range f.Names {
				def.Fields = append(def.Fields, field{Name: n.Name, JSON: jsonName, Inline: inline, Type: typ})
			}
		}
	case *ast.Ident:
		if !isBasic(t.Name) {
			panic("named type over named type: " + key)
		}
		def.Kind = t.Name
	case *ast.MapType:
		def.Kind = "map"
		def.Key = w.ref(pkg, t.Key)
		def.Elem = w.ref(pkg, t.Value)
	case *ast.ArrayType:
		def.Kind = "slice"
		def.Elem = w.ref(pkg, t.Elt)
	default:
		panic(fmt.Sprintf("unexpected declaration of %s: %T", key, ts.Type))
	}
	w.out[key] = def
	return key
}

// writeGoPackage prints the reached type declarations of one package (tags kept, so encoding/json
// decodes them as the API server's JSON decoder would) into GOPATH/src/<import path>/types.go.
func writeGoPackage(gopath string, l *loaded, names []string, extra string) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "// Code generated by schemagen from %s; DO NOT EDIT.\n\npackage %s\n\n", l.info.importPath, l.info.goName)
	used := map[string]bool{}
	var decls bytes.Buffer
	sort.Strings(names)
	for _, n := range names {
		ts := l.specs[n]
		ast.Inspect(ts, func(x ast.Node) bool {
			if s, ok := x.(*ast.SelectorExpr); ok {
				if id, ok := s.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
		ts.Doc, ts.Comment = nil, nil
		if st, ok := ts.Type.(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				f.Doc, f.Comment = nil, nil
			}
		}
		decls.WriteString("type ")
		if err := format.Node(&decls, token.NewFileSet(), ts); err != nil {
			panic(err)
		}
		decls.WriteString("\n\n")
	}
	var imps []string
	for name := range used {
		imps = append(imps, fmt.Sprintf("%s %q", name, l.imps[name]))
	}
	sort.Strings(imps)
	if len(imps) > 0 {
		fmt.Fprintf(&buf, "import (\n%s\n)\n\n", strings.Join(imps, "\n"))
	}
	buf.Write(decls.Bytes())
	src, err := format.Source(buf.Bytes())
	if err != nil {
		os.Stderr.Write(buf.Bytes())
		panic(err)
	}
	dir := filepath.Join(gopath, "src", l.info.importPath)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "types.go"), src, 0o644))
	if extra != "" {
		decode := fmt.Sprintf("package %s\n\nimport \"encoding/json\"\n%s", l.info.goName, extra)
		must(os.WriteFile(filepath.Join(dir, "decode.go"), []byte(decode), 0o644))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// intOrStringJSON is the decoder IntOrString needs (its real UnmarshalJSON: a JSON string is a
// string, anything else an int32); written here, the package's other code is not needed.
const intOrStringJSON = `
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.Type = 1
		return json.Unmarshal(b, &v.StrVal)
	}
	v.Type = 0
	return json.Unmarshal(b, &v.IntVal)
}
`

func main() {
	apiMirror := flag.String("api", "", "git dir of a kubernetes/api mirror")
	amMirror := flag.String("apimachinery", "", "git dir of a kubernetes/apimachinery mirror")
	infMirror := flag.String("inf", "", "git dir of a go-inf/inf mirror (gopkg.in/inf.v0)")
	tag := flag.String("tag", "v0.32.2", "tag of both mirrors (v0.<minor>.<patch>)")
	out := flag.String("out", "", "schema JSON to write")
	gopath := flag.String("gopath", "", "if set, write the stripped Go packages under this GOPATH")
	flag.Parse()
	minor, _ := strconv.Atoi(strings.Split(*tag, ".")[1])
	infos := []pkgInfo{
		{"core", "v1", "k8s.io/api/core/v1", *apiMirror, []string{"core/v1/types.go"}},
		{"meta", "v1", "k8s.io/apimachinery/pkg/apis/meta/v1", *amMirror, []string{"pkg/apis/meta/v1/types.go", "pkg/apis/meta/v1/time.go"}},
		{"types", "types", "k8s.io/apimachinery/pkg/types", *amMirror, []string{"pkg/types/uid.go"}},
		{"intstr", "intstr", "k8s.io/apimachinery/pkg/util/intstr", *amMirror, []string{"pkg/util/intstr/intstr.go"}},
		{"resource", "resource", "k8s.io/apimachinery/pkg/api/resource", *amMirror, []string{"pkg/api/resource/quantity.go"}},
	}
	w := &walker{pkgs: map[string]*loaded{}, byPath: map[string]string{}, out: map[string]typeDef{}, reached: map[string][]string{}}
	for _, info := range infos {
		w.pkgs[info.key] = load(info, *tag)
		w.byPath[info.importPath] = info.key
	}
	root := w.named("core", "PodTemplateSpec")
	data, err := json.MarshalIndent(schema{Minor: minor, Root: root, Types: w.out}, "", " ")
	must(err)
	must(os.WriteFile(*out, append(data, '\n'), 0o644))
	if *gopath == "" {
		return
	}
	for _, key := range []string{"core", "meta", "types"} {
		writeGoPackage(*gopath, w.pkgs[key], w.reached[key], "")
	}
	writeGoPackage(*gopath, w.pkgs["intstr"], []string{"IntOrString", "Type"}, intOrStringJSON)
	// resource.Quantity's hidden fields come from its parser, so its package is copied whole (less
	// the CBOR methods, whose dependency is not needed), and gopkg.in/inf.v0 beside it.
	res := filepath.Join(*gopath, "src", "k8s.io/apimachinery/pkg/api/resource")
	must(os.MkdirAll(res, 0o755))
	for _, f := range []string{"amount.go", "math.go", "scale_int.go", "suffix.go", "quantity.go"} {
		src := gitShow(*amMirror, *tag, "pkg/api/resource/"+f)
		if f == "quantity.go" {
			src = withoutCBOR(src)
		}
		must(os.WriteFile(filepath.Join(res, f), src, 0o644))
	}
	infDir := filepath.Join(*gopath, "src", "gopkg.in/inf.v0")
	must(os.MkdirAll(infDir, 0o755))
	for _, f := range []string{"dec.go", "rounder.go"} {
		must(os.WriteFile(filepath.Join(infDir, f), gitShow(*infMirror, "HEAD", f), 0o644))
	}
}

// withoutCBOR drops quantity.go's CBOR methods and import.
func withoutCBOR(src []byte) []byte {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "quantity.go", src, parser.ParseComments)
	must(err)
	var decls []ast.Decl
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && strings.Contains(fd.Name.Name, "CBOR") {
			continue
		}
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			var specs []ast.Spec
			for _, s := range g.Specs {
				if !strings.Contains(s.(*ast.ImportSpec).Path.Value, "cbor") {
					specs = append(specs, s)
				}
			}
			g.Specs = specs
		}
		decls = append(decls, d)
	}
	file.Decls = decls
	file.Comments = nil
	var buf bytes.Buffer
	must(format.Node(&buf, fset, file))
	return buf.Bytes()
}
