namespace SpecSynth.Context.Tokens;

/// <summary>Which byte-pair encoding an OpenAI model uses. Touches no tokenizer type (choosing loads nothing).</summary>
internal static class OpenAIEncodings
{
    /// <summary>The encoding of gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3, o4 and gpt-oss.</summary>
    public const string O200kBase = "o200k_base";

    /// <summary>The encoding of gpt-4, gpt-3.5-turbo and the text-embedding-3 / ada-002 models.</summary>
    public const string Cl100kBase = "cl100k_base";

    // Longest prefix first: "gpt-4o" and "gpt-4.1" must win over "gpt-4".
    private static readonly (string Prefix, string Encoding)[] Families =
    [
        ("chatgpt-4o", O200kBase),
        ("gpt-4o", O200kBase),
        ("gpt-4.1", O200kBase),
        ("gpt-4.5", O200kBase),
        ("gpt-5", O200kBase),
        ("gpt-oss", O200kBase),
        ("o1", O200kBase),
        ("o3", O200kBase),
        ("o4", O200kBase),
        ("codex-", O200kBase),
        ("gpt-4", Cl100kBase),
        ("gpt-3.5", Cl100kBase),
        ("gpt-35", Cl100kBase),
        ("text-embedding-3", Cl100kBase),
        ("text-embedding-ada-002", Cl100kBase),
    ];

    /// <summary>The encoding an OpenAI model uses, or <c>null</c> when the name is not an OpenAI model family
    /// (e.g. a model served by an OpenAI-compatible server, which has its own tokenizer).</summary>
    public static string? ForModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Trim().ToLowerInvariant();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..]; // "openai/gpt-4o" from a gateway
        }
        foreach (var (prefix, encoding) in Families)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)
                && (name.Length == prefix.Length || !char.IsAsciiDigit(name[prefix.Length]) || prefix.EndsWith('-')))
            {
                return encoding;
            }
        }
        return null;
    }
}
