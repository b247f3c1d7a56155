using SpecSynth.Context;
using SpecSynth.Prompting;
using SpecSynth.Providers;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Context;

/// <summary>Builds context plans for tests: targets from limits, requests from hand-made rankings.</summary>
internal static class Plans
{
    public static ProviderLimit Mock(int window = 200_000, int maxOutput = 8192) => new("mock", "mock-1", window, maxOutput);

    public static async Task<ContextPlan> PlanAsync(Specification spec, ProjectContext project, IReadOnlyList<RankedFile>? ranked = null,
        IReadOnlyList<ProviderLimit>? limits = null, PromptTemplates? templates = null, int? budget = null,
        IReadOnlyList<(string Path, string Content)>? previous = null)
    {
        using var targets = ContextTargets.Create(limits ?? [Mock()], null, exactTokens: false, budget);
        var request = new ContextPlanRequest(spec, project) { Ranked = ranked ?? [], PreviousImplementations = previous ?? [] };
        return await new ContextPlanner(new PromptBuilder(templates ?? PromptTemplates.BuiltIn)).PlanAsync(request, targets.All);
    }

    public static RankedFile Ranked(string path, params string[] reasons) => new(path, 0, 1, reasons.Length == 0 ? ["test"] : reasons);

    public static Specification Spec(string raw, string title = "Demo", params Requirement[] requirements) => new()
    {
        Title = title,
        RawText = raw,
        Requirements = requirements,
        Language = "csharp",
    };

    public static ProjectContext Project(string root, params (string Path, string Content)[] files) => new()
    {
        Root = root,
        Files = [.. files.Select(f => new ProjectFile(f.Path, f.Content, f.Content.Length, LanguageMap.FromPath(f.Path)))],
        Tree = [.. files.Select(f => f.Path).Order(StringComparer.Ordinal)],
    };
}
