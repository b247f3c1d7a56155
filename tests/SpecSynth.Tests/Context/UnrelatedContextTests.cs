using SpecSynth.Context;

namespace SpecSynth.Tests.Context;

/// <summary>The planner says so before anything is sent when most of the files it planned score as unrelated to the spec,
/// and plans the files the user edited since specsynth wrote them first, whole.</summary>
public sealed class UnrelatedContextTests
{
    private static string Body(string name, int methods) =>
        $"namespace App;\n\npublic sealed class {name}\n{{\n" +
        string.Concat(Enumerable.Range(0, methods).Select(i => $"    public int Method{i}(int x) => x + {i};\n")) + "}\n";

    [Fact]
    public async Task MostTokensOnWeakMatches_GiveAWarningNamingThem()
    {
        var project = Plans.Project("/repo", ("src/Todo.cs", Body("Todo", 3)), ("tools/Build.cs", Body("Build", 60)),
            ("tools/Release.cs", Body("Release", 60)));
        RankedFile[] ranked = [new("src/Todo.cs", 200, 40, ["named in the spec"]), new("tools/Build.cs", 4000, 3, ["bm25 1.0 (list)"]),
            new("tools/Release.cs", 4000, 2, ["bm25 0.8 (list)"])];

        var plan = await Plans.PlanAsync(Plans.Spec("Add todos to the list."), project, ranked);

        Assert.NotNull(plan.Warning);
        Assert.Contains("most of the project context scores as unrelated to the spec", plan.Warning, StringComparison.Ordinal);
        Assert.Contains("tools/Build.cs", plan.Warning, StringComparison.Ordinal);
        Assert.DoesNotContain("src/Todo.cs", plan.Warning, StringComparison.Ordinal);
        Assert.Contains("/repo", plan.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelatedFiles_OrAFewWeakOnes_GiveNoWarning()
    {
        var project = Plans.Project("/repo", ("src/Todo.cs", Body("Todo", 60)), ("src/TodoStore.cs", Body("TodoStore", 60)),
            ("tools/Build.cs", Body("Build", 5)));
        RankedFile[] ranked = [new("src/Todo.cs", 4000, 40, ["named in the spec"]), new("src/TodoStore.cs", 4000, 30, ["defines TodoStore"]),
            new("tools/Build.cs", 300, 2, ["bm25 0.8 (list)"])];

        var plan = await Plans.PlanAsync(Plans.Spec("Add todos to the list."), project, ranked);

        Assert.Null(plan.Warning);
    }

    [Fact]
    public async Task LocalEdits_ArePlannedFirst_Whole_BeforeEveryRankedFile()
    {
        var project = Plans.Project("/repo", ("src/Todo.cs", Body("Todo", 3)));
        using var targets = ContextTargets.Create([Plans.Mock()], null, exactTokens: false);
        var request = new ContextPlanRequest(Plans.Spec("Add todos."), project)
        {
            Ranked = [new("src/Todo.cs", 200, 40, ["named in the spec"])],
            LocalEdits = [("src/Edited.cs", "// edited by hand: keep this\n")],
        };

        var plan = await new ContextPlanner(new SpecSynth.Prompting.PromptBuilder(SpecSynth.Prompting.PromptTemplates.BuiltIn)).PlanAsync(request, targets.All);

        var files = plan.Items.Where(i => i.Kind == ContextItemKind.File).ToList();
        Assert.Equal(["src/Edited.cs", "src/Todo.cs"], files.Select(f => f.Path));
        Assert.Equal(ContextItemState.Whole, files[0].State);
        Assert.Contains(ContextPlanner.LocalEditReason, files[0].Reasons);
        Assert.Contains("// edited by hand: keep this", plan.Prompt.Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextBudget_CapsThePromptBelowTheWindow()
    {
        using var capped = ContextTargets.Create([Plans.Mock()], null, exactTokens: false, cap: 5000);
        using var wide = ContextTargets.Create([Plans.Mock()], null, exactTokens: false, cap: 500_000);

        Assert.Equal(5000, capped.All[0].Budget.PromptLimit);
        Assert.Equal(5000, capped.All[0].Budget.ConfiguredBudget);
        Assert.Equal(200_000, capped.All[0].Budget.ContextWindow);
        Assert.Equal(200_000 - 8192 - 2000, wide.All[0].Budget.PromptLimit);
        Assert.Null(wide.All[0].Budget.ConfiguredBudget);
    }
}
