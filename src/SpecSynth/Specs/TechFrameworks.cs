namespace SpecSynth.Specs;

/// <summary>
/// The framework ids <see cref="TechNames"/> recognises and the language each implies, apart from its regexes: a run that
/// resolves a remembered spec's tech against the project (<see cref="TechInference.Resolve"/>, every warm <c>context</c> and
/// <c>generate</c> run) asks only whether a framework fits a language, and that must not build <see cref="TechNames"/>'
/// 41 regexes (the regex engine's parser and interpreter, first used then, JIT-compiled generics among them).
/// </summary>
internal static class TechFrameworks
{
    /// <summary>Every framework id, in <see cref="TechNames"/>' order, with the language it implies when it implies exactly
    /// one (fastapi: python), else <c>null</c>.</summary>
    public static IReadOnlyList<(string Id, string? Language)> All { get; } =
    [
        ("nextjs", null),
        ("nuxt", null),
        ("sveltekit", null),
        ("nestjs", null),
        ("aspnetcore", "csharp"),
        ("blazor", "csharp"),
        ("maui", "csharp"),
        ("fastapi", "python"),
        ("django", "python"),
        ("flask", "python"),
        ("spring", "java"),
        ("rails", "ruby"),
        ("laravel", "php"),
        ("symfony", "php"),
        ("express", null),
        ("react", null),
        ("vue", null),
        ("angular", null),
        ("svelte", null),
        ("gin", "go"),
        ("actix", "rust"),
        ("axum", "rust"),
        ("swiftui", "swift"),
        ("vapor", "swift"),
        ("ktor", "kotlin"),
        ("pydantic-ai", "python"),
        ("tokio", "rust"),
    ];

    /// <summary>True for a framework id (<c>fastapi</c>, <c>dotnet</c>), false for a language id.</summary>
    public static bool IsFrameworkId(string id)
    {
        if (id == "dotnet")
        {
            return true;
        }
        foreach (var (known, _) in All)
        {
            if (known == id)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True when <paramref name="framework"/> can be used from <paramref name="language"/>: the language it implies,
    /// or JavaScript/TypeScript for the web frameworks that imply neither; any framework fits an unknown language.
    /// </summary>
    public static bool Fits(string framework, string? language) => language is null || (LanguageOf(framework) is { } implied
        ? implied == language
        : language is "typescript" or "javascript");

    /// <summary>The language a framework id implies when it implies exactly one (fastapi: python), else null.</summary>
    public static string? LanguageOf(string? framework)
    {
        if (framework is null)
        {
            return null;
        }
        if (framework == "dotnet")
        {
            return "csharp";
        }
        foreach (var (id, language) in All)
        {
            if (id == framework)
            {
                return language;
            }
        }
        return null;
    }
}
