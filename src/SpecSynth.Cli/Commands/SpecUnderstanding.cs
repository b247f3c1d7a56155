using System.Globalization;
using System.Text;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// What specsynth understood of a spec, as <c>spec check</c>, <c>context</c> and <c>generate --json</c> show it: title,
/// language and framework with where they came from and the evidence (resolved against the project when there is
/// one), requirement and task counts, and the warnings.
/// </summary>
internal static class SpecUnderstanding
{
    /// <summary>The compact view <c>context --json</c> and <c>generate --json</c> carry as <c>"understood"</c>.</summary>
    public static UnderstoodSpec View(Specification spec, string? projectLanguage, string? projectFramework) =>
        UnderstoodSpec.From(spec, projectLanguage, projectFramework);

    /// <summary>The full view of <c>spec check --json</c>: the compact one plus requirements, tasks, paths and sections.</summary>
    public static CheckView Check(string path, Specification spec) => new(path, View(spec, null, null),
        spec.Requirements.Select(r => new RequirementView(r.Id, r.Text, r.Section, r.Line)).ToList(),
        spec.Tasks.Select(t => new TaskView(t.Id, t.Text, t.Done, t.Section, t.Line)).ToList(),
        spec.ReferencedPaths, spec.Sections.Select(s => new SectionView(s.Heading, s.Level, s.Line)).ToList(), spec.IsUnfilledTemplate);

    /// <summary>One line per fact, for <c>context</c>'s human output: <c>language python (spec: line 3 "a Python agent")</c>.</summary>
    public static string Summary(UnderstoodSpec view)
    {
        var sb = new StringBuilder();
        sb.Append("  title      ").Append(view.Title).Append(" (").Append(view.TitleSource).Append(")\n");
        sb.Append("  language   ").Append(Tech(view.Language, view.OtherLanguages, view.LanguageSource, view.LanguageEvidence)).Append('\n');
        sb.Append("  framework  ").Append(Tech(view.Framework, [], view.FrameworkSource, view.FrameworkEvidence)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"  requirements {view.Requirements}, tasks {view.Tasks}");
        return sb.ToString();
    }

    /// <summary>"python (also bash) from the spec: statement line 1 "in python"; path hello.py" or "none (the model chooses)".</summary>
    public static string Tech(string? value, IReadOnlyList<string> others, string source, IReadOnlyList<UnderstoodEvidence> evidence)
    {
        if (value is null)
        {
            return "none: choose the best fit (no clear evidence)";
        }
        var sb = new StringBuilder(value);
        if (others.Count > 0)
        {
            sb.Append(" (also ").Append(string.Join(", ", others)).Append(')');
        }
        sb.Append(" from ").Append(source switch { "spec" => "the spec", "project" => "the project", _ => "the spec's content" });
        var shown = evidence.Take(4).Select(e => e.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{e.Kind} '{e.Text}' line {e.Line}")
            : $"{e.Kind} '{e.Text}'").ToList();
        if (shown.Count > 0)
        {
            sb.Append(": ").Append(string.Join("; ", shown));
            if (evidence.Count > shown.Count)
            {
                sb.Append(CultureInfo.InvariantCulture, $"; +{evidence.Count - shown.Count} more");
            }
        }
        return sb.ToString();
    }

    internal sealed record RequirementView(string? Id, string Text, string Section, int Line);

    internal sealed record TaskView(string? Id, string Text, bool Done, string Section, int Line);

    internal sealed record SectionView(string Heading, int Level, int Line);

    internal sealed record CheckView(string Spec, UnderstoodSpec Understood, IReadOnlyList<RequirementView> Requirements,
        IReadOnlyList<TaskView> Tasks, IReadOnlyList<string> ReferencedPaths, IReadOnlyList<SectionView> Sections, bool UnfilledTemplate);
}
