using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>Language names guessed from file names and extensions.</summary>
internal static class LanguageMap
{
    private static readonly FrozenDictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "csharp", [".csx"] = "csharp", [".fs"] = "fsharp", [".fsx"] = "fsharp", [".vb"] = "vb",
        [".js"] = "javascript", [".mjs"] = "javascript", [".cjs"] = "javascript", [".jsx"] = "javascript",
        [".ts"] = "typescript", [".tsx"] = "typescript", [".mts"] = "typescript", [".cts"] = "typescript",
        [".py"] = "python", [".pyi"] = "python", [".go"] = "go", [".rs"] = "rust", [".java"] = "java",
        [".kt"] = "kotlin", [".kts"] = "kotlin", [".scala"] = "scala", [".groovy"] = "groovy", [".rb"] = "ruby",
        [".php"] = "php", [".swift"] = "swift", [".m"] = "objective-c", [".mm"] = "objective-c", [".c"] = "c",
        [".h"] = "c", [".cpp"] = "cpp", [".cc"] = "cpp", [".cxx"] = "cpp", [".hpp"] = "cpp", [".hh"] = "cpp",
        [".hxx"] = "cpp", [".dart"] = "dart", [".lua"] = "lua", [".r"] = "r", [".jl"] = "julia", [".ex"] = "elixir",
        [".exs"] = "elixir", [".erl"] = "erlang", [".hs"] = "haskell", [".clj"] = "clojure", [".zig"] = "zig",
        [".vue"] = "vue", [".svelte"] = "svelte", [".razor"] = "razor", [".cshtml"] = "razor",
        [".sh"] = "shell", [".bash"] = "shell", [".zsh"] = "shell", [".ps1"] = "powershell", [".psm1"] = "powershell",
        [".sql"] = "sql", [".html"] = "html", [".htm"] = "html", [".css"] = "css", [".scss"] = "scss",
        [".sass"] = "sass", [".less"] = "less", [".md"] = "markdown", [".markdown"] = "markdown", [".json"] = "json",
        [".jsonc"] = "json", [".yaml"] = "yaml", [".yml"] = "yaml", [".toml"] = "toml", [".xml"] = "xml",
        [".csproj"] = "xml", [".fsproj"] = "xml", [".props"] = "xml", [".targets"] = "xml", [".slnx"] = "xml",
        [".config"] = "xml", [".ini"] = "ini", [".proto"] = "protobuf", [".graphql"] = "graphql", [".tf"] = "hcl",
        [".gradle"] = "groovy", [".txt"] = "text", [".rst"] = "rst",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> ByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Dockerfile"] = "dockerfile", ["Containerfile"] = "dockerfile", ["Makefile"] = "makefile",
        ["GNUmakefile"] = "makefile", ["CMakeLists.txt"] = "cmake", ["Gemfile"] = "ruby", ["Rakefile"] = "ruby",
        ["Jenkinsfile"] = "groovy", ["Vagrantfile"] = "ruby",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

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
}
