using static SpecSynth.Tests.Context.RelevanceFixture;

namespace SpecSynth.Tests.Context;

public sealed class RelevanceRankerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SpecNamingAPath_RanksThatFileFirst(bool readContents)
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, """
            # Colours
            Change `src/Colors.cs` so that the reset code is also exported as `Plain`.
            """, readContents);

        Assert.Equal("src/Colors.cs", ranked[0].Path);
        Assert.Contains("named in the spec", ranked[0].Reasons);
        Assert.True(ranked[0].Bytes > 0);
    }

    [Fact]
    public async Task SpecNamingAFileNameOnly_FindsItBySuffix()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, "# Fix\nThe bug is in TodoEndpoints.cs.\n");

        Assert.Equal("src/Api/TodoEndpoints.cs", ranked[0].Path);
        Assert.Contains("named in the spec as TodoEndpoints.cs", ranked[0].Reasons);
    }

    [Fact]
    public async Task Identifiers_RankTheFileDefiningThemAboveFilesUsingThem()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, """
            # Completing items
            Add `Complete(int index)` to `TodoStore`, marking the item as done.
            """);

        var store = Get(ranked, "src/TodoStore.cs");
        Assert.Equal("src/TodoStore.cs", ranked[0].Path);
        Assert.Contains("defines TodoStore", store.Reasons);
        Assert.True(IndexOf(ranked, "src/Program.cs") > 0);
        Assert.DoesNotContain("defines TodoStore", Get(ranked, "src/Program.cs").Reasons);
    }

    [Theory]
    [InlineData("function parseArgs(argv) {", true)]
    [InlineData("const parseArgs = (argv) => argv;", true)]
    [InlineData("exports.parseArgs = function (argv) {", true)]
    [InlineData("  parseArgs(argv) {", true)]
    [InlineData("def parseArgs(argv):", true)]
    [InlineData("func (p *Parser) parseArgs(argv []string) error {", true)]
    [InlineData("static int parseArgs(int argc, char** argv) {", true)]
    [InlineData("void Cli::parseArgs(int argc)", true)]
    [InlineData("  const options = parseArgs(process.argv);", false)]
    [InlineData("  parseArgs(argv);", false)]
    [InlineData("  return parseArgs(argv);", false)]
    [InlineData("  if (parseArgs(argv)) {", false)]
    [InlineData("// see parseArgs for details", false)]
    public void DefinitionDetector_TellsDeclarationsFromUses(string line, bool declares)
    {
        var text = System.Text.Encoding.UTF8.GetBytes("x\n" + line + "\ny\n");
        var start = Array.IndexOf(text, (byte)'p', 2);
        while (!System.Text.Encoding.UTF8.GetString(text, start, 9).Equals("parseArgs", StringComparison.Ordinal))
        {
            start = Array.IndexOf(text, (byte)'p', start + 1);
        }

        Assert.Equal(declares, SpecSynth.Context.Relevance.DefinitionDetector.IsDeclaration(text, start, start + 9, isHeader: false));
    }

    [Fact]
    public async Task Endpoints_RankTheFileWithTheRoute()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, """
            # Delete
            `DELETE /todos/:id` must return 404 when the item does not exist.
            """);

        var endpoints = Get(ranked, "src/Api/TodoEndpoints.cs");
        Assert.Equal("src/Api/TodoEndpoints.cs", ranked[0].Path);
        Assert.Contains("route DELETE /todos/:id", endpoints.Reasons);
    }

    [Fact]
    public async Task Bm25_PrefersTheFileAboutTheTopic()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, """
            # Forecast
            Show the wind speed next to the temperature and the rain in the forecast description.
            """);

        Assert.Equal("src/Weather.cs", ranked[0].Path);
        Assert.Contains(ranked[0].Reasons, r => r.StartsWith("bm25 ", StringComparison.Ordinal) && r.Contains("temperature", StringComparison.Ordinal));
        Assert.DoesNotContain(ranked, r => r.Path == "src/Colors.cs");
    }

    [Fact]
    public async Task OneHop_ReachesImportedFilesImportersAndDeclaringFilesOfUsedTypes()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var fromServer = await RankAsync(dir, "# Port\nMake the port of `web/server.js` configurable.\n");
        var fromStore = await RankAsync(dir, "# Sorting\nSort the list in `web/store.js`.\n");
        var fromProgram = await RankAsync(dir, "# Output\nPrint a header in `src/Program.cs` first.\n");
        var fromPython = await RankAsync(dir, "# Entry\nLog in `py/app/main.py`.\n");

        Assert.Contains("imported by web/server.js", Get(fromServer, "web/store.js").Reasons);
        Assert.Contains("imports web/store.js", Get(fromStore, "web/server.js").Reasons);
        Assert.Contains("defines TodoStore, used by src/Program.cs", Get(fromProgram, "src/TodoStore.cs").Reasons);
        Assert.Contains("imported by py/app/main.py", Get(fromPython, "py/app/models.py").Reasons);
        Assert.False(fromServer.Any(r => r.Path == "web/theme.js"), Describe(fromServer));
        Assert.True(Get(fromServer, "web/store.js").Score < fromServer[0].Score);
    }

    [Fact]
    public async Task SecretFiles_AreNeverRanked_EvenWhenNamedAndFullOfTheSpecsWords()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, """
            # Secrets
            Read `.env` and `config/id_rsa`: TodoStore todo store weather forecast temperature.
            """, readContents: false);

        Assert.NotEmpty(ranked);
        Assert.DoesNotContain(ranked, r => r.Path is ".env" or "config/id_rsa");
        Assert.DoesNotContain(ranked, r => r.Reasons.Any(reason => reason.Contains("abc123", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BinaryAndNonUtf8Files_AreNotRanked()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);
        File.WriteAllBytes(dir.Combine("src", "forecast.txt"), [.. "weather forecast temperature "u8, 0, 1, 2]);
        File.WriteAllBytes(dir.Combine("src", "forecast2.txt"), [.. "weather forecast temperature "u8, 0xC3, 0x28]);

        var ranked = await RankAsync(dir, "# Forecast\nThe weather forecast temperature.\n", readContents: false);

        Assert.Contains(ranked, r => r.Path == "src/Weather.cs");
        Assert.DoesNotContain(ranked, r => r.Path.StartsWith("src/forecast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ranking_IsDeterministic_ScoreThenPath()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);
        dir.Write("a/same.txt", "alpha beta gamma\n");
        dir.Write("b/same.txt", "alpha beta gamma\n");
        const string Spec = "# Greek\nalpha beta gamma and the todo store.\n";

        var first = await RankAsync(dir, Spec, readContents: false);
        var second = await RankAsync(dir, Spec, readContents: true);

        Assert.Equal(first.Select(r => (r.Path, r.Score)), second.Select(r => (r.Path, r.Score)));
        for (var i = 1; i < first.Count; i++)
        {
            Assert.True(first[i - 1].Score > first[i].Score
                || (first[i - 1].Score == first[i].Score && string.CompareOrdinal(first[i - 1].Path, first[i].Path) < 0));
        }
        Assert.True(IndexOf(first, "a/same.txt") < IndexOf(first, "b/same.txt"));
    }

    [Fact]
    public async Task EveryRankedFile_HasReasons()
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);

        var ranked = await RankAsync(dir, "# Todo\nThe `TodoStore` keeps todo items; `GET /todos` lists them.\n");

        Assert.NotEmpty(ranked);
        Assert.All(ranked, r => Assert.NotEmpty(r.Reasons));
    }
}
