using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

/// <summary>Reads the reply corpus under <c>tests/SpecSynth.Tests/Parsing/Corpus</c> and checks shared invariants.</summary>
internal static class ResponseParserCorpus
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "SpecSynth.Tests", "Parsing", "Corpus", name));

    public static CodeBlock Single(ParsedResponse parsed, string path) => Assert.Single(parsed.Files, f => f.Path == path);

    public static string[] ReplyLines(string reply) => reply.ReplaceLineEndings("\n").Split('\n');

    /// <summary>Each file's LineStart points at the reply line its first content line came from.</summary>
    public static void AssertLineStartsPointAtContent(string reply, ParsedResponse parsed)
    {
        var lines = ReplyLines(reply);
        foreach (var file in parsed.Files.Where(f => f.Content.Length > 0))
        {
            var first = file.Content.Split('\n')[0];
            Assert.True(file.LineStart >= 1 && file.LineStart <= lines.Length, $"{file.Path}: LineStart {file.LineStart}");
            Assert.EndsWith(first, lines[file.LineStart - 1], StringComparison.Ordinal);
        }
    }
}
