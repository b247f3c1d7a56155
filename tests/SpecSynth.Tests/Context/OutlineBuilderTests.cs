using SpecSynth.Context.Outlines;

namespace SpecSynth.Tests.Context;

public sealed class OutlineBuilderTests
{
    [Fact]
    public void CSharp_KeepsSignaturesAndDocComments_AndDropsBodies()
    {
        const string source = """
            using System;

            namespace Demo;

            /// <summary>Stores todos.</summary>
            public sealed class TodoStore
            {
                private readonly List<string> _items = new();

                /// <summary>Adds a todo.</summary>
                /// <param name="text">The text.</param>
                public void Add(string text)
                {
                    var secretBodyMarker = text.Trim();
                    _items.Add(secretBodyMarker);
                }

                /// <summary>How many.</summary>
                public int Count => _items.Count + BodyOnlyHelper();

                public string Name
                {
                    get { return "inside-getter-body"; }
                    set { _name = value; }
                }

                public TodoStore(int capacity) => _items.Capacity = capacity * 2;

                private static int BodyOnlyHelper() => 0;
            }
            """;

        var outline = OutlineBuilder.Build("src/TodoStore.cs", source)!;

        Assert.Contains("/// <summary>Stores todos.</summary>", outline, StringComparison.Ordinal);
        Assert.Contains("public sealed class TodoStore", outline, StringComparison.Ordinal);
        Assert.Contains("/// <param name=\"text\">The text.</param>", outline, StringComparison.Ordinal);
        Assert.Contains("public void Add(string text);", outline, StringComparison.Ordinal);
        Assert.Contains("public int Count { get; }", outline, StringComparison.Ordinal);
        Assert.Contains("public TodoStore(int capacity);", outline, StringComparison.Ordinal);
        Assert.Contains("private static int BodyOnlyHelper();", outline, StringComparison.Ordinal);
        Assert.Contains("get;", outline, StringComparison.Ordinal);
        Assert.Contains("private readonly List<string> _items", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("secretBodyMarker", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("inside-getter-body", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("capacity * 2", outline, StringComparison.Ordinal);
        Assert.True(outline.Length < source.Length);
    }

    [Fact]
    public void JavaScript_KeepsDeclarationsAndComments_AndDropsFunctionBodies()
    {
        const string source = """
            import { readFile } from 'node:fs/promises';

            /** Parses a header size. */
            export function parseSize(text) {
              const inner = text.split('{');
              if (inner.length > 1) { return -1; }
              return Number(text);
            }

            // The server.
            export class Server extends Base {
              /** Starts listening. */
              async listen(port) {
                await this.bodyOnlyCall(`${port} }`);
              }

              get port() { return this._port; }
            }

            const handler = (req, res) => {
              res.end('handler-body');
            };

            module.exports = { parseSize, Server };
            """;

        var outline = OutlineBuilder.Build("lib/server.js", source)!;

        Assert.Contains("import { readFile } from 'node:fs/promises';", outline, StringComparison.Ordinal);
        Assert.Contains("/** Parses a header size. */", outline, StringComparison.Ordinal);
        Assert.Contains("export function parseSize(text) { … }", outline, StringComparison.Ordinal);
        Assert.Contains("export class Server extends Base {", outline, StringComparison.Ordinal);
        Assert.Contains("/** Starts listening. */", outline, StringComparison.Ordinal);
        Assert.Contains("async listen(port) { … }", outline, StringComparison.Ordinal);
        Assert.Contains("get port() { … }", outline, StringComparison.Ordinal);
        Assert.Contains("const handler = (req, res) => { … };", outline, StringComparison.Ordinal);
        Assert.Contains("module.exports = { parseSize, Server };", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("bodyOnlyCall", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("handler-body", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("Number(text)", outline, StringComparison.Ordinal);
    }

    [Fact]
    public void Python_KeepsDefinitionsDocstringsAndImports_AndDropsBodies()
    {
        const string source = """"
            import os
            from typing import List

            MAX_ITEMS = 100

            # A store of todos.
            class TodoStore:
                """Keeps todos in memory."""

                def __init__(self):
                    self.items: List[str] = []

                @property
                def count(self) -> int:
                    """How many todos there are."""
                    return len(self.items) + body_only()

                async def save(self,
                               path: str) -> None:
                    with open(path, "w") as f:
                        f.write("body-only")
            """";

        var outline = OutlineBuilder.Build("todo/store.py", source)!;

        Assert.Contains("import os", outline, StringComparison.Ordinal);
        Assert.Contains("from typing import List", outline, StringComparison.Ordinal);
        Assert.Contains("MAX_ITEMS = 100", outline, StringComparison.Ordinal);
        Assert.Contains("# A store of todos.\nclass TodoStore:\n    \"\"\"Keeps todos in memory.\"\"\"", outline, StringComparison.Ordinal);
        Assert.Contains("    @property\n    def count(self) -> int:\n        \"\"\"How many todos there are.\"\"\"\n        ...", outline, StringComparison.Ordinal);
        Assert.Contains("async def save(self,\n                   path: str) -> None:", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("body_only", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("body-only", outline, StringComparison.Ordinal);
        Assert.DoesNotContain("self.items: List[str] = []", outline, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main.go", "package main\n\n// Run runs.\nfunc Run(x int) error {\n\treturn fmt.Errorf(\"go-body\")\n}\n\ntype Store struct {\n\tItems []string\n}\n",
        "func Run(x int) error { … }", "Items []string", "go-body")]
    [InlineData("src/lib.rs", "/// Adds.\npub fn add<'a>(x: &'a str) -> usize {\n    let c = '}';\n    rust_body(x)\n}\n\nimpl Store {\n    pub fn new() -> Self { Self {} }\n}\n",
        "pub fn add<'a>(x: &'a str) -> usize { … }", "pub fn new() -> Self { … }", "rust_body")]
    [InlineData("include/api.h", "#include <stddef.h>\n\n/* Sizes. */\nsize_t api_size(const char *s);\nstatic inline int twice(int x) {\n    return x * 2 + c_body;\n}\n",
        "size_t api_size(const char *s);", "static inline int twice(int x) { … }", "c_body")]
    [InlineData("src/App.java", "package app;\n\n/** App. */\npublic class App {\n    /** Runs. */\n    public void run(String[] args) throws Exception {\n        System.out.println(\"java-body\");\n    }\n}\n",
        "public class App {", "public void run(String[] args) throws Exception { … }", "java-body")]
    public void OtherLanguages_KeepDeclarations_AndDropBodies(string path, string source, string kept1, string kept2, string dropped)
    {
        var outline = OutlineBuilder.Build(path, source)!;

        Assert.Contains(kept1, outline, StringComparison.Ordinal);
        Assert.Contains(kept2, outline, StringComparison.Ordinal);
        Assert.DoesNotContain(dropped, outline, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedLanguages_AndOutlinesNoShorterThanTheFile_GiveNull()
    {
        Assert.Null(OutlineBuilder.Build("README.md", "# Title\n\nSome text.\n"));
        Assert.Null(OutlineBuilder.Build("data.json", "{\"a\": 1}"));
        Assert.Null(OutlineBuilder.Build("src/I.cs", "public interface I { void M(); }"));
    }
}
