using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>Decides whether one token is a relative file path and normalises it (<c>/</c> separators, no <c>./</c>).</summary>
internal static partial class PathToken
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "csx", "csproj", "fsproj", "vbproj", "sln", "slnx", "props", "targets", "razor", "cshtml",
        "py", "pyi", "ipynb", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "json", "jsonc",
        "md", "mdx", "markdown", "rst", "adoc", "yaml", "yml", "toml", "ini", "cfg", "conf", "config", "env", "xml",
        "html", "htm", "css", "scss", "sass", "less", "go", "mod", "sum", "rs", "java", "kt", "kts", "gradle",
        "swift", "rb", "php", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "sql", "sh", "bash", "zsh",
        "ps1", "psm1", "bat", "cmd", "txt", "csv", "tsv", "log", "lock", "proto", "graphql", "gql", "vue",
        "svelte", "dart", "lua", "scala", "ex", "exs", "tf", "hcl", "plist", "entitlements", "xcconfig",
        "png", "jpg", "jpeg", "gif", "svg", "ico", "pdf",
    };

    private static readonly HashSet<string> BareFileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Dockerfile", "Makefile", "Gemfile", "Procfile", "Rakefile", "Justfile", "Jenkinsfile",
        ".gitignore", ".gitattributes", ".editorconfig", ".dockerignore", ".env",
    };

    // Names with a file-like extension that are products, not files.
    private static readonly HashSet<string> NotFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "node.js", "next.js", "nuxt.js", "vue.js", "react.js", "express.js", "nest.js", "ember.js", "three.js",
        "d3.js", "chart.js", "alpine.js", "solid.js", "p5.js", "pixi.js", "backbone.js", "angular.js", "deno.js",
        "vite.js", "docs.rs", "crates.rs",
    };

    /// <summary>
    /// The normalised path, or null when the token is not a relative file path. A token qualifies when its
    /// last segment has a known extension or file name; with <paramref name="allowDirectories"/> (code spans,
    /// link targets) a separator alone is enough.
    /// </summary>
    public static string? Normalize(string token, bool allowDirectories)
    {
        var path = LineSuffix().Replace(token.Trim().TrimEnd('.', ',', ':', ';', '!', '?', ')'), string.Empty)
            .Trim('*', '_', '"', '\'')
            .Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        if (path.Length < 2 || path.Length > 260 || path.Contains("://", StringComparison.Ordinal)
            || path[0] is '/' or '~' || DriveRoot().IsMatch(path) || !PathChars().IsMatch(path) || path.Contains("//", StringComparison.Ordinal))
        {
            return null;
        }
        var segments = path.TrimEnd('/').Split('/');
        if (segments.Length > 1 && Domain().IsMatch(segments[0]))
        {
            return null; // "www.example.com/a.md", "github.com/o/r/x.md": a URL without its scheme
        }
        var name = segments[^1];
        var hasSeparator = segments.Length > 1 || path.EndsWith('/');
        if (!hasSeparator && NotFiles.Contains(name))
        {
            return null;
        }
        if (IsFileName(name))
        {
            return path;
        }
        // Without a file name, only folders written as folders ("src/") or deep paths ("src/lib/auth") count;
        // "next/headers" or "and/or" do not.
        var folderLike = path.EndsWith('/') || segments.Length >= 3;
        return allowDirectories && folderLike && segments.All(s => s == ".." || s.Any(char.IsLetter)) ? path : null;
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BareFileNameLookup =
        BareFileNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ExtensionLookup =
        Extensions.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// A cheap first test, before <see cref="Normalize"/>: true when the token has a separator, ends in a
    /// known extension, or is a known extensionless file name. Most prose words fail it.
    /// </summary>
    public static bool MayBePath(ReadOnlySpan<char> token)
    {
        if (token.ContainsAny('/', '\\'))
        {
            return true;
        }
        var suffix = token.IndexOfAny(':', '#'); // "parser.ts:12", "app.py#L4"
        var name = suffix > 0 ? token[..suffix] : token;
        var dot = name.LastIndexOf('.');
        return (dot >= 0 && ExtensionLookup.Contains(name[(dot + 1)..])) || BareFileNameLookup.Contains(name);
    }

    private static bool IsFileName(string name)
    {
        if (BareFileNames.Contains(name))
        {
            return true;
        }
        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 && name.AsSpan(0, dot).ContainsAnyExcept('.', '-', '_')
            && Extensions.Contains(name[(dot + 1)..]) && name.Any(char.IsLetter);
    }

    [GeneratedRegex(@"(?::\d+(?:[:-]\d+)?|#L\d+(?:-L?\d+)?)$")]
    private static partial Regex LineSuffix();

    [GeneratedRegex(@"^(?:www\.|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|app|gov|edu|me|sh|rs|page)$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Domain();

    [GeneratedRegex(@"^[A-Za-z]:/")]
    private static partial Regex DriveRoot();

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-@+/]+$")]
    private static partial Regex PathChars();
}
