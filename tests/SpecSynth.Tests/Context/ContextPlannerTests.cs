using System.Text;
using SpecSynth.Context;
using SpecSynth.Context.Tokens;
using SpecSynth.Prompting;
using SpecSynth.Providers;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Context;

public sealed class ContextPlannerTests
{
    private static readonly ProviderLimit Claude = new("claude", "claude-sonnet-4-5", 200_000, 16_000);
    private static readonly ProviderLimit Gpt = new("openai", "gpt-4o", 128_000, 16_000);
    private static readonly ProviderLimit SmallOllama = new("ollama", "qwen2.5-coder:7b", 4096, 8192);

    [Fact]
    public async Task SpecAloneTooLong_IsInvalidInput_NamingTheNumbers()
    {
        var spec = Plans.Spec(string.Join('\n', Enumerable.Range(0, 400).Select(i => $"The system MUST handle case {i} carefully.")));

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => Plans.PlanAsync(spec, ProjectContext.Empty("/p"), limits: [SmallOllama]));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("The specification alone needs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ollama qwen2.5-coder:7b", ex.Message, StringComparison.Ordinal);
        Assert.Contains("context window 4,096 − reply reservation 2,048 − margin 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PriorityOrder_SpecThenRankedFilesThenTreeThenPrevious_AndDegradationWholeOutlinePath()
    {
        var small = CSharpClass("Small", 3);
        var big = CSharpClass("Big", 200);
        var huge = new string('z', 40_000);
        var project = Plans.Project("/p", ("src/Small.cs", small), ("src/Big.cs", big), ("data/huge.txt", huge), ("README.md", "# Readme"));
        var ranked = new[] { Plans.Ranked("src/Small.cs", "named in the spec"), Plans.Ranked("src/Big.cs", "defines Big"), Plans.Ranked("data/huge.txt", "bm25 1.2") };
        var counter = TokenCounters.For("mock", "mock-1", null);
        // Room for the spec (a tenth of the budget is kept for it), Small whole and Big's outline, but not Big whole nor huge.txt.
        var bigOutline = counter.Count(PromptBuilder.FileFragment("src/Big.cs", SpecSynth.Context.Outlines.OutlineBuilder.Build("src/Big.cs", big)!, outline: true));
        var plan = await Plans.PlanAsync(Plans.Spec("Add a feature to Big."), project, ranked, budget: (1200 + bigOutline) * 10 / 9,
            previous: [("out/Old.cs", CSharpClass("Old", 400))]);

        Assert.Equal([ContextItemKind.Specification, ContextItemKind.File, ContextItemKind.File, ContextItemKind.File, ContextItemKind.ProjectTree,
            ContextItemKind.PreviousImplementation], plan.Items.Select(i => i.Kind));
        Assert.Equal(ContextItemState.Whole, plan.Items[0].State);
        Assert.Equal(("src/Small.cs", ContextItemState.Whole), (plan.Items[1].Path, plan.Items[1].State));
        Assert.Equal(("src/Big.cs", ContextItemState.Outline), (plan.Items[2].Path, plan.Items[2].State));
        Assert.Contains("defines Big", plan.Items[2].Reasons);
        Assert.Contains(plan.Items[2].Reasons, r => r.StartsWith("outline: the whole file needs", StringComparison.Ordinal));
        Assert.Equal(("data/huge.txt", ContextItemState.PathOnly), (plan.Items[3].Path, plan.Items[3].State));
        Assert.Contains(plan.Items[3].Reasons, r => r.Contains("(no outline for this language)", StringComparison.Ordinal));
        Assert.Equal(ContextItemState.Whole, plan.Items[4].State);
        Assert.Equal(ContextItemState.Dropped, plan.Items[5].State);
        AssertWithinBudget(plan);

        var user = plan.Prompt.Messages[1].Text;
        Assert.Contains("<file path=\"src/Small.cs\">", user, StringComparison.Ordinal);
        Assert.Contains("<file path=\"src/Big.cs\" view=\"outline\">", user, StringComparison.Ordinal);
        Assert.Contains("public int Method199(int x);", user, StringComparison.Ordinal);
        Assert.DoesNotContain("return x + 199", user, StringComparison.Ordinal);
        Assert.DoesNotContain("zzzz", user, StringComparison.Ordinal);
        Assert.Contains("data/huge.txt\n", user, StringComparison.Ordinal);
        Assert.DoesNotContain("Previous implementations", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItemTokens_AreWhatTheirTextCosts_AndTheTotalIsTheWholePromptCounted()
    {
        var project = Plans.Project("/p", ("src/A.cs", CSharpClass("A", 5)));
        var plan = await Plans.PlanAsync(Plans.Spec("Change A."), project, [Plans.Ranked("src/A.cs")]);
        var counter = new PromptTokenCounter(TokenCounters.For("mock", "mock-1", null));

        Assert.Equal(counter.Estimate(plan.Prompt.Messages), plan.Tightest.PromptTokens);
        var file = plan.Items.Single(i => i.Kind == ContextItemKind.File);
        Assert.Equal(counter.Local.Count(PromptBuilder.FileFragment("src/A.cs", project.Files[0].Content, outline: false)), file.Tokens);
        Assert.InRange(plan.Tightest.PromptTokens, plan.TemplateTokens + plan.ItemTokens - 16, plan.TemplateTokens + plan.ItemTokens + 16);
    }

    [Fact]
    public async Task PreviousImplementations_AreSentWhenTheyFit()
    {
        var plan = await Plans.PlanAsync(Plans.Spec("Continue."), ProjectContext.Empty("/p"), previous: [("src/Old.cs", "class Old {}")]);

        var item = Assert.Single(plan.Items, i => i.Kind == ContextItemKind.PreviousImplementation);
        Assert.Equal(ContextItemState.Whole, item.State);
        Assert.Contains("## Previous implementations", plan.Prompt.Messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("<file path=\"src/Old.cs\">\nclass Old {}\n</file>", plan.Prompt.Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeTree_IsTrimmed_KeepingTheRankedPaths_AndSayingHowManyMore()
    {
        var paths = Enumerable.Range(0, 3000).Select(i => $"src/module{i:D4}/file{i:D4}.cs").ToList();
        var project = new ProjectContext { Root = "/p", Tree = paths };
        var plan = await Plans.PlanAsync(Plans.Spec("x"), project, [Plans.Ranked("src/module2999/file2999.cs")], budget: 4000);

        var tree = Assert.Single(plan.Items, i => i.Kind == ContextItemKind.ProjectTree);
        Assert.Equal(ContextItemState.Trimmed, tree.State);
        var user = plan.Prompt.Messages[1].Text;
        Assert.Contains("src/module2999/file2999.cs\n", user, StringComparison.Ordinal);
        Assert.Matches(@"… and \d+ more files", user);
        Assert.Equal(ContextItemState.PathOnly, plan.Items[1].State);
        Assert.True(tree.Tokens <= 4000 * ContextPlanner.TreeShare + 1, $"the tree takes at most a quarter of the budget ({tree.Tokens})");
        AssertWithinBudget(plan);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task BudgetIsNeverExceeded_RandomProjects_SeveralWindows_AndAChainWithA4kFallback(int seed)
    {
        var random = new Random(seed);
        var files = Enumerable.Range(0, random.Next(5, 60)).Select(i => RandomFile(random, i)).ToArray();
        var project = Plans.Project("/p", files);
        var ranked = files.OrderBy(_ => random.Next()).Take(random.Next(1, files.Length)).Select(f => Plans.Ranked(f.Path)).ToList();
        var previous = files.Take(3).Select(f => ("out/" + f.Path, f.Content)).ToList();
        var spec = Plans.Spec(RandomProse(random, random.Next(20, 400)));
        IReadOnlyList<ProviderLimit>[] chains =
        [
            [Plans.Mock(4096, 1024)],
            [Plans.Mock(16_384, 4096)],
            [Gpt with { ContextWindow = 8192, MaxOutputTokens = 2048 }],
            [Claude with { ContextWindow = 12_000 }],
            [Claude, Gpt, SmallOllama],
        ];
        foreach (var chain in chains)
        {
            var plan = await Plans.PlanAsync(spec, project, ranked, limits: chain, previous: previous);

            AssertWithinBudget(plan);
            Assert.Equal(chain.Count, plan.Fits.Count);
            Assert.Equal(chain.Min(l => ContextBudget.ForWindow(l.Provider, l.Model, l.ContextWindow, l.MaxOutputTokens, false).PromptLimit),
                plan.Tightest.Budget.PromptLimit);
            foreach (var (fit, limit) in plan.Fits.Zip(chain))
            {
                // Recounted independently with each provider's own counter.
                var recount = new PromptTokenCounter(TokenCounters.For(limit.Provider, limit.Model, null)).Estimate(plan.Prompt.Messages);
                Assert.True(recount <= fit.Budget.PromptLimit, $"{limit}: {recount} > {fit.Budget.PromptLimit}");
            }
            Assert.Equal(ContextItemState.Whole, plan.Items[0].State);
            AssertPriority(plan);
        }
    }

    [Fact]
    public async Task CustomTemplateWithoutTheFilesPlaceholder_SendsNoFileButSaysSo()
    {
        using var dir = new TempDir();
        dir.Write(".specsynth/prompts/generate.md", "Tree:\n{{project_tree}}\nSpec: {{specification}}");
        var project = Plans.Project(dir.Path, ("a.cs", "class A {}"));
        var plan = await Plans.PlanAsync(Plans.Spec("x"), project, [Plans.Ranked("a.cs")], templates: PromptTemplates.Load(dir.Path));

        var file = plan.Items.Single(i => i.Kind == ContextItemKind.File);
        Assert.Equal(ContextItemState.PathOnly, file.State);
        Assert.Contains(file.Reasons, r => r.Contains("{{existing_files}}", StringComparison.Ordinal));
        Assert.DoesNotContain("class A", plan.Prompt.Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFiles_AreNeverRead_EvenWhenRanked()
    {
        using var dir = new TempDir();
        dir.Write(".env", "API_KEY=sk-live-123456789");
        var plan = await Plans.PlanAsync(Plans.Spec("x"), new ProjectContext { Root = dir.Path, Tree = [".env"] }, [Plans.Ranked(".env")]);

        Assert.Equal(ContextItemState.PathOnly, plan.Items[1].State);
        Assert.DoesNotContain("sk-live", plan.Prompt.Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RankedFilesOutsideTheScan_AreReadFromDisk_Redacted()
    {
        using var dir = new TempDir();
        dir.Write("src/late.py", "def f():\n    return 'x'\n\npassword = \"hunter2-very-secret\"\n");
        var plan = await Plans.PlanAsync(Plans.Spec("x"), new ProjectContext { Root = dir.Path, Tree = ["src/late.py"] }, [Plans.Ranked("src/late.py")]);

        Assert.Equal(ContextItemState.Whole, plan.Items[1].State);
        var user = plan.Prompt.Messages[1].Text;
        Assert.Contains("def f():", user, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RankedFilesReadFromDisk_AheadOfTheirTurn_ArePlannedAsTheScansOwnContents()
    {
        using var dir = new TempDir();
        var files = Enumerable.Range(0, 12)
            .Select(i => ($"src/f{i:00}.py", string.Concat(Enumerable.Range(0, 30 + (i * 7)).Select(k => $"def f{i}_{k}():\n    return {k}\n"))))
            .ToArray();
        foreach (var (path, content) in files)
        {
            dir.Write(path, content);
        }
        var ranked = files.Select(f => new RankedFile(f.Item1, Encoding.UTF8.GetByteCount(f.Item2), 1, ["test"])).ToList();

        var fromDisk = await Plans.PlanAsync(Plans.Spec("x"), new ProjectContext { Root = dir.Path, Tree = [.. files.Select(f => f.Item1)] }, ranked,
            budget: 6000);
        var scanned = await Plans.PlanAsync(Plans.Spec("x"), Plans.Project(dir.Path, files), ranked, budget: 6000);

        var states = fromDisk.Items.Where(i => i.Kind == ContextItemKind.File).Select(i => i.State).ToList();
        Assert.Contains(ContextItemState.Whole, states);
        Assert.Contains(ContextItemState.PathOnly, states);
        Assert.Equal(scanned.Items.Select(i => (i.Path, i.State, i.Tokens, string.Join("; ", i.Reasons))),
            fromDisk.Items.Select(i => (i.Path, i.State, i.Tokens, string.Join("; ", i.Reasons))));
        Assert.Equal(scanned.Prompt.Messages.Select(m => m.Text), fromDisk.Prompt.Messages.Select(m => m.Text));
    }

    internal static void AssertWithinBudget(ContextPlan plan)
    {
        foreach (var fit in plan.Fits)
        {
            Assert.True(fit.PromptTokens <= fit.Budget.PromptLimit, $"{fit.Budget.Provider}: {fit.PromptTokens} > {fit.Budget.PromptLimit}");
        }
    }

    // A file left as a path never loses its room to files of lower rank: together they take no more than was left for it.
    private static void AssertPriority(ContextPlan plan)
    {
        var files = plan.Items.Where(i => i.Kind == ContextItemKind.File).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var reason = files[i].Reasons.FirstOrDefault(r => r.StartsWith("path only:", StringComparison.Ordinal) && r.Contains("were left", StringComparison.Ordinal));
            if (reason is not null)
            {
                var left = int.Parse(System.Text.RegularExpressions.Regex.Match(reason, @"([\d,]+) were left").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
                    System.Globalization.CultureInfo.InvariantCulture);
                var later = files.Skip(i + 1).Sum(f => f.Tokens);
                Assert.True(later <= left, "later files only use the room the earlier one could not");
            }
        }
    }

    private static string CSharpClass(string name, int methods)
    {
        var sb = new StringBuilder($"namespace Demo;\n\n/// <summary>The {name} type.</summary>\npublic sealed class {name}\n{{\n");
        for (var i = 0; i < methods; i++)
        {
            sb.Append($"    /// <summary>Method {i}.</summary>\n    public int Method{i}(int x)\n    {{\n        var y = x * {i};\n        return x + {i} + y;\n    }}\n\n");
        }
        return sb.Append("}\n").ToString();
    }

    private static (string Path, string Content) RandomFile(Random random, int i)
    {
        var kind = random.Next(4);
        var lines = random.Next(1, 400);
        return kind switch
        {
            0 => ($"src/C{i}.cs", CSharpClass("C" + i, lines / 6)),
            1 => ($"lib/m{i}.js", string.Concat(Enumerable.Range(0, lines).Select(l => $"export function f{l}(a) {{ return a + {l}; }}\n"))),
            2 => ($"py/m{i}.py", string.Concat(Enumerable.Range(0, lines).Select(l => $"def f{l}(a):\n    return a + {l}\n"))),
            _ => ($"docs/d{i}.md", RandomProse(random, lines * 8)),
        };
    }

    private static string RandomProse(Random random, int words)
    {
        string[] vocabulary = ["the", "system", "MUST", "store", "todo", "items", "ümlaut", "名前", "and", "report", "errors", "{", "}", "(x)", "=>"];
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
    }
}
