using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>Language names guessed from file names and extensions.</summary>
internal static class LanguageMap
{
    private static readonly FrozenDictionary<string, string> ByExtension = Table(
    [
        ("csharp", ".cs .csx"), ("fsharp", ".fs .fsx"), ("vb", ".vb"), ("javascript", ".js .mjs .cjs .jsx"),
        ("typescript", ".ts .tsx .mts .cts"), ("python", ".py .pyi"), ("go", ".go"), ("rust", ".rs"),
        ("java", ".java"), ("kotlin", ".kt .kts"), ("scala", ".scala"), ("groovy", ".groovy .gradle"),
        ("ruby", ".rb"), ("php", ".php"), ("swift", ".swift"), ("objective-c", ".m .mm"), ("c", ".c .h"),
        ("cpp", ".cpp .cc .cxx .hpp .hh .hxx"), ("dart", ".dart"), ("lua", ".lua"), ("r", ".r"), ("julia", ".jl"),
        ("elixir", ".ex .exs"), ("erlang", ".erl"), ("haskell", ".hs"), ("clojure", ".clj"), ("zig", ".zig"),
        ("vue", ".vue"), ("svelte", ".svelte"), ("razor", ".razor .cshtml"), ("shell", ".sh .bash .zsh"),
        ("powershell", ".ps1 .psm1"), ("sql", ".sql"), ("html", ".html .htm"), ("css", ".css"), ("scss", ".scss"),
        ("sass", ".sass"), ("less", ".less"), ("markdown", ".md .markdown"), ("json", ".json .jsonc"),
        ("yaml", ".yaml .yml"), ("toml", ".toml"), ("xml", ".xml .csproj .fsproj .props .targets .slnx .config"),
        ("ini", ".ini"), ("protobuf", ".proto"), ("graphql", ".graphql"), ("hcl", ".tf"), ("text", ".txt"),
        ("rst", ".rst"),
    ]);

    private static readonly FrozenDictionary<string, string> ByName = Table(
    [
        ("dockerfile", "Dockerfile Containerfile"), ("makefile", "Makefile GNUmakefile"), ("cmake", "CMakeLists.txt"),
        ("ruby", "Gemfile Rakefile Vagrantfile"), ("groovy", "Jenkinsfile"),
    ]);

    /// <summary>Languages that count as a project's primary language when no marker file decides.</summary>
    public static readonly FrozenSet<string> Programming = FrozenSet.Create(StringComparer.Ordinal,
        "csharp", "fsharp", "vb", "javascript", "typescript", "python", "go", "rust", "java", "kotlin", "scala",
        "ruby", "php", "swift", "objective-c", "c", "cpp", "dart", "lua", "r", "julia", "elixir", "erlang",
        "haskell", "clojure", "zig", "groovy");

    /// <summary>The language of <paramref name="relativePath"/>, or <c>null</c> when unknown.</summary>
    public static string? FromPath(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        if (ByName.TryGetValue(name, out var byName))
        {
            return byName;
        }
        return ByExtension.TryGetValue(Path.GetExtension(name), out var language) ? language : null;
    }

    private static FrozenDictionary<string, string> Table((string Language, string Keys)[] rows) =>
        rows.SelectMany(r => r.Keys.Split(' ').Select(k => KeyValuePair.Create(k, r.Language)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
