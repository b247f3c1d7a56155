using System.Text.Json;
using SpecSynth.Cli;
using SpecSynth.Cli.Commands;
using SpecSynth.Context;

namespace SpecSynth.Tests.Cli;

/// <summary><c>context --json</c> is written by hand (<see cref="ContextJson"/>): its text must be byte for byte what the
/// serializer with <see cref="CliJson.Options"/> writes for the same plan (the shape is public API).</summary>
public sealed class ContextJsonTests
{
    private const string Awkward = "q\"uote \\back/slash\ttab\nline\r\u0001ctl <tag> & 'apos' +plus é ü 中文 😀 \u2028\u00a0 `tick`";

    public static TheoryData<string> Plans => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(Plans))]
    public void Hand_written_json_is_the_serializers_byte_for_byte(string name)
    {
        var plan = Samples()[name];

        var expected = JsonSerializer.Serialize(plan, CliJson.Options);
        var actual = ContextJson.Write(plan);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_item_kind_and_state_has_the_serializers_name()
    {
        var kinds = Enum.GetValues<ContextItemKind>().Append((ContextItemKind)77);
        var states = Enum.GetValues<ContextItemState>().Append((ContextItemState)(-3));
        var items = kinds.SelectMany(k => states.Select(s => new ContextItemView(k, "p", 1, s, Array.Empty<string>()))).ToList();
        var plan = Plan(items) with { Understood = null };

        var actual = ContextJson.Write(plan);

        Assert.Equal(JsonSerializer.Serialize(plan, CliJson.Options), actual);
        Assert.Contains("\"kind\": \"previous_implementation\"", actual, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"path_only\"", actual, StringComparison.Ordinal);
        Assert.Contains("\"kind\": 77", actual, StringComparison.Ordinal);
    }

    private static Dictionary<string, ContextResult> Samples()
    {
        var window = new ContextBudgetView("anthropic", "claude-sonnet-4", 200_000, 8_192, 2_000, 189_808, false, 150_000);
        var items = new List<ContextItemView>
        {
            new(ContextItemKind.Specification, "/tmp/spec ü.md", 231, ContextItemState.Whole, ["the specification is always sent whole"]),
            new(ContextItemKind.File, "src/" + Awkward + ".cs", 9_572, ContextItemState.Outline, ["bm25 278.8 (a, b)", Awkward, ""]),
            new(ContextItemKind.File, "lib/a.js", 0, ContextItemState.PathOnly, []),
            new(ContextItemKind.ProjectTree, null, 6_402, ContextItemState.Trimmed, ["trimmed to 587 of 19,888 paths"]),
            new(ContextItemKind.PreviousImplementation, "out/x.py", int.MaxValue, ContextItemState.Dropped, ["dropped"]),
        };
        var understood = new UnderstoodSpec(Awkward, "h1", "python", ["go", "c#"], "project", null, "none",
            [new UnderstoodEvidence("python", "project", "detected in the project", 0), new UnderstoodEvidence("go", "fence", Awkward, -4)],
            [], 3, 0, [new UnderstoodWarning("W001", Awkward, 12)]);
        var messages = new List<ContextMessageView>
        {
            new("system", [new ContextContentView("You write code.\n\n```cs\nvar x = \"<y>\";\n```", true)]),
            new("user", [new ContextContentView(Awkward, false), new ContextContentView("", true)]),
            new("assistant", []),
        };
        return new Dictionary<string, ContextResult>(StringComparer.Ordinal)
        {
            ["minimal"] = new("spec.md", ".", Budget(), 0, 0, 0, false, [], [], 0, null, null),
            ["typical"] = Plan(items) with { Understood = understood },
            ["with prompt and warning"] = Plan(items) with
            {
                Messages = messages,
                Warning = Awkward,
                Budget = window,
                Providers = [new ContextFitView(window, 123_456, false), new ContextFitView(Budget(), -1, true)],
                Understood = understood with { Language = null, Framework = "fastapi", OtherLanguages = [], Warnings = [] },
            },
            ["unicode paths"] = new("/home/us😀r/spec.md", "/srv/projët/中文", Budget(), 1, 2, 3, true,
                [new ContextItemView(ContextItemKind.File, "docs/naïve/résumé 😀.md", 5, ContextItemState.Whole, ["path words résumé"])],
                [], 1, [], ""),
        };
    }

    private static ContextBudgetView Budget() => new("openai", "gpt-4o", null, 0, 0, 128_000, true, null);

    private static ContextResult Plan(IReadOnlyList<ContextItemView> items) =>
        new("/tmp/ref-dumps/spec0.md", "/work/bigrepo/node", Budget(), 388, 115_043, 115_667, true, items,
            [new ContextFitView(Budget(), 115_667, true)], 2, null, null);
}
