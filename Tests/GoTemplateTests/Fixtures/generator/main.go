// Regenerates the expected outputs of the GoTemplate tests with Go's own text/template.
//
//	cd Tests/GoTemplateTests/Fixtures && go run ./generator
//
// interpreter-cases.json: each template runs over its JSON data (decoded as map[string]any, as
// Go decodes JSON) → interpreter-expected.json (output, or the error text).
// prompt-cases.json: each conversation renders through a template in templates/ with a model of
// Ollama's template.Execute (collate, messages/legacy/fill-in-the-middle modes, the tool and
// message types templates see) → prompt-expected.json.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"
)

var funcs = template.FuncMap{
	"json": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	// Fixed dates keep fixtures stable; the tests compare against the same values.
	"currentDate":   func(args ...string) string { return "2025-01-02" },
	"yesterdayDate": func(args ...string) string { return "2025-01-01" },
	"toTypeScriptType": func(v any) string {
		if p, ok := v.(ToolProperty); ok {
			return p.typeScript()
		}
		return "any"
	},
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func failed(err error) result   { s := err.Error(); return result{Error: &s} }
func succeeded(s string) result { return result{Output: &s} }

// ---- interpreter cases

type interpreterCase struct {
	Name     string         `json:"name"`
	Template string         `json:"template"`
	Data     map[string]any `json:"data"`
}

func runInterpreter(c interpreterCase) result {
	t, err := template.New("").Option("missingkey=zero").Funcs(funcs).Parse(c.Template)
	if err != nil {
		return failed(err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, c.Data); err != nil {
		return failed(err)
	}
	return succeeded(b.String())
}

// ---- Ollama's data model, as its templates see it

type PropertyType []string

func (pt *PropertyType) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*pt = []string{s}
		return nil
	}
	var a []string
	if err := json.Unmarshal(data, &a); err != nil {
		return err
	}
	*pt = a
	return nil
}

func (pt PropertyType) MarshalJSON() ([]byte, error) {
	if len(pt) == 1 {
		return json.Marshal(pt[0])
	}
	return json.Marshal([]string(pt))
}

func (pt PropertyType) String() string {
	switch len(pt) {
	case 0:
		return ""
	case 1:
		return pt[0]
	}
	return fmt.Sprintf("%v", []string(pt))
}

type ToolProperty struct {
	AnyOf       []ToolProperty `json:"anyOf,omitempty"`
	Type        PropertyType   `json:"type,omitempty"`
	Items       any            `json:"items,omitempty"`
	Description string         `json:"description,omitempty"`
	Enum        []any          `json:"enum,omitempty"`
	// Ollama's *ToolPropertiesMap keeps insertion order; the cases have no nested properties.
	Properties *map[string]ToolProperty `json:"properties,omitempty"`
	Required   []string                 `json:"required,omitempty"`
}

func (p ToolProperty) typeScript() string {
	var parts []string
	if len(p.AnyOf) > 0 {
		for _, a := range p.AnyOf {
			parts = append(parts, a.typeScript())
		}
		return strings.Join(parts, " | ")
	}
	if len(p.Type) == 0 {
		return "any"
	}
	for _, t := range p.Type {
		switch t {
		case "string", "boolean", "null":
			parts = append(parts, t)
		case "number", "integer":
			parts = append(parts, "number")
		case "array":
			parts = append(parts, "any[]")
		case "object":
			parts = append(parts, "Record<string, any>")
		default:
			parts = append(parts, "any")
		}
	}
	return strings.Join(parts, " | ")
}

type tool struct {
	Type     string `json:"type"`
	Items    any    `json:"items,omitempty"`
	Function struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Parameters  struct {
			Type       string     `json:"type"`
			Defs       any        `json:"$defs,omitempty"`
			Items      any        `json:"items,omitempty"`
			Required   []string   `json:"required,omitempty"`
			Properties properties `json:"properties"`
		} `json:"parameters"`
	} `json:"function"`
}

type tools []tool

func (t tools) String() string { b, _ := json.Marshal(t); return string(b) }
func (t tool) String() string  { b, _ := json.Marshal(t); return string(b) }

type properties map[string]ToolProperty

func (p properties) String() string {
	if p == nil {
		return "{}"
	}
	b, _ := json.Marshal(p)
	return string(b)
}

type arguments map[string]any

func (a arguments) String() string {
	if a == nil {
		return "{}"
	}
	b, _ := json.Marshal(a)
	return string(b)
}

