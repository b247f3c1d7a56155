using SpecSynth.Edits;
using SpecSynth.Parsing;

namespace SpecSynth.Tests.Edits;

public sealed class EditParsingTests
{
    [Fact]
    public void AiderBlocks_NameTheirFileOnTheLineBeforeTheFence_SeveralPerFenceAndFile()
    {
        const string reply = """
            I changed two methods.

            src/Order.cs
            ```csharp
            <<<<<<< SEARCH
                    return 0m;
            =======
                    return 1m;
            >>>>>>> REPLACE
            <<<<<<< SEARCH
                    return 0;
            =======
                    return 1;
            >>>>>>> REPLACE
            ```

            src/Other.cs
            ```csharp
            <<<<<<< SEARCH
            =======
            class Other { }
            >>>>>>> REPLACE
            src/Order.cs
            <<<<<<< SEARCH
            namespace Shop;
            =======
            namespace Shop.Orders;
            >>>>>>> REPLACE
            ```

            ```csharp
            // filepath: src/Whole.cs
            class Whole { }
            ```
            """;

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/Order.cs", "src/Other.cs"], parsed.Edits.Select(e => e.Path));
        var order = parsed.Edits[0];
        Assert.Equal([1, 2, 3], order.Blocks.Select(b => b.Number));
        Assert.Equal("        return 0m;\n", order.Blocks[0].Search);
        Assert.Equal("        return 1m;\n", order.Blocks[0].Replace);
        Assert.Equal("namespace Shop;\n", order.Blocks[2].Search);
        Assert.Equal("", parsed.Edits[1].Blocks[0].Search);
        Assert.Equal("src/Whole.cs", Assert.Single(parsed.Files).Path);
        Assert.Equal(4, parsed.EditBlocks);
        Assert.DoesNotContain("SEARCH", parsed.Explanation, StringComparison.Ordinal);
        Assert.Contains("I changed two methods.", parsed.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ABlockCutOff_IsIncomplete()
    {
        const string reply = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n        return 0m;\n=======\n        return 1m;\n";

        var parsed = ResponseParser.Parse(reply);

        Assert.False(Assert.Single(parsed.Edits).IsComplete);
    }

    [Fact]
    public void ADiffFence_IsReadAsEdits_ContextAndRemovedLinesToFind()
    {
        const string reply = """
            ```diff
            --- a/src/Order.cs
            +++ b/src/Order.cs
            @@ -5,3 +5,3 @@
                 {
            -        return 0m;
            +        return 1m;
                 }
            --- /dev/null
            +++ b/src/New.cs
            @@ -0,0 +1 @@
            +class New { }
            ```
            """;

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/Order.cs", "src/New.cs"], parsed.Edits.Select(e => e.Path));
        Assert.All(parsed.Edits, e => Assert.Equal(EditFormat.UnifiedDiff, e.Format));
        Assert.Equal("    {\n        return 0m;\n    }\n", parsed.Edits[0].Blocks[0].Search);
        Assert.Equal("    {\n        return 1m;\n    }\n", parsed.Edits[0].Blocks[0].Replace);
        Assert.Equal("", parsed.Edits[1].Blocks[0].Search);
        Assert.Empty(parsed.Files);
    }

    [Theory]
    [InlineData("src/A.cs", "class A\n{\n    // ... existing code ...\n}\n", 3)]
    [InlineData("a.py", "def f():\n    pass\n# ... rest unchanged\n", 3)]
    [InlineData("src/A.ts", "export class A {\n  /* ... */\n}\n", 2)]
    [InlineData("src/A.cs", "class A\n{\n    // rest of the file unchanged\n}\n", 3)]
    [InlineData("src/A.cs", "class A\n{\n    ...\n}\n", 3)]
    public void Elisions_AreFound(string path, string content, int line)
    {
        Assert.Equal(line, Elisions.Find(path, content)?.Line);
    }

    [Theory]
    [InlineData("a.py", "class P(Protocol):\n    def f(self) -> int:\n        ...\n")]
    [InlineData("src/A.cs", "// Returns the value unchanged when it is positive.\nint F(int x) => x;\n")]
    [InlineData("src/A.ts", "const all = [...items, ...more];\n// other methods\n")]
    [InlineData("src/A.cs", "var s = \"... existing code ...\";\n")]
    public void OrdinaryCode_IsNoElision(string path, string content)
    {
        Assert.Null(Elisions.Find(path, content));
    }
}
