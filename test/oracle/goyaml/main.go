// goyaml-oracle: decides, for each YAML file named on the command line, whether kubectl's decoder accepts it,
// and what it reads. Built by the test set-up from Debian's Go packages (sigs.k8s.io/yaml over gopkg.in/yaml.v2,
// as kubectl decodes manifests; gopkg.in/yaml.v3 as kustomize does); never shipped.
//
// Output: one JSON line per file: {"file": F, "docs": [{"ok": bool, "error": E, "json": J, "v3error": E3}, ...]}
// (or {"file": F, "readError": E}).
// Documents are split as apimachinery's YAMLReader splits them: at lines starting with "---" followed only by
// blanks or a comment.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

type doc struct {
	OK      bool            `json:"ok"`
	Error   string          `json:"error,omitempty"`
	JSON    json.RawMessage `json:"json,omitempty"`
	V3Error string          `json:"v3error,omitempty"`
}

func split(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	sc.Split(scanLinesKeepEnd)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte("---")) {
			rest := strings.TrimSpace(string(line[3:]))
			if rest == "" || strings.HasPrefix(rest, "#") {
				docs = append(docs, append([]byte(nil), cur.Bytes()...))
				cur.Reset()
				continue
			}
		}
		cur.Write(line)
	}
	docs = append(docs, append([]byte(nil), cur.Bytes()...))
	return docs
}

func scanLinesKeepEnd(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func main() {
	out := json.NewEncoder(os.Stdout)
	for _, name := range os.Args[1:] {
		data, err := os.ReadFile(name)
		if err != nil {
			out.Encode(map[string]interface{}{"file": name, "readError": err.Error()})
			continue
		}
		var docs []doc
		for _, d := range split(data) {
			var r doc
			j, err := yaml.YAMLToJSON(d)
			if err != nil {
				r.Error = err.Error()
			} else {
				r.OK = true
				r.JSON = j
			}
			var v interface{}
			if err := yamlv3.Unmarshal(d, &v); err != nil {
				r.V3Error = err.Error()
			}
			docs = append(docs, r)
		}
		out.Encode(map[string]interface{}{"file": name, "docs": docs})
	}
}
