using System.Text;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary><see cref="DefinitionDetector.MayDeclare"/>, the context index's cheap filter, is a necessary condition of
/// <see cref="DefinitionDetector.IsDeclaration"/>: it may let a use through, never drop a declaration.</summary>
public sealed class DefinitionDetectorTests
{
    private static readonly string[] Fragments =
    [
        "class ", "struct ", "def ", "func ", "fn ", "function ", "const ", "let ", "var ", "exports.", "this.", "self.",
        "X.prototype.", "public ", "static ", "private readonly ", "int ", "void ", "Cli::", "return ", "if (", "new ",
        "name", "parseArgs", "HttpServer", "max_size", "$el", "foo", "Bar", "(", ")", "(a, b)", " {", " }", "{", "}", ";",
        " = ", " == ", " => ", "<T>", "<", ">", ":", "::", ",", ".", "*", "&", " ", "  ", "\t", "\n", "\n", "\r\n", "#",
        "#define ", "// ", "[]", "~", "@", "?", "=", "'/x'",
    ];

    [Theory]
    [InlineData("  parseArgs(argv);", false)]
    [InlineData("  parseArgs(argv) {", true)]
    [InlineData("\tparseArgs<T>(argv)  {  ", true)]
    [InlineData("  parseArgs (argv)", false)]
    [InlineData("# parseArgs(x)", false)]
    [InlineData("function parseArgs(argv)", true)]
    [InlineData("static int parseArgs(int argc) {", true)]
    public void MayDeclare_AtTheStartOfALine_LetsOnlyAMethodHeadThrough(string line, bool may)
    {
        var text = Encoding.UTF8.GetBytes("x\n" + line + "\ny\n");
        var start = Encoding.UTF8.GetString(text).IndexOf("parseArgs", StringComparison.Ordinal);

        Assert.Equal(may, DefinitionDetector.MayDeclare(text, start, start + 9));
        Assert.Equal(may, DefinitionDetector.IsDeclaration(text, start, start + 9, isHeader: false));
    }

    [Fact]
    public void MayDeclare_NeverDropsADeclaration()
    {
        var random = new Random(19);
        var declarations = 0;
        var filtered = 0;
        for (var sample = 0; sample < 4000; sample++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 24);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(Fragments[random.Next(Fragments.Length)]);
            }
            var text = Encoding.UTF8.GetBytes(builder.ToString());
            foreach (var (start, end) in new AsciiTokens(text))
            {
                if (end - start < 3 || AsciiText.ClassOf(text[start]) == AsciiText.Digit)
                {
                    continue;
                }
                var may = DefinitionDetector.MayDeclare(text, start, end);
                foreach (var header in (bool[])[false, true])
                {
                    if (DefinitionDetector.IsDeclaration(text, start, end, header))
                    {
                        declarations++;
                        Assert.True(may, $"dropped: [{builder}] at {start}");
                    }
                }
                filtered += may ? 0 : 1;
            }
        }
        // Both sides were exercised: many declarations kept, many uses filtered out.
        Assert.True(declarations > 500, $"{declarations} declarations");
        Assert.True(filtered > 5000, $"{filtered} filtered");
    }
}
