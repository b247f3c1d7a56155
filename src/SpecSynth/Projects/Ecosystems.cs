using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>The known ecosystems, in the order that breaks ties (a root with both <c>*.csproj</c> and
/// <c>package.json</c> is a .NET project with a front end, not a Node project).</summary>
internal static class Ecosystems
{
    public static IReadOnlyList<Ecosystem> All { get; } =
    [
        new("dotnet", ["global.json"], [".csproj", ".fsproj", ".vbproj", ".sln", ".slnx"], Dotnet),
        new("jvm", ["pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"], [], Jvm),
        new("go", ["go.mod"], [], (m, _) => ("go", FirstFramework(m, ("github.com/gin-gonic/gin", "gin"),
            ("github.com/labstack/echo", "echo"), ("github.com/gofiber/fiber", "fiber"), ("github.com/go-chi/chi", "chi")))),
        new("rust", ["Cargo.toml"], [], Rust),
        new("python", ["pyproject.toml", "requirements.txt", "setup.py", "setup.cfg", "Pipfile"], [], Python),
        new("ruby", ["Gemfile"], [], (m, _) => ("ruby", FirstFramework(m, Word, ("rails", "rails"), ("sinatra", "sinatra"), ("hanami", "hanami")))),
        new("php", ["composer.json"], [], (m, _) => ("php", FirstFramework(m, ("laravel/framework", "laravel"),
            ("symfony/framework-bundle", "symfony"), ("slim/slim", "slim")))),
        new("swift", ["Package.swift"], [], (m, _) => ("swift", FirstFramework(m, ("vapor/vapor", "vapor")))),
        new("node", ["package.json"], [], Node),
        new("cpp", ["CMakeLists.txt"], [], (_, _) => ("cpp", null)),
    ];

    private static readonly (string Package, string Framework)[] NodeFrameworks =
    [
        ("@nestjs/core", "nestjs"), ("next", "nextjs"), ("nuxt", "nuxt"), ("@angular/core", "angular"),
        ("@sveltejs/kit", "sveltekit"), ("svelte", "svelte"), ("@remix-run/react", "remix"), ("vue", "vue"),
        ("react", "react"), ("express", "express"), ("fastify", "fastify"), ("koa", "koa"),
    ];

    private static bool HasExtension(string name, params string[] extensions) =>
        extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static (string, string?) Dotnet(IReadOnlyList<Marker> markers, IReadOnlyList<string> tree)
    {
        var projects = markers.Where(m => HasExtension(m.Name, ".csproj", ".fsproj", ".vbproj")).ToList();
        var language = projects.Count > 0 && projects.All(p => HasExtension(p.Name, ".fsproj")) ? "fsharp"
            : projects.Count > 0 && projects.All(p => HasExtension(p.Name, ".vbproj")) ? "vb" : "csharp";
        var web = projects.Where(p => !IsTestProject(p)).Any(p =>
            p.Content.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase)
            || p.Content.Contains("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase)
            || p.Content.Contains("Microsoft.NET.Sdk.BlazorWebAssembly", StringComparison.OrdinalIgnoreCase));
        return (language, web ? "aspnetcore" : "dotnet");
    }

    /// <summary>Test projects often reference ASP.NET Core to host fakes; they do not make the product a web app.</summary>
    private static bool IsTestProject(Marker project) =>
        project.Content.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase)
        || project.Content.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase)
        || project.Path.Split('/').Any(s => s.StartsWith("test", StringComparison.OrdinalIgnoreCase))
        || project.Name.Contains(".Tests.", StringComparison.OrdinalIgnoreCase);

    private static (string, string?) Jvm(IReadOnlyList<Marker> markers, IReadOnlyList<string> tree)
    {
        var kotlin = markers.Any(m => m.Content.Contains("org.jetbrains.kotlin", StringComparison.Ordinal)
            || m.Content.Contains("kotlin(\"jvm\")", StringComparison.Ordinal)
            || m.Content.Contains("kotlin-stdlib", StringComparison.Ordinal));
        var framework = FirstFramework(markers, ("org.springframework", "spring"), ("io.ktor", "ktor"),
            ("io.quarkus", "quarkus"), ("io.micronaut", "micronaut"));
        return (kotlin ? "kotlin" : "java", framework);
    }

    private static (string, string?) Rust(IReadOnlyList<Marker> markers, IReadOnlyList<string> tree) =>
        ("rust", FirstFramework(markers, DependencyKey, ("axum", "axum"), ("actix-web", "actix-web"),
            ("rocket", "rocket"), ("warp", "warp")));

    private static (string, string?) Python(IReadOnlyList<Marker> markers, IReadOnlyList<string> tree) =>
        ("python", FirstFramework(markers, Word, ("django", "django"), ("fastapi", "fastapi"), ("flask", "flask")));

    private static (string, string?) Node(IReadOnlyList<Marker> markers, IReadOnlyList<string> tree)
    {
        var typescript = false;
        string? framework = null;
        foreach (var marker in markers)
        {
            var dependencies = PackageDependencies(marker.Content);
            typescript |= dependencies.Contains("typescript") || tree.Contains(marker.Folder + "tsconfig.json", StringComparer.Ordinal);
            framework ??= NodeFrameworks.Where(f => dependencies.Contains(f.Package)).Select(f => f.Framework).FirstOrDefault();
        }
        return (typescript ? "typescript" : "javascript", framework);
    }

    private static HashSet<string> PackageDependencies(string json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return names;
            }
            foreach (var section in new[] { "dependencies", "devDependencies", "peerDependencies" })
            {
                if (document.RootElement.TryGetProperty(section, out var deps) && deps.ValueKind == JsonValueKind.Object)
                {
                    names.UnionWith(deps.EnumerateObject().Select(p => p.Name));
                }
            }
        }
        catch (JsonException)
        {
        }
        return names;
    }

    private static string? FirstFramework(IReadOnlyList<Marker> markers, params (string Needle, string Framework)[] candidates) =>
        FirstFramework(markers, (content, needle) => content.Contains(needle, StringComparison.OrdinalIgnoreCase), candidates);

    private static string? FirstFramework(IReadOnlyList<Marker> markers, Func<string, string, bool> contains,
        params (string Needle, string Framework)[] candidates)
    {
        foreach (var marker in markers)
        {
            foreach (var (needle, framework) in candidates)
            {
                if (contains(marker.Content, needle))
                {
                    return framework;
                }
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="word"/> (ASCII) stands in <paramref name="content"/> as a word, in any case. An ASCII
    /// marker without the word in any case cannot match, so the regex (and the regex engine's first use: its parser, its
    /// cache and the interpreter, JIT-compiled generics among them) is left out for it; the answer is the regex's.</summary>
    private static bool Word(string content, string word) =>
        (!Ascii.IsValid(content) || content.Contains(word, StringComparison.OrdinalIgnoreCase))
        && Regex.IsMatch(content, $@"(?<![\w-]){Regex.Escape(word)}(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="name"/> is a dependency key of a Cargo manifest. Both alternatives hold the name
    /// literally (case-sensitive), so a marker without it is answered without the regex.</summary>
    private static bool DependencyKey(string content, string name) =>
        content.Contains(name, StringComparison.Ordinal)
        && Regex.IsMatch(content, $@"(?m)^\s*""?{Regex.Escape(name)}""?\s*=|dependencies\.{Regex.Escape(name)}\]", RegexOptions.CultureInvariant);
}
