using SpecSynth.Projects;

namespace SpecSynth.Context.Outlines;

/// <summary>
/// Outlines of source files for the context planner: declarations and doc comments without bodies, so a file that does
/// not fit whole still shows the model its shape. C# through Roslyn (<see cref="CSharpOutline"/>, loaded only when a C#
/// file is outlined), Python line by line (<see cref="PythonOutline"/>), other C-family languages with the brace
/// heuristic (<see cref="BraceOutline"/>). Thread-safe.
/// </summary>
internal static class OutlineBuilder
{
    private static readonly HashSet<string> BraceLanguages = new(StringComparer.Ordinal)
    {
        "javascript", "typescript", "java", "kotlin", "go", "rust", "c", "cpp", "swift", "php", "scala", "dart", "objective-c", "groovy",
    };

    private static readonly HashSet<string> BraceExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".h", ".hh", ".hpp", ".hxx", ".c", ".cc", ".cpp", ".cxx", ".m", ".mm",
    };

    /// <summary>Whether files at <paramref name="path"/> can be outlined.</summary>
    public static bool Supports(string path) => Kind(path) is not null;

    /// <summary>The outline of <paramref name="content"/>, or <c>null</c> when the language has no outline or the outline
    /// would not be shorter than the file.</summary>
    /// <param name="path">The file's path (its extension picks the language).</param>
    /// <param name="content">The file's text.</param>
    /// <param name="cancellationToken">Cancels a long parse.</param>
    public static string? Build(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var outline = Kind(path) switch
        {
            "csharp" => CSharpOutline.Build(content, cancellationToken),
            "python" => PythonOutline.Build(content),
            "rust" => BraceOutline.Build(content, rust: true),
            "brace" => BraceOutline.Build(content),
            _ => null,
        };
        return outline is null || outline.Length == 0 || outline.Length >= content.Trim().Length ? null : outline;
    }

    private static string? Kind(string path)
    {
        var language = LanguageMap.FromPath(path);
        return language switch
        {
            "csharp" or "python" or "rust" => language,
            _ when language is not null && BraceLanguages.Contains(language) => "brace",
            _ when BraceExtensions.Contains(Path.GetExtension(path)) => "brace",
            _ => null,
        };
    }
}
