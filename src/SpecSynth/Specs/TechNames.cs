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

    private static readonly (string Id, Regex Pattern)[] Frameworks =
    [
        ("nextjs", new(@"\bnext\.?js\b", Options)),
        ("nuxt", new(@"\bnuxt(?:\.?js)?\b", Options)),
        ("sveltekit", new(@"\bsvelte\s*kit\b", Options)),
        ("nestjs", new(@"\bnest\.?js\b", Options)),
        ("aspnetcore", new(@"\basp\.?net\b|\baspnetcore\b|\bminimal\s+apis?\b", Options)),
        ("blazor", new(@"\bblazor\b", Options)),
        ("maui", new(@"\b(?:\.net\s+)?maui\b", Options)),
        ("fastapi", new(@"\bfastapi\b", Options)),
        ("django", new(@"\bdjango\b", Options)),
        ("flask", new(@"\bflask\b", Options)),
        ("spring", new(@"\bspring(?:\s*boot)?\b", Options)),
        ("rails", new(@"\b(?:ruby\s+on\s+)?rails\b", Options)),
        ("laravel", new(@"\blaravel\b", Options)),
        ("symfony", new(@"\bsymfony\b", Options)),
        ("express", new(@"\bexpress(?:\.js)?\b", Options)),
        ("react", new(@"\breact(?:\.js)?\b", Options)),
        ("vue", new(@"\bvue(?:\.js)?\b", Options)),
        ("angular", new(@"\bangular\b", Options)),
        ("svelte", new(@"\bsvelte\b", Options)),
        ("gin", new(@"\bgin\b", Options)),
        ("actix", new(@"\bactix(?:-web)?\b", Options)),
        ("axum", new(@"\baxum\b", Options)),
        ("swiftui", new(@"\bswiftui\b", Options)),
        ("vapor", new(@"\bvapor\b", Options)),
        ("ktor", new(@"\bktor\b", Options)),
        ("pydantic-ai", new(@"\bpydantic[\s_-]?ai\b", Options)),
        ("tokio", new(@"\btokio\b", Options)),
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

    private static string? Earliest(string value, IEnumerable<(string Id, Regex Pattern)> candidates)
    {
        string? best = null;
        var bestIndex = int.MaxValue;
        foreach (var (id, pattern) in candidates)
        {
            var match = pattern.Match(value);
            if (match.Success && match.Index < bestIndex)
            {
                (best, bestIndex) = (id, match.Index);
            }
        }
        return best;
    }

    /// <summary>The framework ids, in the order of <see cref="TechFrameworks.All"/> (for the test that keeps them equal).</summary>
    internal static IEnumerable<string> FrameworkIds => Frameworks.Select(f => f.Id);
}
