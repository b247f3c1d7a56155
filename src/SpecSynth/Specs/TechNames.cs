using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>Maps the way people write languages and frameworks ("C#", ".NET", "ASP.NET Core") to lower-case ids.</summary>
internal static class TechNames
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly (string Id, Regex Pattern)[] Languages =
    [
        ("csharp", new(@"(?<![a-z0-9])c#|\bc\s*sharp\b|\bcsharp\b|\.net\b|\bdotnet\b|\bnet\d+\.\d+\b", Options)),
        ("python", new(@"\bpython\d*\b", Options)),
        ("typescript", new(@"\btypescript\b|(?<![.\w])ts\b", Options)),
        ("javascript", new(@"\bjavascript\b|\becmascript\b|(?<![.\w])js\b", Options)),
        ("go", new(@"\bgolang\b|(?<![\w-])go\b(?!-)", Options)),
        ("rust", new(@"\brust\b", Options)),
        ("java", new(@"\bjava\b", Options)),
        ("kotlin", new(@"\bkotlin\b", Options)),
        ("swift", new(@"\bswift\b", Options)),
        ("ruby", new(@"\bruby\b", Options)),
        ("php", new(@"\bphp\b", Options)),
        ("cpp", new(@"(?<![a-z0-9])c\+\+|\bcpp\b", Options)),
        ("c", new(@"(?<![\w#+.\-])c(?![\w#+\-])", Options)),
    ];

    private static readonly Regex DotnetPlatform = new(@"\.net\b|\bdotnet\b|\bnet\d+\.\d+\b", Options);

    private static readonly HashSet<string> MetaFrameworks = ["nextjs", "nuxt", "sveltekit", "nestjs"];

    private static readonly (string Id, Regex Pattern, string? Language)[] Frameworks =
    [
        ("nextjs", new(@"\bnext\.?js\b", Options), null),
        ("nuxt", new(@"\bnuxt(?:\.?js)?\b", Options), null),
        ("sveltekit", new(@"\bsvelte\s*kit\b", Options), null),
        ("nestjs", new(@"\bnest\.?js\b", Options), null),
        ("aspnetcore", new(@"\basp\.?net\b|\baspnetcore\b|\bminimal\s+apis?\b", Options), "csharp"),
        ("blazor", new(@"\bblazor\b", Options), "csharp"),
        ("maui", new(@"\b(?:\.net\s+)?maui\b", Options), "csharp"),
        ("fastapi", new(@"\bfastapi\b", Options), "python"),
        ("django", new(@"\bdjango\b", Options), "python"),
        ("flask", new(@"\bflask\b", Options), "python"),
        ("spring", new(@"\bspring(?:\s*boot)?\b", Options), "java"),
        ("rails", new(@"\b(?:ruby\s+on\s+)?rails\b", Options), "ruby"),
        ("laravel", new(@"\blaravel\b", Options), "php"),
        ("symfony", new(@"\bsymfony\b", Options), "php"),
        ("express", new(@"\bexpress(?:\.js)?\b", Options), null),
        ("react", new(@"\breact(?:\.js)?\b", Options), null),
        ("vue", new(@"\bvue(?:\.js)?\b", Options), null),
        ("angular", new(@"\bangular\b", Options), null),
        ("svelte", new(@"\bsvelte\b", Options), null),
        ("gin", new(@"\bgin\b", Options), "go"),
        ("actix", new(@"\bactix(?:-web)?\b", Options), "rust"),
        ("axum", new(@"\baxum\b", Options), "rust"),
        ("swiftui", new(@"\bswiftui\b", Options), "swift"),
        ("vapor", new(@"\bvapor\b", Options), "swift"),
        ("ktor", new(@"\bktor\b", Options), "kotlin"),
        ("pydantic-ai", new(@"\bpydantic[\s_-]?ai\b", Options), "python"),
        ("tokio", new(@"\btokio\b", Options), "rust"),
    ];

    /// <summary>The language named earliest in <paramref name="value"/>, or null.</summary>
    public static string? Language(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string? best = null;
        var bestIndex = int.MaxValue;
        foreach (var (id, pattern) in Languages)
        {
            var match = pattern.Match(value);
            if (match.Success && match.Index < bestIndex)
            {
                (best, bestIndex) = (id, match.Index);
            }
        }
        return best;
    }

    /// <summary>
    /// The framework named in <paramref name="value"/>, or null: a meta-framework (Next.js, Nuxt, SvelteKit,
    /// NestJS) wins over the library it builds on; otherwise the one named first; plain .NET
    /// (<c>dotnet</c>, <c>.NET 8</c>) only when nothing more specific is named.
    /// </summary>
    public static string? Framework(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return Earliest(value, Frameworks.Where(f => MetaFrameworks.Contains(f.Id)))
            ?? Earliest(value, Frameworks)
            ?? (DotnetPlatform.IsMatch(value) ? "dotnet" : null);
    }

    private static string? Earliest(string value, IEnumerable<(string Id, Regex Pattern, string? Language)> candidates)
    {
        string? best = null;
        var bestIndex = int.MaxValue;
        foreach (var (id, pattern, _) in candidates)
        {
            var match = pattern.Match(value);
            if (match.Success && match.Index < bestIndex)
            {
                (best, bestIndex) = (id, match.Index);
            }
        }
        return best;
    }

    /// <summary>True for a framework id (<c>fastapi</c>, <c>dotnet</c>), false for a language id.</summary>
    public static bool IsFrameworkId(string id) => id == "dotnet" || Array.Exists(Frameworks, f => f.Id == id);

    /// <summary>
    /// True when <paramref name="framework"/> can be used from <paramref name="language"/>: the language it implies,
    /// or JavaScript/TypeScript for the web frameworks that imply neither; any framework fits an unknown language.
    /// </summary>
    public static bool Fits(string framework, string? language) => language is null || (LanguageOf(framework) is { } implied
        ? implied == language
        : language is "typescript" or "javascript");

    /// <summary>The language a framework id implies when it implies exactly one (fastapi: python), else null.</summary>
    public static string? LanguageOf(string? framework) => framework switch
    {
        null => null,
        "dotnet" => "csharp",
        _ => Array.Find(Frameworks, f => f.Id == framework).Language,
    };
}
