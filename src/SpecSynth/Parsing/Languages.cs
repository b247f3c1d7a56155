namespace SpecSynth.Parsing;

/// <summary>Language names: info-string aliases normalised, and languages inferred from file names.</summary>
internal static class Languages
{
    private static readonly Dictionary<string, string?> ByExtension = Table(StringComparer.OrdinalIgnoreCase,
        "cs=csharp csx=csharp fs=fsharp vb=vb razor=razor cshtml=razor py=python pyi=python " +
        "ts=typescript mts=typescript tsx=tsx js=javascript mjs=javascript cjs=javascript jsx=jsx " +
        "json=json jsonc=json xml=xml csproj=xml fsproj=xml vbproj=xml props=xml targets=xml " +
        "slnx=xml resx=xml xaml=xml config=xml svg=xml yaml=yaml yml=yaml toml=toml md=markdown " +
        "markdown=markdown mdx=markdown html=html htm=html css=css scss=scss sass=sass less=less " +
        "sql=sql sh=bash bash=bash zsh=zsh ps1=powershell psm1=powershell bat=batch cmd=batch " +
        "go=go rs=rust java=java kt=kotlin kts=kotlin swift=swift rb=ruby php=php c=c h=c cpp=cpp " +
        "cc=cpp cxx=cpp hpp=cpp scala=scala lua=lua dart=dart ex=elixir exs=elixir erl=erlang " +
        "hs=haskell clj=clojure vue=vue svelte=svelte proto=protobuf graphql=graphql gql=graphql " +
        "tf=hcl ini=ini cfg=ini gradle=groovy groovy=groovy r=r txt= csv= sln= lock= env= mod= " +
        "sum= ");

    // Case-sensitive: "Dockerfile" is a file, "dockerfile" an info-string language.
    private static readonly Dictionary<string, string?> ByFileName = Table(StringComparer.Ordinal,
        "Dockerfile=dockerfile Containerfile=dockerfile Makefile=makefile GNUmakefile=makefile " +
        "Jenkinsfile=groovy Gemfile=ruby Rakefile=ruby Vagrantfile=ruby Procfile= LICENSE= " +
        "CODEOWNERS= .gitignore= .gitattributes= .dockerignore= .editorconfig=ini .env= .npmrc= " +
        ".nvmrc= ");

    private static readonly Dictionary<string, string?> Aliases = Table(StringComparer.OrdinalIgnoreCase,
        "cs=csharp c#=csharp c-sharp=csharp py=python python3=python py3=python js=javascript " +
        "node=javascript nodejs=javascript ts=typescript sh=bash shell=bash yml=yaml md=markdown " +
        "rs=rust golang=go ps1=powershell pwsh=powershell ps=powershell bat=batch cmd=batch " +
        "docker=dockerfile htm=html f#=fsharp fs=fsharp vbnet=vb kt=kotlin rb=ruby c++=cpp text= " +
        "txt= plain= plaintext= none= ");

    private static readonly Dictionary<string, string?>.AlternateLookup<ReadOnlySpan<char>> ExtensionLookup =
        ByExtension.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Dictionary<string, string?>.AlternateLookup<ReadOnlySpan<char>> FileNameLookup =
        ByFileName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Builds a lookup from <c>key=value</c> entries separated by spaces; an empty value is <c>null</c>.</summary>
    private static Dictionary<string, string?> Table(StringComparer comparer, string entries)
    {
        var table = new Dictionary<string, string?>(comparer);
        foreach (var entry in entries.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            table[entry[..eq]] = eq == entry.Length - 1 ? null : entry[(eq + 1)..];
        }
        return table;
    }

    /// <summary>Whether an extension (without the dot) is one this parser knows.</summary>
    public static bool IsKnownExtension(ReadOnlySpan<char> ext) => !ext.IsEmpty && ExtensionLookup.ContainsKey(ext);

    /// <summary>Whether a file name without a useful extension is a well-known one (<c>Dockerfile</c>).</summary>
    public static bool IsKnownFileName(ReadOnlySpan<char> name) => FileNameLookup.ContainsKey(name);

    /// <summary>
    /// Normalises an info-string language (lower case, aliases such as <c>cs</c> and <c>c#</c> to <c>csharp</c>);
    /// <c>null</c> for "no language" words such as <c>text</c>.
    /// </summary>
    public static string? Normalize(string language)
    {
        var lower = language.ToLowerInvariant();
        return Aliases.TryGetValue(lower, out var alias) ? alias : lower;
    }

    /// <summary>The language a path's file name implies, or <c>null</c>.</summary>
    public static string? FromPath(string path)
    {
        var name = PathText.FileName(path);
        if (FileNameLookup.TryGetValue(name, out var byName))
        {
            return byName;
        }
        return ExtensionLookup.TryGetValue(PathText.Extension(name), out var byExt) ? byExt : null;
    }

    /// <summary>Whether a language (normalised) or path is markdown, whose content may hold fences of its own.</summary>
    public static bool IsMarkdown(string? language, string? path) =>
        language == "markdown" || (path is not null && FromPath(path) == "markdown");
}
