using System.Text;

namespace SpecSynth.History;

/// <summary>The compaction prompt template: built in, or the project's <c>.specsynth/prompts/compact.md</c>.
/// Placeholders: <c>{{conversation}}</c> (the turns to summarise) and <c>{{max_words}}</c>.</summary>
internal static class CompactionTemplate
{
    /// <summary>The built-in template.</summary>
    public static string BuiltIn { get; } = ReadResource();

    /// <summary>The template for a project (its override when present).</summary>
    public static string Load(string? projectRoot)
    {
        var file = projectRoot is null ? null : Path.Combine(projectRoot, ".specsynth", "prompts", "compact.md");
        return file is not null && File.Exists(file) ? File.ReadAllText(file) : BuiltIn;
    }

    private static string ReadResource()
    {
        using var stream = typeof(CompactionTemplate).Assembly.GetManifestResourceStream("SpecSynth.History.Prompts.compact.md")
            ?? throw new InvalidOperationException("Built-in prompt template 'compact' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
