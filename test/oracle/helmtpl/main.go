// helmtpl-oracle: renders templates as Helm 3's engine does (pkg/engine/engine.go, funcs.go): Go's text/template
// with Sprig v3's functions and Helm's include, tpl, required, toYaml, fromYaml, fromYamlArray, toJson; missingkey=zero and
// "<no value>" removed; values decoded with sigs.k8s.io/yaml into map[string]interface{}. Built by the test set-up
// from Debian's Go packages; never shipped.
//
// Input (stdin): a JSON list of cases {"files": {"name": "template text", ...}, "main": "name", "values": "YAML",
// "chart": {...}}. Output: a JSON list of {"ok": true, "out": "..."} or {"ok": false, "error": "..."}.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type testCase struct {
	Files  map[string]string      `json:"files"`
	Main   string                 `json:"main"`
	Values string                 `json:"values"`
	Chart  map[string]interface{} `json:"chart"`
}

type result struct {
	OK    bool   `json:"ok"`
	Out   string `json:"out,omitempty"`
	Error string `json:"error,omitempty"`
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

// fromYAMLArray is Helm's (pkg/engine/funcs.go).
func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func render(c testCase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	var values map[string]interface{}
	if err := yaml.Unmarshal([]byte(c.Values), &values); err != nil {
		return "", err
	}
	if values == nil {
		values = map[string]interface{}{}
	}
	chart := c.Chart
	if chart == nil {
		chart = map[string]interface{}{"Name": "demo", "Version": "0.1.0", "AppVersion": "1.16.0"}
	}
	data := map[string]interface{}{
		"Values":       values,
		"Chart":        chart,
		"Release":      map[string]interface{}{"Name": "release-name", "Namespace": "default", "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31", "GitVersion": "v1.31.0"}},
		"Template":     map[string]interface{}{"Name": c.Main, "BasePath": "demo/templates"},
	}
	t := template.New("gotpl").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	included := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if included[name] > 1000 {
			return "", errors.New("rendering template has a nested reference name")
		}
		included[name]++
		err := t.ExecuteTemplate(&buf, name, data)
		included[name]--
		return buf.String(), err
	}
	funcs["tpl"] = func(tpl string, vals interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(tpl)
		if err != nil {
			return "", err
		}
		var buf strings.Builder
		if err := parsed.Execute(&buf, vals); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	funcs["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	funcs["toJson"] = toJSON
	t.Funcs(funcs)
	names := make([]string, 0, len(c.Files))
	for name := range c.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := t.New(name).Parse(c.Files[name]); err != nil {
			return "", err
		}
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, c.Main, data); err != nil {
		return "", err
	}
	return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		out, err := render(c)
		if err != nil {
			results[i] = result{OK: false, Error: err.Error()}
		} else {
			results[i] = result{OK: true, Out: out}
		}
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
