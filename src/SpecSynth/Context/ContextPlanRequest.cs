using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Context;

/// <summary>What the planner fills a generate prompt from.</summary>
/// <param name="Spec">The specification (always sent whole).</param>
/// <param name="Project">The scanned project (its tree, and the contents it already read).</param>
internal sealed record ContextPlanRequest(Specification Spec, ProjectContext Project)
{
    /// <summary>The related files, best first (from an <see cref="IRelevanceRanker"/>).</summary>
    public IReadOnlyList<RankedFile> Ranked { get; init; } = [];

    /// <summary>Files earlier turns of the conversation wrote (path relative to the output folder, content), most recent first.</summary>
    public IReadOnlyList<(string Path, string Content)> PreviousImplementations { get; init; } = [];

    /// <summary>Files the user changed since specsynth last wrote them (path as shown, current content): planned first.</summary>
    public IReadOnlyList<(string Path, string Content)> LocalEdits { get; init; } = [];

    /// <summary>A system prompt replacing the template's, or <c>null</c>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>When the prompt asks for SEARCH/REPLACE edits instead of whole files.</summary>
    public Edits.EditPolicy Edits { get; init; } = global::SpecSynth.Edits.EditPolicy.Default;

    /// <summary>Applied to the rendered prompt before it is counted and sent (a continuation's earlier turns and
    /// instruction, see <see cref="SpecSynth.Generation.GenerationOptions.AdjustPrompt"/>); what it adds counts as template.</summary>
    public Func<SpecSynth.Prompting.ChatPrompt, SpecSynth.Prompting.ChatPrompt>? Adjust { get; init; }
}
