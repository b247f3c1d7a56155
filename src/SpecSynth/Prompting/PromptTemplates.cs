using System.Security.Cryptography;
using System.Text;

namespace SpecSynth.Prompting;

/// <summary>
/// The prompt templates: built-in (embedded) ones, each replaceable per project by a file of the same name
/// in <c>.specsynth/prompts/</c> (<c>system.md</c>, <c>generate.md</c>, <c>explain.md</c>, <c>review.md</c>).
/// </summary>
internal sealed class PromptTemplates
{
    /// <summary>The template names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["system", "generate", "explain", "review"];

    private readonly Dictionary<string, string> _templates;
    private string? _version;

    private PromptTemplates(Dictionary<string, string> templates, IReadOnlyList<string> overridden)
    {
        _templates = templates;
        Overridden = overridden;
    }

    /// <summary>A hash of all template texts; changes whenever any template does (part of cache keys).</summary>
    /// <remarks>Hashed when first read, not when the templates are loaded: the first SHA-256 of a process loads OpenSSL
    /// (libssl, libcrypto, its configuration; ~5 ms on the main thread), and a context plan builds prompts without ever
    /// reading their version (issue 19). The value is the same either way (threads racing here compute the same string).</remarks>
    public string Version => _version ??= Hash(_templates);

    /// <summary>The names of the templates a project file replaced.</summary>
    public IReadOnlyList<string> Overridden { get; }

    /// <summary>The built-in templates.</summary>
    public static PromptTemplates BuiltIn { get; } = Load(null);

    /// <summary>The templates for a project: its <c>.specsynth/prompts/NAME.md</c> files over the built-in ones.</summary>
    public static PromptTemplates Load(string? projectRoot)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var overridden = new List<string>();
        foreach (var name in Names)
        {
            var file = projectRoot is null ? null : Path.Combine(projectRoot, ".specsynth", "prompts", name + ".md");
            if (file is not null && File.Exists(file))
            {
                templates[name] = File.ReadAllText(file);
                overridden.Add(name);
            }
            else
            {
                templates[name] = ReadResource(name);
            }
        }
        return new PromptTemplates(templates, overridden);
    }

    private static string Hash(Dictionary<string, string> templates)
    {
        var all = string.Join("\u0000", Names.Select(n => n + "=" + templates[n]));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all)))[..16];
    }

    /// <summary>The text of one template.</summary>
    public string this[string name] => _templates[name];

    private static string ReadResource(string name)
    {
        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream($"SpecSynth.Prompts.{name}.md")
            ?? throw new InvalidOperationException($"Built-in prompt template '{name}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
