using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Context;
using SpecSynth.Prompting;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Context.Tokens;

namespace SpecSynth.Tests.Context;

/// <summary>The generate prompt's layout for prompt caching: the stable prefix (system prompt, project structure,
/// project files sorted by path) is marked and does not depend on the spec.</summary>
public sealed class PromptLayoutTests
{
    private static readonly SpecSynth.Projects.ProjectContext Project = Plans.Project("/p",
        ("src/Store.cs", Code("Store")), ("src/Cli.cs", Code("Cli")), ("src/Model.cs", Code("Model")), ("README.md", "# Todo\n"));

    [Fact]
    public async Task StablePrefix_IsMarked_AndByteIdenticalForTwoSpecs()
    {
        var one = await Plans.PlanAsync(Plans.Spec("Add a --due flag.", "Due dates"), Project,
            [Plans.Ranked("src/Store.cs"), Plans.Ranked("src/Cli.cs"), Plans.Ranked("src/Model.cs")]);
        var two = await Plans.PlanAsync(Plans.Spec("Add a 'list --done' command that prints finished todos.", "Done list"), Project,
            [Plans.Ranked("src/Model.cs"), Plans.Ranked("src/Cli.cs"), Plans.Ranked("src/Store.cs")]);

        var a = one.Prompt.Messages[1].Contents.OfType<TextContent>().ToList();
        var b = two.Prompt.Messages[1].Contents.OfType<TextContent>().ToList();
        Assert.Equal(3, a.Count);
        Assert.Equal([true, true, false], a.Select(PromptCaching.IsBreakpoint));
        Assert.Equal(one.Prompt.Messages[0].Text, two.Prompt.Messages[0].Text);
        Assert.Equal(a[0].Text, b[0].Text);
        Assert.Equal(a[1].Text, b[1].Text);
        Assert.NotEqual(a[2].Text, b[2].Text);
        Assert.Contains("## Project structure", a[0].Text, StringComparison.Ordinal);
        Assert.Contains("<file path=\"src/Cli.cs\">", a[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Due dates", a[0].Text + a[1].Text, StringComparison.Ordinal);
        Assert.Contains("<specification title=\"Due dates\">", a[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecsOfDifferentLengths_GetTheSameFiles_WhenTheBudgetIsTight()
    {
        var ranked = new[] { Plans.Ranked("src/Store.cs"), Plans.Ranked("src/Cli.cs"), Plans.Ranked("src/Model.cs") };
        var shortSpec = await Plans.PlanAsync(Plans.Spec("Add a flag."), Project, ranked, budget: 2800);
        var longSpec = await Plans.PlanAsync(Plans.Spec(string.Join(' ', Enumerable.Repeat("The CLI MUST accept a due date.", 25))), Project, ranked,
            budget: 2800);

        Assert.Contains(shortSpec.Items, i => i.State is ContextItemState.Outline or ContextItemState.PathOnly);
        Assert.Equal(shortSpec.Items.Skip(1).Select(i => (i.Path, i.State)), longSpec.Items.Skip(1).Select(i => (i.Path, i.State)));
        Assert.Equal(((TextContent)shortSpec.Prompt.Messages[1].Contents[1]).Text, ((TextContent)longSpec.Prompt.Messages[1].Contents[1]).Text);
        ContextPlannerTests.AssertWithinBudget(longSpec);
    }

    [Fact]
    public async Task TheProjectStructure_IsTheSameWhateverTheSpecRanks()
    {
        var one = await Plans.PlanAsync(Plans.Spec("x"), Project, [Plans.Ranked("src/Store.cs")]);
        var two = await Plans.PlanAsync(Plans.Spec("y"), Project, [Plans.Ranked("README.md")]);

        Assert.Equal(((TextContent)one.Prompt.Messages[1].Contents[0]).Text, ((TextContent)two.Prompt.Messages[1].Contents[0]).Text);
        Assert.NotEqual(((TextContent)one.Prompt.Messages[1].Contents[1]).Text, ((TextContent)two.Prompt.Messages[1].Contents[1]).Text);
    }

    [Fact]
    public async Task ASecondSpecOverTheSameProject_ReadsTheCachedPrefix_FromAnthropic()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = new PrefixCachingFake().Route;
        using var client = ProviderClientFactory.Create(new ProviderSettings
        {
            Provider = ProviderIds.Claude,
            Model = "claude-sonnet-4-5",
            ApiKey = "sk-ant-test",
            BaseUrl = server.BaseUrl,
            MaxOutputTokens = 1000,
        });
        var ranked = new[] { Plans.Ranked("src/Store.cs"), Plans.Ranked("src/Cli.cs"), Plans.Ranked("src/Model.cs") };
        var first = await Plans.PlanAsync(Plans.Spec("Add a --due flag.", "Due dates"), Project, ranked);
        var second = await Plans.PlanAsync(Plans.Spec("Add a done command.", "Done"), Project, ranked);

        var u1 = UsageMapper.FromResponse(await client.GetResponseAsync(first.Prompt.Messages));
        var u2 = UsageMapper.FromResponse(await client.GetResponseAsync(second.Prompt.Messages));

        Assert.True(u1.CacheWriteTokens > 1024, u1.ToString());
        Assert.Equal(0, u1.CacheReadTokens);
        Assert.Equal(u1.CacheWriteTokens, u2.CacheReadTokens);
        Assert.Equal(0, u2.CacheWriteTokens);
        Assert.True(u2.InputTokens < u2.CacheReadTokens / 4, u2.ToString());
    }

    private static string Code(string name)
    {
        var sb = new StringBuilder($"namespace Todo;\n\n/// <summary>{name}.</summary>\npublic sealed class {name}\n{{\n");
        for (var i = 0; i < 40; i++)
        {
            sb.Append($"    public int {name}Op{i}(int value) => value * {i} + {name.Length};\n");
        }
        return sb.Append("}\n").ToString();
    }
}
