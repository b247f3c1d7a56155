using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>How freely <see cref="SecretAssignments"/> may treat an unquoted value as a secret.</summary>
internal enum RedactionMode
{
    /// <summary>Source code or prose: only quoted literals are values (<c>password = input.Password</c> is code).</summary>
    Code,

    /// <summary>JSON: only quoted strings are values (unquoted ones are numbers, booleans, objects).</summary>
    Json,

    /// <summary>Config files (YAML, TOML, INI, properties, env, shell, Dockerfile): an unquoted rest of line is a value.</summary>
    Config,

    /// <summary>Prose (markdown, text: specs, READMEs): an unquoted rest of line is a value when it is one word
    /// (<c>password: hunter2</c>), not when it is a sentence (<c>password: at least 12 characters</c>).</summary>
    Prose,
}

/// <summary>Chooses the <see cref="RedactionMode"/> from a file name.</summary>
internal static class RedactionModes
{
    private static readonly FrozenSet<string> ProseExtensions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".md", ".markdown", ".mdx", ".txt", ".rst", ".adoc");

    private static readonly FrozenSet<string> ConfigExtensions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env", ".properties", ".config", ".xml", ".tfvars",
        ".hcl", ".sh", ".bash", ".zsh", ".envrc", ".plist", ".cnf");

    public static RedactionMode FromPath(string? path)
    {
        if (path is null)
        {
            return RedactionMode.Code;
        }
        var name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        var extension = Path.GetExtension(name);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jsonc", StringComparison.OrdinalIgnoreCase))
        {
            return RedactionMode.Json;
        }
        if (ConfigExtensions.Contains(extension) || name.StartsWith(".env", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Dockerfile", StringComparison.OrdinalIgnoreCase))
        {
            return RedactionMode.Config;
        }
        return ProseExtensions.Contains(extension) ? RedactionMode.Prose : RedactionMode.Code;
    }
}