type toolCall struct {
	ID       string
	Function struct {
		Index     int
		Name      string
		Arguments arguments
	}
}

type message struct {
	Role       string
	Content    string
	Thinking   string
	Images     [][]byte
	ToolCalls  []toolCall
	ToolName   string
	ToolCallID string
}

// The wire form of a case's message (the API's JSON names).
type inputMessage struct {
	Role      string `json:"role"`
	Content   string `json:"content"`
	Thinking  string `json:"thinking"`
	Images    int    `json:"images"`
	ToolName  string `json:"tool_name"`
	ToolCalls []struct {
		ID       string `json:"id"`
		Function struct {
			Index     int       `json:"index"`
			Name      string    `json:"name"`
			Arguments arguments `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

type promptCase struct {
	Name     string         `json:"name"`
	Template string         `json:"template"`
	System   string         `json:"system"`
	Messages []inputMessage `json:"messages"`
	Tools    *tools         `json:"tools"`
	Think    any            `json:"think"`
	Prompt   string         `json:"prompt"`
	Suffix   string         `json:"suffix"`
}

func thinkValues(v any) (think bool, level string, set bool) {
	switch t := v.(type) {
	case bool:
		if t {
			return true, "medium", true
		}
		return false, "", true
	case string:
		return t == "low" || t == "medium" || t == "high" || t == "max", t, true
	}
	return false, "", false
}

func identifiers(n parse.Node, out map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			identifiers(c, out)
		}
	case *parse.ActionNode:
		identifiers(n.Pipe, out)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			identifiers(n.Pipe, out)
		}
	case *parse.IfNode:
		identifiers(&n.BranchNode, out)
	case *parse.RangeNode:
		identifiers(&n.BranchNode, out)
	case *parse.WithNode:
		identifiers(&n.BranchNode, out)
	case *parse.BranchNode:
		identifiers(n.Pipe, out)
		identifiers(n.List, out)
		if n.ElseList != nil {
			identifiers(n.ElseList, out)
		}
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				identifiers(a, out)
			}
		}
	case *parse.FieldNode:
		for _, i := range n.Ident {
			out[strings.ToLower(i)] = true
		}
	case *parse.VariableNode:
		for _, i := range n.Ident {
			out[strings.ToLower(i)] = true
		}
	}
}

// cutAfterResponse deletes everything after the first .Response field, as Ollama's deleteNode.
func cutAfterResponse(root *parse.ListNode) *parse.ListNode {
	cut := false
	var list func(*parse.ListNode) *parse.ListNode
	var pipe func(*parse.PipeNode) *parse.PipeNode
	var node func(parse.Node) parse.Node
	list = func(l *parse.ListNode) *parse.ListNode {
		out := &parse.ListNode{NodeType: parse.NodeList}
		if cut {
			return out
		}
		for _, c := range l.Nodes {
			if n := node(c); n != nil {
				out.Nodes = append(out.Nodes, n)
			}
		}
		return out
	}
	branch := func(b parse.BranchNode) parse.BranchNode {
		b.List = list(b.List)
		if b.ElseList != nil {
			b.ElseList = list(b.ElseList)
		}
		return b
	}
	pipe = func(p *parse.PipeNode) *parse.PipeNode {
		out := *p
		out.Cmds = nil
		for _, c := range p.Cmds {
			cmd := *c
			cmd.Args = nil
			for _, a := range c.Args {
				if cut {
					continue
				}
				switch a := a.(type) {
				case *parse.FieldNode:
					for _, i := range a.Ident {
						if i == "Response" {
							cut = true
						}
					}
					cmd.Args = append(cmd.Args, a)
				case *parse.PipeNode:
					if inner := pipe(a); inner != nil {
						cmd.Args = append(cmd.Args, inner)
					}
				default:
					cmd.Args = append(cmd.Args, a)
				}
			}
			if len(cmd.Args) == 0 {
				return nil
			}
			out.Cmds = append(out.Cmds, &cmd)
		}
		return &out
	}
	node = func(n parse.Node) parse.Node {
		if cut {
			return nil
		}
		switch n := n.(type) {
		case *parse.ActionNode:
			p := pipe(n.Pipe)
			if p == nil {
				return nil
			}
			a := *n
			a.Pipe = p
			return &a
		case *parse.IfNode:
			c := *n
			c.BranchNode = branch(n.BranchNode)
			return &c
		case *parse.RangeNode:
			c := *n
			c.BranchNode = branch(n.BranchNode)
			return &c
		case *parse.WithNode:
			c := *n
			c.BranchNode = branch(n.BranchNode)
			return &c
		}
		return n
	}
	return list(root)
}

func runPrompt(c promptCase) result {
	text, err := os.ReadFile("templates/" + c.Template + ".gotmpl")
	if err != nil {
		panic(err)
	}
	t, err := template.New("").Option("missingkey=zero").Funcs(funcs).Parse(string(text))
	if err != nil {
		return failed(err)
	}
	vars := map[string]bool{}
	identifiers(t.Tree.Root, vars)
	if !vars["messages"] && !vars["response"] {
		t.Tree.Root.Nodes = append(t.Tree.Root.Nodes, &parse.ActionNode{NodeType: parse.NodeAction, Pipe: &parse.PipeNode{
			NodeType: parse.NodePipe, Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Args: []parse.Node{
				&parse.FieldNode{NodeType: parse.NodeField, Ident: []string{"Response"}}}}}}})
	}

	var msgs []message
	if c.System != "" {
		msgs = append(msgs, message{Role: "system", Content: c.System})
	}
	for _, m := range c.Messages {
		out := message{Role: m.Role, Content: m.Content, Thinking: m.Thinking, ToolName: m.ToolName}
		for i := 0; i < m.Images; i++ {
			out.Images = append(out.Images, []byte{})
		}
		for _, tc := range m.ToolCalls {
			var call toolCall
			call.ID = tc.ID
			call.Function.Index = tc.Function.Index
			call.Function.Name = tc.Function.Name
			call.Function.Arguments = tc.Function.Arguments
			out.ToolCalls = append(out.ToolCalls, call)
		}
		msgs = append(msgs, out)
	}
	// collate
	var systems []string
	var collated []*message
	for i := range msgs {
		if msgs[i].Role == "system" {
			systems = append(systems, msgs[i].Content)
		}
		if len(collated) > 0 && collated[len(collated)-1].Role == msgs[i].Role && msgs[i].Role != "tool" {
			collated[len(collated)-1].Content += "\n\n" + msgs[i].Content
		} else {
			collated = append(collated, &msgs[i])
		}
	}
	think, level, set := thinkValues(c.Think)
	var toolsValue tools
	if c.Tools != nil {
		toolsValue = *c.Tools
	}

	var b bytes.Buffer
	exec := func(tree *parse.ListNode, data map[string]any) error {
		data["Think"], data["ThinkLevel"], data["IsThinkSet"] = think, level, set
		tt, err := template.New("").Option("missingkey=zero").Funcs(funcs).AddParseTree("", &parse.Tree{Root: tree})
		if err != nil {
			return err
		}
		return tt.Execute(&b, data)
	}
	switch {
	case c.Prompt != "" && c.Suffix != "":
		err = exec(t.Tree.Root, map[string]any{"Prompt": c.Prompt, "Suffix": c.Suffix, "Response": ""})
	case vars["messages"]:
		err = exec(t.Tree.Root, map[string]any{"System": strings.Join(systems, "\n\n"), "Messages": collated, "Tools": toolsValue, "Response": ""})
	default:
		var system, prompt, response string
		flush := func() error {
			err := exec(t.Tree.Root, map[string]any{"System": system, "Prompt": prompt, "Response": response})
			system, prompt, response = "", "", ""
			return err
		}
		for _, m := range collated {
			switch m.Role {
			case "system":
				if prompt != "" || response != "" {
					if err = flush(); err != nil {
						return failed(err)
					}
				}
				system = m.Content
			case "user":
				if response != "" {
					if err = flush(); err != nil {
						return failed(err)
					}
				}
				prompt = m.Content
			case "assistant":
				response = m.Content
			}
		}
		err = exec(cutAfterResponse(t.Tree.Root), map[string]any{"System": system, "Prompt": prompt, "Response": response})
	}
	if err != nil {
		return failed(err)
	}
	return succeeded(b.String())
}

func generate[C any](in, out string, name func(C) string, run func(C) result) {
	data, err := os.ReadFile(in)
	if err != nil {
		panic(err)
	}
	var cases []C
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	results := map[string]result{}
	var names []string
	for _, c := range cases {
		results[name(c)] = run(c)
		names = append(names, name(c))
	}
	sort.Strings(names)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		panic(err)
	}
}

func main() {
	generate("interpreter-cases.json", "interpreter-expected.json", func(c interpreterCase) string { return c.Name }, runInterpreter)
	generate("prompt-cases.json", "prompt-expected.json", func(c promptCase) string { return c.Name }, runPrompt)
}
